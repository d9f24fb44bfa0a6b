// Sources/Runtime/Sessions/SessionStore.swift - session metadata in one SQLite file, crash-safe

import Foundation
import GRDB
import Generated

/// Sessions metadata and full transcripts in `<stateDir>/agents/sessions.sqlite`.
///
/// Why SQLite in WAL mode with `synchronous=FULL` (by default; `gateway.sessionStore.synchronous`): a message the
/// gateway acknowledged must survive kill -9 and power loss, and the CLI reads the file while the gateway writes it (a `DatabasePool`
/// gives concurrent readers). Every mutation is one transaction. Transcripts are in the `messages`
/// table (see `SessionStore+Transcript.swift`).
public final class SessionStore: Sendable {
    let pool: DatabasePool
    /// The database file.
    public let path: String
    /// Written as `cwd` in exported session headers (upstream writes the agent's working directory).
    let cwd: String
    /// Decoded tails of recently read transcripts (see `TranscriptTailCache`).
    let tails = TranscriptTailCache()
    /// Where the run path's appends go, so concurrent runs share commits.
    let commits: GroupCommit

    /// Opens (creating the file and its directories when missing) and migrates the database.
    /// - Parameter synchronous: `gateway.sessionStore.synchronous`: `full` survives power loss, `normal` a process
    ///   crash only.
    public init(path: String, cwd: String = "", synchronous: GatewaySessionStoreSynchronous = .full) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var configuration = Configuration()
        configuration.label = "sessions"
        configuration.foreignKeysEnabled = true
        // The gateway writes while the CLI reads, and a checkpoint may hold the lock briefly.
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets NORMAL on the writer when it enables WAL (a committed message survives a process crash);
        // FULL syncs the WAL on every commit, so it survives power loss too.
        if synchronous == .full { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") } }
        try SessionSchema.migrator.migrate(pool)
        self.pool = pool
        self.commits = GroupCommit(pool: pool)
        self.path = path
        self.cwd = cwd
    }

    /// Opens an existing database, for readers such as the CLI that must not create one.
    public static func openExisting(path: String, cwd: String = "") throws -> SessionStore {
        guard FileManager.default.fileExists(atPath: path) else { throw SessionStoreError.missingDatabase(path) }
        return try SessionStore(path: path, cwd: cwd)
    }

    /// `<stateDir>/agents/sessions.sqlite`.
    public static func defaultPath(stateDir: String) -> String {
        stateDir + "/agents/sessions.sqlite"
    }

    public func entry(key: String) throws -> SessionEntry? {
        try pool.read { db in try SessionEntry.fetch(db, key: key) }
    }

