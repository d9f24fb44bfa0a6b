// Sources/Runtime/Automation/CronJobStore.swift - cron/jobs.json on disk: tolerant reads, atomic writes, a .bak copy

import Foundation
import Generated
import ProtocolSupport
import Synchronization

/// The job file's contents: `{"version":1,"jobs":[…]}`. Other top-level members are kept in `extra`.
public struct CronStoreFile: Sendable, Hashable {
    public var version: Int
    public var jobs: [CronJob]
    /// Top-level members other than `version` and `jobs`, written back unchanged.
    public var extra: [String: JSONValue]
    /// Members of each job (by id) that `CronJob` does not know, written back with it.
    public var jobExtras: [String: CronStoreJSON.Extras]

    public init(version: Int = 1, jobs: [CronJob] = [], extra: [String: JSONValue] = [:], jobExtras: [String: CronStoreJSON.Extras] = [:]) {
        self.version = version
        self.jobs = jobs
        self.extra = extra
        self.jobExtras = jobExtras
    }
}

/// The job store file (`<stateDir>/cron/jobs.json`, or `cron.store`), read and written as upstream does
/// (`cron/store.ts`): read as JSON5 so hand edits with comments load; written as pretty JSON to a temporary file in
/// the same directory, fsynced and renamed over the old one (a crash leaves the old file or the new one, never half of
/// one), then copied to `<file>.bak`.
///
/// A missing (or empty) file is an empty store. A file that does not parse, or holds a job that does not decode, is an
/// error naming the path, and the file is left alone: the caller must not save over it, or an operator's typo would
/// delete every job. Synchronous IO: the scheduler actor owns the only instance.
///
/// The scheduler reads the file on every tick so hand edits apply; parsing 1,000 jobs costs tens of milliseconds, so
/// the last file read or written is kept with its identity (inode, size, modification time) and a read whose `stat`
/// matches returns it without parsing.
public final class CronJobStore: Sendable {
    public let path: String
    private let cache = Mutex<(stamp: FileStamp, file: CronStoreFile)?>(nil)

    public init(path: String) {
        self.path = path
    }

    /// What tells one version of the file from another without reading it.
    struct FileStamp: Equatable {
        var inode: UInt64
        var size: Int
        var modified: timespec

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            inode = UInt64(info.st_ino)
            size = Int(info.st_size)
            modified = info.st_mtim
        }

