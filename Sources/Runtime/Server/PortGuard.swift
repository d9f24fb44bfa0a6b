// Sources/Runtime/Server/PortGuard.swift - is the port free, and `--force`: stop whoever holds it

import Foundation
import Logging

/// Checks and frees the gateway port before binding (reference/ops.md §5 rows 2 and 10).
public enum PortGuard {
    /// Whether something already listens on host:port (a bind attempt fails with EADDRINUSE).
    static func isInUse(host: String, port: Int) -> Bool {
        guard port != 0 else { return false }
        let family = host.contains(":") ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if family == AF_INET6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        return result != 0 && errno == EADDRINUSE
    }

    /// `--force`: SIGTERM every process listening on `port`, SIGKILL after 700 ms, then wait up to 2 s for the port.
    /// - Throws: a message for `Force: <err>`.
    public static func free(port: Int, host: String, logger: Logger) async throws {
        let pids = await listeners(port: port).filter { $0 != getpid() }
        for pid in pids {
            kill(pid, SIGTERM)
            logger.info("force: killed pid \(pid) (SIGTERM) listening on port \(port)")
        }
        if !pids.isEmpty {
            try await Task.sleep(for: .milliseconds(700))
            for pid in pids where kill(pid, 0) == 0 {
                kill(pid, SIGKILL)
                logger.info("force: killed pid \(pid) (SIGKILL)")
            }
        }
        let deadline = ContinuousClock.now + .seconds(2)
        while isInUse(host: host, port: port) {
            guard ContinuousClock.now < deadline else {
                throw ForceError(
                    message: pids.isEmpty ? "port \(port) is in use but no listening process was found" : "port \(port) still in use after stopping \(pids)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    struct ForceError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Pids with a listening TCP socket on `port`, from /proc (Linux) or `lsof` elsewhere.
    static func listeners(port: Int) async -> [pid_t] {
        let fromProc = ProcessTable.listeners(port: port)
        return fromProc.isEmpty && !FileManager.default.fileExists(atPath: "/proc/net/tcp") ? await lsofListeners(port: port) : fromProc
    }

    private static func lsofListeners(port: Int) async -> [pid_t] {
        guard let lsof = await ProgramRun.run("lsof", ["-nP", "-iTCP:\(port)", "-sTCP:LISTEN", "-t"]) else { return [] }
        return lsof.output.split(separator: "\n").compactMap { pid_t($0) }
    }
}
