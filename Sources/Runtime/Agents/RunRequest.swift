// Sources/Runtime/Agents/RunRequest.swift - what a run is asked to do, and how it ended

import Generated

/// Which method started a run: it decides the dedupe namespace and what a retry gets back.
enum RunOrigin: String, Sendable {
    case agent, chat
}

/// Everything a run needs, fixed when it is accepted.
struct RunRequest: Sendable {
    let runId: String
    let origin: RunOrigin
    let sessionKey: String
    let agent: AgentProfile
    let message: String
    let timeout: Duration
    let extraSystemPrompt: String?
    /// The connection that started the run, when it advertised `caps: ["tool-events"]`.
    let toolEventRecipient: Connection?
    let spawnedBy: String?
    let acceptedAt: Int
}

/// Why a run failed, in the terms of `chat` error events and `res` errors.
struct RunFailure: Sendable, Error {
    var message: String
    var kind: ChatErrorKind
    var code: ErrorCode
}

/// How a run ended.
struct RunOutcome: Sendable {
    enum Status: String, Sendable {
        case ok, error
    }

    var status: Status
    /// The final assistant text (what was streamed before an abort).
    var text: String
    /// `stop`, `length`, `toolUse`, `aborted`, `shutdown`, `timeout` or `error`.
    var stopReason: String
    var usage: ChatUsage?
    var provider: String?
    var model: String?
    var failure: RunFailure?
    var startedAt: Int?
    var endedAt: Int
    var toolCalls: Int
    var sessionId: String

    var wasAborted: Bool { stopReason == "aborted" || stopReason == "shutdown" }
}