        static func == (a: FileStamp, b: FileStamp) -> Bool {
            a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }
    }

    /// Forgets the remembered file: the next `load` parses (the benchmark's cold read).
    public func forgetCache() {
        cache.withLock { $0 = nil }
    }

    /// Upstream's default location under the state directory.
    public static func defaultPath(stateDir: String) -> String { stateDir + "/cron/jobs.json" }

    /// The directory holding the file; the run logs live in its `runs/`.
    public var directory: String { (path as NSString).deletingLastPathComponent }

    public var backupPath: String { path + ".bak" }

    /// Reads the file.
    /// - Throws: `CronStoreError` naming the path (and the job, by index and id) when the text is not JSON5, is not an
    ///   object with a `jobs` array, or a job is malformed or has an id with a path separator.
    public func load() throws(CronStoreError) -> CronStoreFile {
        let stamp = FileStamp(path: path)
        if let stamp, let cached = cache.withLock({ $0 }), cached.stamp == stamp { return cached.file }
        let file = try parse()
        if let stamp { cache.withLock { $0 = (stamp, file) } }
        return file
    }

    private func parse() throws(CronStoreError) -> CronStoreFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw CronStoreError(message: "Failed to read cron store at \(path)") }
            return CronStoreFile()
        }
        guard data.contains(where: { !$0.isWhitespace }) else { return CronStoreFile() }
        let root: JSONValue
        do {
            root = try JSON5Text.decode(data)
        } catch {
            throw CronStoreError(message: "Failed to parse cron store at \(path): \(error)")
        }
        guard var members = root.objectValue else {
            throw CronStoreError(message: "Failed to parse cron store at \(path): expected an object, got \(root.typeName)")
        }
        let version = members.removeValue(forKey: "version")?.intValue ?? 1
        let rawJobs = members.removeValue(forKey: "jobs") ?? .array([])
        guard let elements = rawJobs.arrayValue else {
            throw CronStoreError(message: "Failed to parse cron store at \(path): \"jobs\" must be an array")
        }
        var jobs: [CronJob] = []
        var jobExtras: [String: CronStoreJSON.Extras] = [:]
        jobs.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() where element != .null {
            let label = "jobs[\(index)]" + (element["id"]?.stringValue.map { " (id \($0.debugDescription))" } ?? "")
            do {
                guard let object = element.objectValue else { throw CronStoreError(message: "expected an object, got \(element.typeName)") }
                let (known, extras) = CronStoreJSON.split(object)
                let job = try WireJSON.decoder.decode(CronJob.self, from: Data(try WireJSON.encode(JSONValue.object(known))))
                try Self.validateId(job.id)
                jobs.append(job)
                if !extras.isEmpty { jobExtras[job.id] = extras }
            } catch let error as CronStoreError {
                throw CronStoreError(message: "Invalid cron store at \(path): \(label): \(error.message)")
            } catch {
                throw CronStoreError(message: "Invalid cron store at \(path): \(label): \(Self.describe(error))")
            }
        }
        return CronStoreFile(version: version, jobs: jobs, extra: members, jobExtras: jobExtras)
    }

    /// Writes `file` atomically (version 1), then refreshes `<file>.bak` (best effort: the store itself is safe).
    /// - Throws: `CronStoreError` for a job id with a path separator, or when the file cannot be written.
    public func save(_ file: CronStoreFile) throws(CronStoreError) {
        for job in file.jobs { try Self.validateId(job.id) }
        let data: Data
        do {
            data = try Self.encode(file)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try ConfigWriter.writeAtomically(data, to: path)
        } catch let error as CronStoreError {
            throw error
        } catch {
            cache.withLock { $0 = nil }
            throw CronStoreError(message: "Failed to write cron store at \(path): \(error)")
        }
        var written = file
        written.version = 1
        if let stamp = FileStamp(path: path) { cache.withLock { [written] in $0 = (stamp, written) } }
        try? ConfigWriter.writeAtomically(data, to: backupPath)
    }

    /// Writes `jobs` with no other top-level members.
    public func save(jobs: [CronJob]) throws(CronStoreError) {
        try save(CronStoreFile(jobs: jobs))
    }

    /// Upstream refuses ids with a path separator: the id names the run log file `runs/<id>.jsonl`.
    public static func validateId(_ id: String) throws(CronStoreError) {
        guard !id.isEmpty, !id.contains("/"), !id.contains("\\"), id != ".", id != ".." else {
            throw CronStoreError(message: "invalid cron job id: \(id.debugDescription)")
        }
    }

    static func encode(_ file: CronStoreFile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var members = file.extra
        members["version"] = .int(1)
        var jobs: [JSONValue] = []
        jobs.reserveCapacity(file.jobs.count)
        for job in file.jobs {
            guard case .object(let known) = try WireJSON.decode(JSONValue.self, from: try WireJSON.encode(job)) else { continue }
            jobs.append(.object(CronStoreJSON.merge(known, file.jobExtras[job.id] ?? CronStoreJSON.Extras())))
        }
        members["jobs"] = .array(jobs)
        var data = try encoder.encode(JSONValue.object(members))
        data.append(0x0A)
        return data
    }

    /// A `DecodingError` as one line: what is wrong and where (`schedule.everyMs: expected Int64`).
    static func describe(_ error: any Error) -> String {
        func location(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            let at = location(context.codingPath)
            return "missing \"\(at.isEmpty ? "" : at + ".")\(key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "\"\(location(context.codingPath))\": expected \(type)"
        case .valueNotFound(let type, let context):
            return "\"\(location(context.codingPath))\": expected \(type), got null"
        case .dataCorrupted(let context):
            return "\"\(location(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A job store or run log that cannot be read or written; `message` names the file.
public struct CronStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
