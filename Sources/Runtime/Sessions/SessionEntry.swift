// Sources/Runtime/Sessions/SessionEntry.swift - one session key's metadata, as stored in the `sessions` table

import GRDB

/// What the gateway knows about one session key: which transcript is current, its toggles and its token counts.
///
/// Field names follow upstream's `SessionEntry` (sessions.json) so `sessions.list` rows map one to one.
/// Times are milliseconds since the epoch.
public struct SessionEntry: Sendable, Hashable, Codable {
    public var key: String
    /// The current transcript; `reset` replaces it.
    public var sessionId: String
    public var agentId: String
    public var createdAt: Int
    public var updatedAt: Int

    public var label: String?
    public var displayName: String?
    /// The first user message, shortened; set once per transcript.
    public var derivedTitle: String?
    /// The last user or assistant text, shortened.
    public var lastMessagePreview: String?
    public var channel: String?
    public var lastChannel: String?
    public var lastTo: String?
    public var lastAccountId: String?

    public var thinkingLevel: String?
    public var verboseLevel: String?
    public var reasoningLevel: String?
    public var elevatedLevel: String?
    public var sendPolicy: String?
    public var model: String?
    public var modelProvider: String?
    /// The key of the session that spawned this one (sub-agents).
    public var spawnedBy: String?

    public var inputTokens: Int
    public var outputTokens: Int
    public var totalTokens: Int
    public var contextTokens: Int?

    public init(key: String, sessionId: String, agentId: String, createdAt: Int, updatedAt: Int) {
        self.key = key
        self.sessionId = sessionId
        self.agentId = agentId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.inputTokens = 0
        self.outputTokens = 0
        self.totalTokens = 0
    }

    /// `global`, `unknown`, `group` (the key has a `:group:` or `:channel:` part) or `direct`, as upstream classifies keys.
    public var kind: String { Self.kind(ofKey: key) }

    public static func kind(ofKey key: String) -> String {
        if key == "global" { return "global" }
        if key == "unknown" { return "unknown" }
        if key.contains(":group:") || key.contains(":channel:") { return "group" }
        return "direct"
    }
}

/// Rows of `sessions`, one column per stored property (`kind` is derived, never stored).
extension SessionEntry: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessions"

    /// The entry of `key`, through a statement compiled once per connection (every run reads it; the query
    /// interface would build and authorize the SQL on each call).
    static func fetch(_ db: Database, key: String) throws -> SessionEntry? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE key = ?"), arguments: [key])
    }
}
