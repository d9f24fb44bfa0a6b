// Sources/Runtime/Agents/RunExecutor.swift - one run: model turns, the tool loop, the transcript, the events

import Foundation
import Generated
import ProtocolSupport

/// Executes a run: rebuilds the conversation from the transcript, streams the model's answer as
/// events, runs the tools it calls and feeds their results back (at most `maxToolIterations` model
/// calls; the last one is offered no tools, so it must answer), and records every step in the
/// transcript before it is reported as done. The terminal events are the runtime's to send
/// (`RunEvents.finish`), after the run's idempotency entry is settled.
struct RunExecutor: Sendable {
    let config: OpenClawConfig
    let store: SessionStore
    let environment: [String: String]
    /// Spans and metrics per model call; nil records nothing.
    var calls: ModelCallObserver? = nil
    let historyLimit = 200

    func execute(_ run: ActiveRun) async -> RunOutcome {
        let request = run.request
        let events = run.events
        let startedAt = run.startedAt ?? Int(Clock.nowMs)
        events.lifecycle("start", ["startedAt": .int(startedAt)])
        var progress = Progress()
        let sessionId = (try? store.entry(key: request.sessionKey))?.sessionId ?? ""
        // Queued behind other runs, the message now follows their answers.
        if let messageId = request.userMessageId { try? store.moveToEnd(key: request.sessionKey, messageId: messageId, now: startedAt) }
        do {
            try await converse(request, events: events, progress: &progress)
            try await record(
                request,
                TranscriptFormat.assistant(
                    progress.turnText, toolCalls: progress.pendingToolCalls, at: now, stopReason: progress.stopReason, usage: progress.usage,
                    provider: progress.provider, model: progress.model
                ),
                usage: progress.usage
            )
            return progress.outcome(.ok, stopReason: progress.stopReason, startedAt: startedAt, sessionId: sessionId)
        } catch {
            if let reason = run.abortReason, reason != "timeout" {
                // Aborted or shut down: keep what was said, marked with why it stopped.
                try? await record(
                    request,
                    TranscriptFormat.assistant(
                        progress.turnText, at: now, stopReason: reason, usage: progress.usage, provider: progress.provider, model: progress.model),
                    usage: progress.usage)
                return progress.outcome(.ok, stopReason: reason, startedAt: startedAt, sessionId: sessionId)
            }
            // The provider's whole-stream budget is the run's own timeout, so its watchdog and the run's timer race
            // to the same deadline (on different threads); either way the run timed out.
            let timedOut =
                run.abortReason == "timeout"
                || {
                    if case .timeout(_, .total) = error as? ProviderError { return true }
                    return false
                }()
            let failure =
                timedOut
                ? RunFailure(message: "agent run timed out after \(Self.seconds(request.timeout))", kind: .timeout, code: .agentTimeout)
                : Self.failure(error)
            let stopReason = failure.kind == .timeout ? "timeout" : "error"
            try? await record(
                request,
                TranscriptFormat.assistant(
                    progress.turnText, at: now, stopReason: stopReason, provider: progress.provider, model: progress.model, errorMessage: failure.message),
                usage: progress.usage)
            var outcome = progress.outcome(.error, stopReason: stopReason, startedAt: startedAt, sessionId: sessionId)
            outcome.failure = failure
            return outcome
        }
    }

    /// What a run has produced so far.
    private struct Progress {
        var runText = ""
        var turnText = ""
        var usage: ChatUsage?
        var provider: String?
        var model: String?
        var stopReason = "stop"
        var toolCalls = 0
        var pendingToolCalls: [ModelToolCall] = []

        mutating func add(_ usage: ModelUsage) {
            let input = (self.usage?.input ?? 0) + usage.inputTokens
            let output = (self.usage?.output ?? 0) + usage.outputTokens
            self.usage = ChatUsage(input: input, output: output, totalTokens: input + output)
        }

        func outcome(_ status: RunOutcome.Status, stopReason: String, startedAt: Int, sessionId: String) -> RunOutcome {
            RunOutcome(
                status: status, text: runText, stopReason: stopReason, usage: usage, provider: provider, model: model, failure: nil,
                startedAt: startedAt, endedAt: Int(Clock.nowMs), toolCalls: toolCalls, sessionId: sessionId, pendingToolCalls: pendingToolCalls
            )
        }
    }

