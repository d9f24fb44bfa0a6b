// Sources/Runtime/Sessions/SessionStore+Transcript.swift - appending and reading transcript messages

import Foundation
import GRDB
import ProtocolSupport

extension SessionStore {
    /// Appends one message to the key's current transcript. One transaction also bumps `updatedAt`, sets
    /// `lastMessagePreview` (user/assistant text), `derivedTitle` (the first user message, once) and adds
    /// the usage tokens, so metadata and transcript never disagree after a crash.
    /// - Returns: the stored record, with its `seq`, `id` and `parentId`.
    /// - Throws: `SessionStoreError.unknownKey` when the key has no entry.
    @discardableResult
    public func append(key: String, _ message: TranscriptMessage) throws -> TranscriptRecord {
        try append(key: key, message, creatingFor: nil).record
    }

    /// `append`, creating the session for `agentId` first when the key has none, and applying
    /// `change` to the entry: the session, its metadata and the message cost one commit (one fsync),
    /// which is what every accepted message pays.
    public func appendCreating(
        key: String, agentId: String, _ message: TranscriptMessage, change: @escaping @Sendable (inout SessionEntry) -> Void = { _ in }
    ) throws -> (entry: SessionEntry, record: TranscriptRecord) {
        let json = try Self.storedJSON(message)
        let stored = try pool.write { db in try Self.append(db, key: key, message, json: json, creatingFor: agentId, change: change) }
        tails.appended(stored.record)
        return stored
    }

    /// `append` for the run path: the write shares its commit with the writes of other runs in flight
    /// (`GroupCommit`), and the caller waits without holding a thread. Returns once the message is durable.
    @discardableResult
    public func appendGrouped(key: String, _ message: TranscriptMessage) async throws -> TranscriptRecord {
        try await appendGrouped(key: key, message, creatingFor: nil).record
    }

    /// `appendCreating` for the run path (see `appendGrouped(key:_:)`).
    public func appendCreatingGrouped(
        key: String, agentId: String, _ message: TranscriptMessage, change: @escaping @Sendable (inout SessionEntry) -> Void = { _ in }
    ) async throws -> (entry: SessionEntry, record: TranscriptRecord) {
        try await appendGrouped(key: key, message, creatingFor: agentId, change: change)
    }

    private func append(key: String, _ message: TranscriptMessage, creatingFor agentId: String?) throws -> (entry: SessionEntry, record: TranscriptRecord) {
        let json = try Self.storedJSON(message)
        let stored = try pool.write { db in try Self.append(db, key: key, message, json: json, creatingFor: agentId, change: { _ in }) }
        tails.appended(stored.record)
        return stored
    }

    private func appendGrouped(
        key: String, _ message: TranscriptMessage, creatingFor agentId: String?, change: @escaping @Sendable (inout SessionEntry) -> Void = { _ in }
    ) async throws -> (entry: SessionEntry, record: TranscriptRecord) {
        let json = try Self.storedJSON(message)
        let stored = try await commits.write { db in try Self.append(db, key: key, message, json: json, creatingFor: agentId, change: change) }
        tails.appended(stored.record)
        return stored
    }

    private static func storedJSON(_ message: TranscriptMessage) throws -> String {
        String(decoding: try WireJSON.encode(message.message), as: UTF8.self)
    }

    /// The append itself, inside the caller's transaction.
    private static func append(
        _ db: Database, key: String, _ message: TranscriptMessage, json: String, creatingFor agentId: String?, change: (inout SessionEntry) -> Void
    ) throws -> (entry: SessionEntry, record: TranscriptRecord) {
        var entry: SessionEntry
        if let existing = try SessionEntry.fetch(db, key: key) {
            entry = existing
        } else if let agentId {
            entry = SessionEntry(key: key, sessionId: newSessionId(), agentId: agentId, createdAt: message.timestamp, updatedAt: message.timestamp)
            try entry.insert(db)
        } else {
            throw SessionStoreError.unknownKey(key)
        }
        try startTranscript(db, sessionId: entry.sessionId, key: key, at: entry.updatedAt)
        let parentId = try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM messages WHERE sessionId = ? ORDER BY seq DESC LIMIT 1"), arguments: [entry.sessionId]
        )
        let id = try freshMessageId(db)
        try db.cachedStatement(sql: "INSERT INTO messages (id, sessionId, parentId, role, timestamp, runId, message) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, entry.sessionId, parentId, message.role, message.timestamp, message.runId, json])
        let seq = db.lastInsertedRowID

        change(&entry)
        entry.updatedAt = max(entry.updatedAt, message.timestamp)
        let text = TranscriptText.text(of: message.message)
        if !text.isEmpty, message.role == "user" || message.role == "assistant" {
            entry.lastMessagePreview = TranscriptText.shorten(text, to: TranscriptText.previewLength)
        }
        if entry.derivedTitle == nil, message.role == "user", !text.isEmpty {
            entry.derivedTitle = TranscriptText.shorten(text, to: TranscriptText.titleLength)
        }
        if let usage = message.usage {
            entry.inputTokens += usage.input
            entry.outputTokens += usage.output
            entry.totalTokens += usage.input + usage.output
        }
        try entry.update(db)
        let record = TranscriptRecord(
            seq: seq, id: id, sessionId: entry.sessionId, parentId: parentId, role: message.role, timestamp: message.timestamp,
            runId: message.runId, message: message.message
        )
        return (entry, record)
    }

    /// The last `limit` messages (all without one) of `sessionId`, or of the key's current transcript, oldest first.
    /// Empty when the key is unknown and no `sessionId` is given.
    public func transcript(key: String, sessionId: String? = nil, limit: Int? = nil) throws -> [TranscriptRecord] {
        guard let id = try sessionId ?? entry(key: key)?.sessionId else { return [] }
        if let cached = tails.read(sessionId: id, limit: limit) { return cached }
        // Taken before the read's snapshot exists, so an append the snapshot misses always changes it.
        let generation = tails.generation(of: id)
        let records = try pool.read { db in try Self.records(db, sessionId: id, limit: limit) }
        tails.store(sessionId: id, records: records, limit: limit, generation: generation)
        return records
    }

    /// How many messages the key's current transcript has (0 for an unknown key), without loading them.
    public func messageCount(key: String) throws -> Int {
        try pool.read { db in
            guard let id = try SessionEntry.fetch(db, key: key)?.sessionId else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE sessionId = ?", arguments: [id]) ?? 0
        }
    }

    static func records(_ db: Database, sessionId: String, limit: Int?) throws -> [TranscriptRecord] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM (SELECT seq, id, sessionId, parentId, role, timestamp, runId, message FROM messages
                WHERE sessionId = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq
                """,
            arguments: [sessionId, limit.map { max($0, 0) } ?? -1]
        )
        return try rows.map { row in
            let text: String = row["message"]
            return TranscriptRecord(
                seq: row["seq"], id: row["id"], sessionId: row["sessionId"], parentId: row["parentId"], role: row["role"],
                timestamp: row["timestamp"], runId: row["runId"], message: try WireJSON.decode(JSONValue.self, from: Data(text.utf8))
            )
        }
    }

    /// 8 random lowercase hex characters not yet used by any message.
    static func freshMessageId(_ db: Database) throws -> String {
        while true {
            let id = String(UInt32.random(in: .min ... .max), radix: 16)
            let padded = String(repeating: "0", count: 8 - id.count) + id
            if try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM messages WHERE id = ?"), arguments: [padded]) == nil { return padded }
        }
    }
}
