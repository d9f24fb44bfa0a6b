// Sources/Runtime/Server/GatewayLock.swift - one gateway per config path: the lock file (reference/ops.md §5.1)

import Crypto
import Foundation
import Generated

/// The gateway lock: `$TMPDIR/openclaw-<uid>/gateway.<sha256(configPath)[0:8]>.lock`, created with O_EXCL and holding
/// `{pid, createdAt, configPath, startTime}`. A second gateway on the same config path polls it every 100 ms for up to
/// 5000 ms and then refuses to start; a dead owner, or a live pid that is no longer the gateway that wrote the file
/// (start time or command line differ), is reclaimed. `OPENCLAW_ALLOW_MULTI_GATEWAY=1` skips the lock.
public final class GatewayLock: Sendable {
    /// The lock file's content.
    public struct Owner: Codable, Sendable, Equatable {
        public var pid: Int32
        /// ISO-8601 time the lock was taken.
        public var createdAt: String
        public var configPath: String
        /// Linux: `/proc/<pid>/stat` field 22 (start time in clock ticks since boot), to detect pid reuse.
        public var startTime: UInt64?

        public init(pid: Int32, createdAt: String, configPath: String, startTime: UInt64?) {
            self.pid = pid
            self.createdAt = createdAt
            self.configPath = configPath
            self.startTime = startTime
        }
    }

    /// Tunables; the defaults are upstream's.
    public struct Options: Sendable {
        public var timeoutMs = 5000
        public var pollMs = 100
        /// An owner whose lock file cannot be read is treated as stale after this age.
        public var unreadableStaleMs = 30_000
        /// Whether a live pid is a gateway (its command line); the default looks for a `gateway` argument.
        public var isGatewayProcess: @Sendable (Int32) -> Bool = GatewayLock.looksLikeGateway

        public init() {}
    }

    /// Why the lock could not be taken. `description` is upstream's text.
    public struct HeldError: Error, Sendable, CustomStringConvertible {
        public var owner: Owner?
        public var path: String
        public var timeoutMs: Int
        public var description: String {
            let pid = owner.map { " (pid \($0.pid))" } ?? ""
            return "gateway already running\(pid); lock timeout after \(timeoutMs)ms"
        }
    }

    public let path: String
    public let owner: Owner

    private init(path: String, owner: Owner) {
        self.path = path
        self.owner = owner
    }

    /// `$TMPDIR/openclaw-<uid>` (TMPDIR defaults to /tmp).
    public static func directory(environment: [String: String]) -> String {
        var tmp = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        while tmp.count > 1 && tmp.hasSuffix("/") { tmp.removeLast() }
        return "\(tmp)/openclaw-\(getuid())"
    }

    /// The lock file for a config path.
    public static func path(configPath: String, environment: [String: String]) -> String {
        let digest = SHA256.hash(data: Data(configPath.utf8)).map { String(format: "%02x", $0) }.joined()
        return directory(environment: environment) + "/gateway.\(digest.prefix(8)).lock"
    }

    /// Whether `OPENCLAW_ALLOW_MULTI_GATEWAY` asks to skip the lock.
    public static func isDisabled(environment: [String: String]) -> Bool {
        guard let value = environment[EnvironmentVariable.allowMultiGateway]?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }

    /// Takes the lock for `configPath`, waiting for a live owner up to `options.timeoutMs`.
    /// - Returns: nil when `OPENCLAW_ALLOW_MULTI_GATEWAY=1`.
    /// - Throws: `HeldError` when another live gateway keeps it; other errors when the directory cannot be written.
    public static func acquire(configPath: String, environment: [String: String], options: Options = Options()) async throws -> GatewayLock? {
        if isDisabled(environment: environment) { return nil }
        let directory = directory(environment: environment)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = path(configPath: configPath, environment: environment)
        let pid = getpid()
        let owner = Owner(pid: pid, createdAt: ISO8601DateFormatter().string(from: Date()), configPath: configPath, startTime: processStartTime(pid))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(owner)
        let deadline = ContinuousClock.now + .milliseconds(options.timeoutMs)
        var lastOwner: Owner?
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
                return GatewayLock(path: path, owner: owner)
            }
            guard errno == EEXIST else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            lastOwner = readOwner(at: path)
            if isStale(path: path, owner: lastOwner, options: options) {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard ContinuousClock.now < deadline else { throw HeldError(owner: lastOwner, path: path, timeoutMs: options.timeoutMs) }
            try await Task.sleep(for: .milliseconds(options.pollMs))
        }
    }

    /// Removes the lock file if it is still ours.
    public func release() {
        guard GatewayLock.readOwner(at: path)?.pid == owner.pid else { return }
        unlink(path)
    }

    /// The owner recorded in a lock file, if it can be read.
    public static func readOwner(at path: String) -> Owner? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Owner.self, from: data)
    }

    /// Whether a lock file may be taken over: unreadable and old, owner dead, pid reused, or not a gateway.
    public static func isStale(path: String, owner: Owner?, options: Options = Options()) -> Bool {
        guard let owner else {
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
            return Date().timeIntervalSince(modified) * 1000 > Double(options.unreadableStaleMs)
        }
        if owner.pid <= 0 || !isRunning(owner.pid) { return true }
        if let recorded = owner.startTime, let actual = processStartTime(owner.pid), recorded != actual { return true }
        return !options.isGatewayProcess(owner.pid)
    }

    /// Whether `pid` is a live process: it exists (EPERM counts) and, on Linux, is not a zombie awaiting its parent.
    public static func isRunning(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return true }
        return text[text.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// Linux: field 22 of `/proc/<pid>/stat` (after the parenthesised command name); nil elsewhere.
    public static func processStartTime(_ pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the name start at field 3 (state); field 22 is the 20th of them.
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// True when the command line of `pid` has a `gateway` argument, or cannot be read (then we cannot tell, so we wait).
    public static func looksLikeGateway(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return true }
        return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "gateway" }
    }
}

extension GatewayLock {
    /// `acquire` for `openclaw gateway`, with failures as start-up refusals: a held lock exits 0 with upstream's lines
    /// (so supervisors do not crash-loop), anything else exits 1.
    static func acquireForStartup(configPath: String, environment: [String: String]) async throws(StartupRefusal) -> GatewayLock? {
        do {
            return try await acquire(configPath: configPath, environment: environment)
        } catch let held as HeldError {
            throw StartupRefusal(
                ["Gateway failed to start: \(held.description)", "If the gateway is supervised, stop it with: openclaw gateway stop"],
                exitCode: 0
            )
        } catch {
            throw .failed("cannot take the gateway lock for \(configPath): \(error)")
        }
    }
}