    private func converse(_ request: RunRequest, events: RunEvents, progress: inout Progress) async throws {
        guard let primary = request.agent.models.first else {
            throw ProviderError.notConfigured(
                "no model configured for agent \"\(request.agent.id)\": set agents.defaults.model.primary (for example \"openai/gpt-4o\" with OPENAI_API_KEY set, or a models.providers entry)"
            )
        }
        let registry = ProviderRegistry(
            providers: config.models?.providers, environment: environment, timeouts: ProviderTimeouts(total: request.timeout)
        )
        var provider = try registry.provider(primary: primary, fallbacks: Array(request.agent.models.dropFirst()))
        provider.observer = calls
        var messages = [ModelMessage(role: .system, content: systemPrompt(request))]
        if let conversation = request.conversation {
            messages += conversation
        } else {
            messages += TranscriptFormat.modelMessages(try store.transcript(key: request.sessionKey, limit: historyLimit).map(\.message))
        }
        let clientToolNames = Set(request.clientTools.map(\.name))
        let maxIterations = config.agents?.defaults?.maxToolIterations ?? ConfigDefaults.agentsDefaultsMaxToolIterations
        let tools = BuiltinTools()
        for iteration in 1...maxIterations {
            progress.turnText = ""
            if !progress.runText.isEmpty { progress.runText += "\n\n" }
            var calls: [ModelToolCall] = []
            var stop = ModelStopReason.endTurn
            // Client tools stay on offer to the end: calling one ends the run anyway.
            let offered = (iteration < maxIterations && request.builtinTools ? BuiltinTools.modelTools : []) + request.clientTools
            request.observer?(.turnStarted(iteration: iteration))
            for try await event in provider.stream(ModelRequest(model: primary, messages: messages, tools: offered, maxTokens: request.maxTokens)) {
                switch event {
                case .textDelta(let delta):
                    progress.turnText += delta
                    progress.runText += delta
                    events.assistant(text: progress.runText, delta: delta)
                    request.observer?(.textDelta(delta))
                case .toolCallFinished(let call):
                    calls.append(call)
                case .usage(let usage):
                    progress.add(usage)
                case .finish(let reason):
                    stop = reason
                case .modelSelected(let provider, let model):
                    progress.provider = provider
                    progress.model = model
                case .toolCallStarted, .toolCallArgumentsDelta:
                    break
                }
            }
            if progress.runText.hasSuffix("\n\n") && progress.turnText.isEmpty { progress.runText.removeLast(2) }
            // A cancelled stream ends quietly; the abort reason decides what that means.
            try Task.checkCancellation()
            // Offered no tools (the last iteration, or tools turned off), the model may still emit a
            // call: it is not run, and the run ends with what was said. An unknown tool among offered
            // ones gets an error result instead (below), so the model can recover.
            if offered.isEmpty { calls = [] }
            guard !calls.isEmpty else {
                progress.stopReason = Self.stopReason(stop)
                return
            }
            let forClient = calls.filter { clientToolNames.contains($0.name) }
            if !forClient.isEmpty {
                // The caller runs these; the run ends here and the final record carries the calls.
                progress.pendingToolCalls = forClient
                progress.stopReason = "toolUse"
                return
            }
            try await record(
                request,
                TranscriptFormat.assistant(
                    progress.turnText, toolCalls: calls, at: now, stopReason: "toolUse", provider: progress.provider, model: progress.model), usage: nil)
            messages.append(ModelMessage(role: .assistant, content: progress.turnText, toolCalls: calls))
            let context = ToolContext(store: store, sessionKey: request.sessionKey, now: Date())
            for call in calls {
                events.tool(phase: "start", name: call.name, callId: call.id, arguments: TranscriptFormat.arguments(call.arguments))
                let (text, isError) = await tools.run(call, context: context)
                try Task.checkCancellation()
                events.tool(phase: "result", name: call.name, callId: call.id, result: text, isError: isError)
                try await record(request, TranscriptFormat.toolResult(callId: call.id, name: call.name, text: text, isError: isError, at: now), usage: nil)
                messages.append(ModelMessage(role: .tool, content: text, toolCallId: call.id))
                progress.toolCalls += 1
            }
        }
    }

    private var now: Int { Int(Clock.nowMs) }

    private func record(_ request: RunRequest, _ message: JSONValue, usage: ChatUsage?) async throws {
        let role = message["role"]?.stringValue ?? "assistant"
        try await store.appendGrouped(
            key: request.sessionKey,
            TranscriptMessage(
                role: role, message: message, timestamp: now, runId: request.runId, usage: usage.map { TranscriptUsage(input: $0.input, output: $0.output) })
        )
    }

    private func systemPrompt(_ request: RunRequest) -> String {
        var parts = ["You are \(request.agent.name ?? "a helpful assistant"), answering through the OpenClaw gateway."]
        if let prompt = request.agent.systemPrompt, !prompt.isEmpty { parts.append(prompt) }
        if let extra = request.extraSystemPrompt, !extra.isEmpty { parts.append(extra) }
        return parts.joined(separator: "\n\n")
    }

    static func stopReason(_ reason: ModelStopReason) -> String {
        switch reason {
        case .endTurn, .stopSequence: "stop"
        case .maxTokens: "length"
        case .toolUse: "toolUse"
        case .contentFilter: "refusal"
        case .other(let text): text
        }
    }

    /// A provider failure as a run error: message, `chat` errorKind and `res` code.
    static func failure(_ error: any Error) -> RunFailure {
        guard let error = error as? ProviderError else {
            return RunFailure(message: "\(error)", kind: .unknown, code: .unavailable)
        }
        let text = error.description
        let lowered = text.lowercased()
        let kind: ChatErrorKind
        switch error {
        case .timeout: kind = .timeout
        case .http(_, 429, _): kind = .rateLimit
        default:
            kind =
                lowered.contains("context") && (lowered.contains("length") || lowered.contains("window") || lowered.contains("too long"))
                ? .contextLength : .unknown
        }
        return RunFailure(message: text, kind: kind, code: .unavailable)
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds)
    }
}
