// Sources/Runtime/Logging/LogTail.swift - a slice of the log file by byte cursor (`logs.tail` and the CLI's local fallback)

import Foundation
import Generated

/// Reads complete lines from a log file the way upstream's `logs.tail` does.
public enum LogTail {
    public static let defaultLimit = 200
    public static let maxLimit = 5000
    public static let defaultMaxBytes = 250_000
    public static let maxMaxBytes = 1_000_000

    /// Without `cursor`, the last `limit` lines within the last `maxBytes`; with it, the lines after that byte offset.
    /// A cursor past the end means the file rotated or shrank: reading restarts from the tail with `reset`.
    /// The returned cursor points just after the last complete line, so a half-written line is read next time.
    public static func read(path: String, cursor: Int?, limit: Int?, maxBytes: Int?) -> LogsTailResult {
        let limit = min(max(limit ?? defaultLimit, 1), maxLimit)
        let maxBytes = min(max(maxBytes ?? defaultMaxBytes, 1), maxMaxBytes)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return LogsTailResult(file: path, cursor: 0, size: 0, lines: [], reset: cursor.map { $0 > 0 } == true ? true : nil)
        }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        var reset = false
        var start: Int
        if let cursor, cursor <= size {
            start = max(cursor, 0)
        } else {
            reset = cursor != nil
            start = max(0, size - maxBytes)
        }
        var truncated = false
        if size - start > maxBytes {
            start = size - maxBytes
            truncated = true
        }
        if cursor == nil || reset { truncated = truncated || start > 0 }
        try? handle.seek(toOffset: UInt64(start))
        var data = (try? handle.read(upToCount: size - start)) ?? Data()
        var offset = start
        // Starting mid-file: drop the partial first line unless the byte before it ends a line.
        if start > 0, !data.isEmpty {
            try? handle.seek(toOffset: UInt64(start - 1))
            let previous = (try? handle.read(upToCount: 1)) ?? Data()
            if previous.first != UInt8(ascii: "\n") {
                if let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                    offset += newline - data.startIndex + 1
                    data = data[(newline + 1)...]
                } else {
                    data = Data()
                }
            }
        }
        // Only complete lines; the cursor stops after the last newline.
        var lines: [String] = []
        if let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) {
            let complete = data[data.startIndex..<lastNewline]
            offset += lastNewline - data.startIndex + 1
            lines = complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
        if lines.count > limit {
            lines = Array(lines.suffix(limit))
            // After a cursor every line was wanted, so dropping some is a truncation; a plain tail just shows the newest.
            if cursor != nil && !reset { truncated = true }
        }
        return LogsTailResult(file: path, cursor: offset, size: size, lines: lines, truncated: truncated ? true : nil, reset: reset ? true : nil)
    }
}
