// Sources/Runtime/Diagnostics/ProcessTable.swift - who is this pid, and what listens on a port (Linux /proc)

import Foundation

/// Small read-only views of the process table used by `gateway status` and `doctor`.
public enum ProcessTable {
    /// `kill(pid, 0)` succeeds, or fails only for lack of permission.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The command line of `pid` from `/proc/<pid>/cmdline`, space-joined; nil when unreadable.
    public static func commandLine(_ pid: Int32) -> String? {
        guard let data = readProcBytes("/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// The environment of `pid` from `/proc/<pid>/environ` (readable for the same user only).
    public static func environment(_ pid: Int32) -> [String: String]? {
        guard let data = readProcBytes("/proc/\(pid)/environ"), !data.isEmpty else { return nil }
        var result: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    /// Whether the command line looks like an OpenClaw gateway (`… openclaw … gateway …`).
    public static func looksLikeGateway(_ commandLine: String) -> Bool {
        let words = commandLine.split(separator: " ")
        return words.contains { $0.hasSuffix("openclaw") } && words.contains("gateway")
    }

    /// Pids listening on `port`: socket inodes from `/proc/net/tcp{,6}`, matched against `/proc/<pid>/fd`.
    public static func listeners(port: Int) -> [Int32] {
        let inodes = Set(listeningSockets(port: port).map(\.inode))
        guard !inodes.isEmpty else { return [] }
        var pids: [Int32] = []
        let fileManager = FileManager.default
        for entry in (try? fileManager.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let fds = try? fileManager.contentsOfDirectory(atPath: "/proc/\(entry)/fd") else { continue }
            for fd in fds {
                guard let target = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/\(entry)/fd/\(fd)") else { continue }
                if target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast())) {
                    pids.append(pid)
                    break
                }
            }
        }
        return pids.sorted()
    }

    /// Reads a `/proc` file to the end. `String(contentsOfFile:)` stops after the first chunk of these
    /// size-0 files (27 of 341 lines of a busy `/proc/net/tcp`), so read until EOF.
    public static func readProcFile(_ path: String) -> String? {
        readProcBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of a `/proc` file, read until EOF.
    static func readProcBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            data += buffer[0..<count]
        }
        return data
    }

    /// Listening sockets on `port`: local address text and socket inode.
    static func listeningSockets(port: Int) -> [(address: String, inode: String)] {
        var sockets: [(address: String, inode: String)] = []
        for (table, v6) in [("/proc/net/tcp", false), ("/proc/net/tcp6", true)] {
            guard let text = readProcFile(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[3] == "0A" else { continue }
                let local = fields[1].split(separator: ":")
                guard local.count == 2, Int(local[1], radix: 16) == port else { continue }
                let host = v6 ? ipv6(String(local[0])) : ipv4(String(local[0]))
                sockets.append((v6 ? "[\(host)]:\(port)" : "\(host):\(port)", String(fields[9])))
            }
        }
        return sockets
    }

    /// `host:port` of every listening TCP socket on `port`.
    public static func listeningAddresses(port: Int) -> [String] {
        listeningSockets(port: port).map(\.address)
    }

    /// /proc stores IPv4 as little-endian hex.
    private static func ipv4(_ hex: String) -> String {
        guard let value = UInt32(hex, radix: 16) else { return hex }
        return (0..<4).map { String((value >> (8 * UInt32($0))) & 0xFF) }.joined(separator: ".")
    }

    /// /proc stores IPv6 as four little-endian 32-bit words.
    private static func ipv6(_ hex: String) -> String {
        guard hex.count == 32 else { return hex }
        var bytes: [UInt8] = []
        let characters = Array(hex)
        for word in 0..<4 {
            let chunk = String(characters[(word * 8)..<(word * 8 + 8)])
            guard let value = UInt32(chunk, radix: 16) else { return hex }
            for index in 0..<4 { bytes.append(UInt8((value >> (8 * UInt32(index))) & 0xFF)) }
        }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { raw in for (index, byte) in bytes.enumerated() { raw[index] = byte } }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return hex }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
