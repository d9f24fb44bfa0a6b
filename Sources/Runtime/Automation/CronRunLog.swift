// Sources/Runtime/Automation/CronRunLog.swift - runs/<jobId>.jsonl: one line per finished run, trimmed to the newest

import Foundation
import Generated
import ProtocolSupport

/// The run logs under `<store dir>/runs/`, one JSON Lines file per job (`cron/run-log.ts`).
///
/// Appends are single `write`s to an `O_APPEND` file; after each one a file over `maxBytes` is cut to its newest
/// `keepLines` lines by an atomic rewrite, so the log stays bounded without a reader ever seeing half a file. A line torn
/// by a crash is skipped by readers and never glued to the next entry. Synchronous IO, for the scheduler actor.
public struct CronRunLog: Sendable {
    public static let defaultMaxBytes = 2_000_000
    public static let defaultKeepLines = 2000

    /// `<store dir>/runs`.
    public let directory: String
    public var maxBytes: Int
    public var keepLines: Int

    public init(storeDirectory: String, maxBytes: Int = Self.defaultMaxBytes, keepLines: Int = Self.defaultKeepLines) {
        self.directory = storeDirectory + "/runs"
        self.maxBytes = maxBytes
        self.keepLines = max(1, keepLines)
    }

    /// `runs/<jobId>.jsonl`.
    /// - Throws: `CronStoreError` for an id that is empty or holds a path separator.
    public func path(jobId: String) throws(CronStoreError) -> String {
        try CronJobStore.validateId(jobId)
        return "\(directory)/\(jobId).jsonl"
    }

    /// Appends `entry` to its job's log, then trims the log if it grew past `maxBytes`.
    public func append(_ entry: CronRunLogEntry) throws(CronStoreError) {
        let file = try path(jobId: entry.jobId)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var line = try WireJSON.encode(entry)
            line.append(0x0A)
            let size = try Self.append(line, to: file)
            if size > maxBytes { try trim(file) }
        } catch let error as CronStoreError {
            throw error
        } catch {
            throw CronStoreError(message: "Failed to append cron run log \(file): \(error)")
        }
    }

    /// The newest `limit` (clamped to 1–5000) finished runs of `jobId`, oldest first. A missing log is empty; lines that
    /// do not parse (a torn last line, a hand edit) are skipped.
    public func read(jobId: String, limit: Int = 200) throws(CronStoreError) -> [CronRunLogEntry] {
        let file = try path(jobId: jobId)
        let limit = min(max(limit, 1), 5000)
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        var newestFirst: [CronRunLogEntry] = []
        for line in Self.lines(data).reversed() {
            guard let entry = try? WireJSON.decoder.decode(CronRunLogEntry.self, from: line) else { continue }
            guard entry.action == "finished", entry.jobId == jobId else { continue }
            newestFirst.append(entry)
            if newestFirst.count == limit { break }
        }
        return newestFirst.reversed()
    }

    /// Removes a job's log (for `cron.remove`); a missing one is fine.
    public func remove(jobId: String) throws(CronStoreError) {
        let file = try path(jobId: jobId)
        if unlink(file) != 0 && errno != ENOENT { throw CronStoreError(message: "Failed to remove cron run log \(file): errno \(errno)") }
    }

    /// Rewrites `file` with its newest `keepLines` non-empty lines.
    func trim(_ file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { return }
        var kept = Data()
        for line in Self.lines(data).suffix(keepLines) {
            kept.append(line)
            kept.append(0x0A)
        }
        try ConfigWriter.writeAtomically(kept, to: file)
    }

    /// The non-blank lines of `data`, without their newlines.
    static func lines(_ data: Data) -> [Data] {
        data.split(separator: 0x0A, omittingEmptySubsequences: true).filter { line in line.contains { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 } }
    }

    /// Appends `line` with one `write` (a newline first if the file ends in a torn line); returns the new size.
    static func append(_ line: [UInt8], to file: String) throws -> Int {
        let fd = open(file, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CronStoreError(message: "Failed to open cron run log \(file): errno \(errno)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CronStoreError(message: "Failed to stat cron run log \(file): errno \(errno)") }
        var bytes = line
        if info.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, off_t(info.st_size - 1)) == 1, last != 0x0A { bytes.insert(0x0A, at: 0) }
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CronStoreError(message: "Failed to append cron run log \(file): errno \(errno)")
            }
            offset += written
        }
        return Int(info.st_size) + bytes.count
    }
}
