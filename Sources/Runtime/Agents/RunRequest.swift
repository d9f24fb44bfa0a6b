// Sources/Runtime/Agents/RunRequest.swift - what a run is asked to do, and how it ended

import Generated

/// Which method started a run: it decides the dedupe namespace and what a retry gets back.
enum RunOrigin: String, Sendable {
    case agent, chat, http, channel, heartbeat, cron
}

/// Everything a run needs, fixed when it is accepted.
struct RunRequest: Sendable {
    let runId: String
    let origin: RunOrigin
    let sessionKey: String
    let agent: AgentProfile
    var message: String
    let timeout: Duration
    let extraSystemPrompt: String?
    /// The connection that started the run, when it advertised `caps: ["tool-events"]`.
    let toolEventRecipient: Connection?
    let spawnedBy: String?
    let acceptedAt: Int
    /// The model's input when the caller brings the whole conversation (the OpenAI-compatible HTTP
    /// APIs); nil rebuilds it from the session's transcript.
    var conversation: [ModelMessage]? = nil
    /// Whether the model is offered the gateway's built-in tools (`tool_choice: "none"` turns them off).
    var builtinTools = true
    /// Tools the caller executes itself: a call to one ends the run with `pendingToolCalls`.
    var clientTools: [ModelTool] = []
    /// Cap on output tokens per model call.
    var maxTokens: Int? = nil
    /// The transcript row of the user's message, set at admission.
    var userMessageId: String? = nil
    /// The chat a channel message came from; recorded as the session's last route at admission.
    var route: SessionRoute? = nil
    /// Sees the answer as it streams (HTTP streaming responses).
    var observer: (@Sendable (RunProgress) -> Void)? = nil
}

/// What a run's observer is told while it streams.
enum RunProgress: Sendable {
    case textDelta(String)
    /// A model turn began (after a tool round trip the text continues in a new turn).
    case turnStarted(iteration: Int)
}

/// Why a run failed, in the terms of `chat` error events and `res` errors.
struct RunFailure: Sendable, Error {
    var message: String
    var kind: ChatErrorKind
    var code: ErrorCode
}

/// How a run ended.
struct RunOutcome: Sendable {
    /// The `outcome` label of `openclaw_runs_total`: ok, error, timeout, aborted or shutdown.
    var metricsLabel: String {
        switch (status, stopReason) {
        case (.error, "timeout"): "timeout"
        case (.error, _): "error"
        case (.ok, "aborted"), (.ok, "shutdown"): stopReason
        case (.ok, _): "ok"
        }
    }

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
    /// Calls to client tools the caller must run (the run ended with `stopReason: "toolUse"`).
    var pendingToolCalls: [ModelToolCall] = []

    var wasAborted: Bool { stopReason == "aborted" || stopReason == "shutdown" }
}
