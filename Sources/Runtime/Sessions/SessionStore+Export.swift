// Sources/Runtime/Sessions/SessionStore+Export.swift - a transcript as upstream's JSONL session file

import Foundation
import GRDB
import ProtocolSupport

extension SessionStore {
    /// Upstream's session file format (pi-agent, version 3) for the key's current transcript; nil when the key is unknown.
    ///
    /// The first line is the header `{"type":"session","version":3,"id","timestamp","cwd"}`, then one
    /// `{"type":"message","id","parentId","timestamp","message"}` line per message; every line ends in `\n`.
    /// Timestamps are ISO-8601 UTC with milliseconds. The message JSON is written as stored.
    public func exportJSONL(key: String) throws -> String? {
        try pool.read { db in
            guard let entry = try SessionEntry.fetch(db, key: key) else { return nil }
            let startedAt = try Int.fetchOne(db, sql: "SELECT startedAt FROM transcripts WHERE sessionId = ?", arguments: [entry.sessionId])
            var out =
                "{\"type\":\"session\",\"version\":\(Self.sessionFileVersion),\"id\":" + (try Self.quote(entry.sessionId))
                + ",\"timestamp\":" + (try Self.quote(Self.iso8601(startedAt ?? entry.createdAt))) + ",\"cwd\":" + (try Self.quote(cwd)) + "}\n"
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, parentId, timestamp, message FROM messages WHERE sessionId = ? ORDER BY seq", arguments: [entry.sessionId]
            )
            for row in rows {
                let parentId: String? = row["parentId"]
                let message: String = row["message"]
                out +=
                    "{\"type\":\"message\",\"id\":" + (try Self.quote(row["id"])) + ",\"parentId\":" + (try parentId.map(Self.quote) ?? "null")
                    + ",\"timestamp\":" + (try Self.quote(Self.iso8601(row["timestamp"]))) + ",\"message\":" + message + "}\n"
            }
            return out
        }
    }

    /// Upstream's `CURRENT_SESSION_VERSION`.
    static let sessionFileVersion = 3

    /// `2026-11-25T21:50:19.123Z` for a time in ms since the epoch (milliseconds kept exact, not via Double).
    static func iso8601(_ milliseconds: Int) -> String {
        var (seconds, millis) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        if millis < 0 {
            seconds -= 1
            millis += 1000
        }
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)  // 2026-11-25T21:50:19Z
        let fraction = String(millis)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    private static func quote(_ text: String) throws -> String {
        String(decoding: try WireJSON.encode(text), as: UTF8.self)
    }
}
