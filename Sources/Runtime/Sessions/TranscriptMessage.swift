// Sources/Runtime/Sessions/TranscriptMessage.swift - transcript rows in upstream's message shape

import ProtocolSupport

/// One message to append, in upstream's transcript shape. The message object is kept as JSON, so
/// `chat.history` and the JSONL export hand it back without translation.
public struct TranscriptMessage: Sendable, Hashable {
    /// `user`, `assistant`, `toolResult` or `system`.
    public var role: String
    /// The full upstream message object: `{role, content: [{type: "text", text}], timestamp, …}`.
    public var message: JSONValue
    /// Milliseconds since the epoch.
    public var timestamp: Int
    public var runId: String?
    /// Tokens this message cost; added to the session's counters.
    public var usage: TranscriptUsage?

    public init(role: String, message: JSONValue, timestamp: Int, runId: String? = nil, usage: TranscriptUsage? = nil) {
        self.role = role
        self.message = message
        self.timestamp = timestamp
        self.runId = runId
        self.usage = usage
    }
}

/// Input and output tokens of one model turn.
public struct TranscriptUsage: Sendable, Hashable {
    public var input: Int
    public var output: Int

    public init(input: Int, output: Int) {
        self.input = input
        self.output = output
    }
}

/// A stored transcript message: what `append` returns and `transcript` lists.
public struct TranscriptRecord: Sendable, Hashable {
    /// Insertion order across the whole database: within one transcript, later messages have larger values.
    public var seq: Int64
    /// 8 lowercase hex characters, unique in the database (upstream's entry id).
    public var id: String
    public var sessionId: String
    /// The previous message of the same transcript; nil for the first.
    public var parentId: String?
    public var role: String
    public var timestamp: Int
    public var runId: String?
    public var message: JSONValue

    public init(seq: Int64, id: String, sessionId: String, parentId: String?, role: String, timestamp: Int, runId: String?, message: JSONValue) {
        self.seq = seq
        self.id = id
        self.sessionId = sessionId
        self.parentId = parentId
        self.role = role
        self.timestamp = timestamp
        self.runId = runId
        self.message = message
    }
}
