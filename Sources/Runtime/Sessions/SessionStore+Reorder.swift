// Sources/Runtime/Sessions/SessionStore+Reorder.swift - a queued message takes its turn in the transcript

import Foundation
import GRDB
import ProtocolSupport

extension SessionStore {
    /// Moves a message to the end of its transcript. A message is stored when the gateway accepts it
    /// (so it survives a crash), but a queued one belongs after the answers to those before it:
    /// when its run starts it moves behind them. The row keeps its id; `parentId` links are
    /// repaired on both sides, and its time becomes `now` (when its turn came, as upstream records
    /// it). Nothing happens when it is already last.
    public func moveToEnd(key: String, messageId: String, now: Int) throws {
        // The usual case, checked on a reader so that it costs no write transaction: nothing came after it.
        let isLast = try pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT NOT EXISTS (SELECT 1 FROM messages AS m JOIN messages AS later ON later.sessionId = m.sessionId AND later.seq > m.seq WHERE m.id = ?)"
                ),
                arguments: [messageId]
            ) ?? true
        }
        guard !isLast else { return }
        let sessionId: String? = try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM messages WHERE id = ?", arguments: [messageId]) else { return nil }
            let seq: Int64 = row["seq"]
            let sessionId: String = row["sessionId"]
            let parentId: String? = row["parentId"]
            let later = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE sessionId = ? AND seq > ?", arguments: [sessionId, seq]) ?? 0
            guard later > 0 else { return nil }
            // Its child now follows its parent; it follows the current last message.
            try db.execute(sql: "UPDATE messages SET parentId = ? WHERE sessionId = ? AND parentId = ?", arguments: [parentId, sessionId, messageId])
            let last = try String.fetchOne(
                db, sql: "SELECT id FROM messages WHERE sessionId = ? AND id != ? ORDER BY seq DESC LIMIT 1", arguments: [sessionId, messageId]
            )
            var message = try WireJSON.decode(JSONValue.self, from: Data((row["message"] as String).utf8))
            if case .object(var fields) = message {
                fields["timestamp"] = .int(now)
                message = .object(fields)
            }
            // Re-inserted rather than renumbered: AUTOINCREMENT hands out the next seq.
            try db.execute(sql: "DELETE FROM messages WHERE id = ?", arguments: [messageId])
            try db.execute(
                sql: "INSERT INTO messages (id, sessionId, parentId, role, timestamp, runId, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    messageId, sessionId, last, row["role"] as String, now, row["runId"] as String?,
                    String(decoding: try WireJSON.encode(message), as: UTF8.self),
                ]
            )
            _ = key
            return sessionId
        }
        if let sessionId { tails.invalidate(sessionId: sessionId) }
    }
}