    /// The key whose transcript `sessionId` is (current or from before a reset), if any.
    public func key(ofSessionId sessionId: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT sessionKey FROM transcripts WHERE sessionId = ?", arguments: [sessionId])
        }
    }

    /// Returns the existing entry or creates one with a fresh sessionId (a lowercased UUID), `agentId`, and createdAt = updatedAt = `now`.
    public func ensure(key: String, agentId: String, now: Int) throws -> SessionEntry {
        try pool.write { db in
            if let existing = try SessionEntry.fetch(db, key: key) { return existing }
            let entry = SessionEntry(key: key, sessionId: Self.newSessionId(), agentId: agentId, createdAt: now, updatedAt: now)
            try entry.insert(db)
            try Self.startTranscript(db, sessionId: entry.sessionId, key: key, at: now)
            return entry
        }
    }

    /// Newest first (updatedAt descending, then key). See `SessionQuery` for the filters.
    public func list(_ query: SessionQuery) throws -> [SessionEntry] {
        let rows = try pool.read { db in
            var request = SessionEntry.order(Column("updatedAt").desc, Column("key"))
            if let minutes = query.activeMinutes { request = request.filter(Column("updatedAt") >= query.now - minutes * 60_000) }
            if let agentId = query.agentId { request = request.filter(Column("agentId") == agentId) }
            if let label = query.label { request = request.filter(Column("label") == label) }
            if let spawnedBy = query.spawnedBy { request = request.filter(Column("spawnedBy") == spawnedBy) }
            // Search is done in Swift (SQLite's LIKE folds ASCII only), so the limit applies afterwards.
            if let limit = query.limit, query.search == nil { request = request.limit(max(limit, 0)) }
            return try request.fetchAll(db)
        }
        let matching = rows.filter(query.matchesSearch)
        guard let limit = query.limit else { return matching }
        return Array(matching.prefix(max(limit, 0)))
    }

    public func count() throws -> Int {
        try pool.read { db in try SessionEntry.fetchCount(db) }
    }

    /// Applies `change` in one transaction and stores the result; nil when the key does not exist.
    /// The key cannot be changed; a changed `sessionId` starts that transcript.
    public func update(key: String, _ change: @Sendable (inout SessionEntry) -> Void) throws -> SessionEntry? {
        try pool.write { db in
            guard var entry = try SessionEntry.fetch(db, key: key) else { return nil }
            let previous = entry.sessionId
            change(&entry)
            entry.key = key
            if entry.sessionId != previous { try Self.startTranscript(db, sessionId: entry.sessionId, key: key, at: entry.updatedAt) }
            try entry.update(db)
            return entry
        }
    }

    /// Applies `change` to the entry, creating it first (fresh sessionId, `agentId`, createdAt = updatedAt = `now`)
    /// when the key has none: upstream's `sessions.patch`, which clients use to ensure a session before its first
    /// message. One transaction either way.
    public func upsert(key: String, agentId: String, now: Int, _ change: @Sendable (inout SessionEntry) -> Void) throws -> SessionEntry {
        try pool.write { db in
            let existing = try SessionEntry.fetch(db, key: key)
            var entry = existing ?? SessionEntry(key: key, sessionId: Self.newSessionId(), agentId: agentId, createdAt: now, updatedAt: now)
            let previous = existing?.sessionId
            change(&entry)
            entry.key = key
            if entry.sessionId != previous { try Self.startTranscript(db, sessionId: entry.sessionId, key: key, at: entry.updatedAt) }
            if existing == nil { try entry.insert(db) } else { try entry.update(db) }
            return entry
        }
    }

    /// Starts a new, empty transcript: new sessionId, token counts, title and preview cleared; label, levels
    /// and routing kept. The old transcript's rows stay in the database under the old sessionId.
    public func reset(key: String, now: Int) throws -> SessionEntry? {
        try pool.write { db in
            guard var entry = try SessionEntry.fetch(db, key: key) else { return nil }
            entry.sessionId = Self.newSessionId()
            entry.updatedAt = now
            entry.inputTokens = 0
            entry.outputTokens = 0
            entry.totalTokens = 0
            entry.derivedTitle = nil
            entry.lastMessagePreview = nil
            try Self.startTranscript(db, sessionId: entry.sessionId, key: key, at: now)
            try entry.update(db)
            return entry
        }
    }

    /// Removes the entry and, with `deleteTranscript`, every transcript the key ever had (current and reset ones).
    /// Returns whether the entry existed.
    public func delete(key: String, deleteTranscript: Bool) throws -> Bool {
        try pool.write { db in
            let existed = try SessionEntry.deleteOne(db, key: key)
            // Messages go with their transcript row (ON DELETE CASCADE).
            if deleteTranscript {
                try db.execute(sql: "DELETE FROM transcripts WHERE sessionKey = ?", arguments: [key])
                tails.removeAll()
            }
            return existed
        }
    }

    static func newSessionId() -> String { UUID().uuidString.lowercased() }

    /// Records that `sessionId` is a transcript of `key` (kept when it already is).
    static func startTranscript(_ db: Database, sessionId: String, key: String, at time: Int) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO transcripts (sessionId, sessionKey, startedAt) VALUES (?, ?, ?)")
            .execute(arguments: [sessionId, key, time])
    }
}
