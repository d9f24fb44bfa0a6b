// Sources/Runtime/Config/ConfigAudit.swift - one JSON line per config write in <stateDir>/logs/config-audit.jsonl

import Foundation
import Generated

/// The audit trail of gateway-initiated config writes (reference/ops.md §1.1).
public struct ConfigAudit: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var ts: String
        public var method: String
        public var path: String
        public var previousHash: String?
        public var hash: String
        public var changedPaths: [String]
        public var connId: String?
        public var client: String?
        public var note: String?
    }

    public let file: String

    public init(stateDir: String) {
        file = stateDir + "/logs/config-audit.jsonl"
    }

    /// Appends one line; failures are the caller's to log (the write itself already happened).
    public func append(_ entry: Entry) throws {
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file]) }
        defer { close(fd) }
        _ = line.withUnsafeBytes { Foundation.write(fd, $0.baseAddress!, $0.count) }
    }

    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
