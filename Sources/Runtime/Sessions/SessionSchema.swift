// Sources/Runtime/Sessions/SessionSchema.swift - the session database's tables, as numbered migrations

import GRDB

/// The schema of `sessions.sqlite`. Add migrations at the end; never edit a released one.
///
/// - `sessions`: one row per session key (its metadata, `SessionEntry`).
/// - `transcripts`: one row per transcript (a key gets a new one on reset), with when it started.
/// - `messages`: transcript messages; `seq` orders them, `id`/`parentId` are upstream's entry ids.
enum SessionSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sessions-transcripts") { db in
            try db.create(table: "sessions") { table in
                table.primaryKey("key", .text)
                table.column("sessionId", .text).notNull()
                table.column("agentId", .text).notNull()
                table.column("createdAt", .integer).notNull()
                table.column("updatedAt", .integer).notNull().indexed()
                for name in [
                    "label", "displayName", "derivedTitle", "lastMessagePreview", "channel", "lastChannel", "lastTo", "lastAccountId",
                    "thinkingLevel", "verboseLevel", "reasoningLevel", "elevatedLevel", "sendPolicy", "model", "modelProvider", "spawnedBy",
                ] {
                    table.column(name, .text)
                }
                table.column("inputTokens", .integer).notNull().defaults(to: 0)
                table.column("outputTokens", .integer).notNull().defaults(to: 0)
                table.column("totalTokens", .integer).notNull().defaults(to: 0)
                table.column("contextTokens", .integer)
            }
            try db.create(table: "transcripts") { table in
                table.primaryKey("sessionId", .text)
                table.column("sessionKey", .text).notNull().indexed()
                table.column("startedAt", .integer).notNull()
            }
            try db.create(table: "messages") { table in
                table.autoIncrementedPrimaryKey("seq")
                table.column("id", .text).notNull().unique()
                table.column("sessionId", .text).notNull().references("transcripts", column: "sessionId", onDelete: .cascade)
                table.column("parentId", .text)
                table.column("role", .text).notNull()
                table.column("timestamp", .integer).notNull()
                table.column("runId", .text)
                table.column("message", .text).notNull()
            }
            try db.create(index: "messages_by_session", on: "messages", columns: ["sessionId", "seq"])
        }
        return migrator
    }
}
