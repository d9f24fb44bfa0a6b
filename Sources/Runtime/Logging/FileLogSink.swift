// Sources/Runtime/Logging/FileLogSink.swift - append-only JSONL file: daily names, size cap, rotation, pruning

import Foundation
import Synchronization

/// Appends whole lines to the log file under a lock. Each line is one `write(2)` on an `O_APPEND` descriptor, which
/// costs microseconds, so callers on event-loop threads never wait long and concurrent processes never interleave lines.
public final class FileLogSink: Sendable {
    public let location: LogFileLocation
    public let maxFileBytes: Int
    /// Rolling files keep at most this many numbered archives (`.1` newest … `.5` oldest).
    public static let maxArchives = 5
    /// Rolling files older than this are deleted when the sink is built.
    public static let retention: TimeInterval = 24 * 60 * 60

    private let clock: @Sendable () -> Date
    private let state = Mutex(State())

    private struct State {
        var descriptor: Int32 = -1
        var path = ""
        var size = 0
        var suppressed = false
        var warnedOpenFailure = false
    }

    /// Builds the sink and, for rolling files, prunes those older than 24 h.
    public init(location: LogFileLocation, maxFileBytes: Int, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.location = location
        self.maxFileBytes = max(maxFileBytes, 1024)
        self.clock = clock
        if case .rolling(let directory) = location {
            Self.prune(directory: directory, now: clock(), keep: location.path(at: clock()))
        }
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { Glibc.close($0.descriptor) } }
    }

    /// The file being written now.
    public var currentPath: String { location.path(at: clock()) }

    /// Appends `line` and a newline.
    public func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        let path = currentPath
        state.withLock { state in
            if state.path != path || state.descriptor < 0 {
                reopen(&state, path: path)
            }
            guard state.descriptor >= 0 else { return }
            switch location {
            case .rolling:
                if state.size > 0, state.size + bytes.count > maxFileBytes / 100 * 95 {
                    rotate(&state)
                    guard state.descriptor >= 0 else { return }
                }
            case .fixed:
                if state.suppressed { return }
                if state.size + bytes.count > maxFileBytes {
                    state.suppressed = true
                    let warning = "log file size cap reached; suppressing writes file=\(path) maxFileBytes=\(maxFileBytes)"
                    FileHandle.standardError.write(Data((warning + "\n").utf8))
                    let record = FileLogRecord.line(level: "warn", subsystem: "logging", message: warning, fields: [:], time: clock())
                    Self.append(Array((record + "\n").utf8), to: state.descriptor)
                    return
                }
            }
            if Self.append(bytes, to: state.descriptor) { state.size += bytes.count }
        }
    }

    /// Closes the file; the next write reopens it.
    public func close() {
        state.withLock { state in
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    private func reopen(_ state: inout State, path: String) {
        if state.descriptor >= 0 { Glibc.close(state.descriptor) }
        state.path = path
        state.suppressed = false
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        state.descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard state.descriptor >= 0 else {
            if !state.warnedOpenFailure {
                state.warnedOpenFailure = true
                FileHandle.standardError.write(Data("cannot open log file \(path): \(String(cString: strerror(errno)))\n".utf8))
            }
            return
        }
        var info = stat()
        state.size = fstat(state.descriptor, &info) == 0 ? Int(info.st_size) : 0
    }

    /// `file` → `file.1` → … → `file.5`; the oldest archive is dropped.
    private func rotate(_ state: inout State) {
        let path = state.path
        Glibc.close(state.descriptor)
        state.descriptor = -1
        unlink(path + ".\(Self.maxArchives)")
        for index in stride(from: Self.maxArchives - 1, through: 1, by: -1) {
            Glibc.rename(path + ".\(index)", path + ".\(index + 1)")
        }
        Glibc.rename(path, path + ".1")
        reopen(&state, path: path)
    }

    @discardableResult
    private static func append(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Deletes `openclaw-*.log[.N]` files in `directory` last modified more than 24 h before `now`, except `keep`.
    public static func prune(directory: String, now: Date, keep: String) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("openclaw-") && name.contains(".log") {
            let path = directory + "/" + name
            guard path != keep,
                let modified = (try? fileManager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                now.timeIntervalSince(modified) > retention
            else { continue }
            try? fileManager.removeItem(atPath: path)
        }
    }
}
