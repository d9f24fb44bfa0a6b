// Sources/Runtime/Methods/ChatMethods.swift - chat.send, chat.history, chat.abort, chat.inject

import Foundation
import Generated
import ProtocolSupport

extension SystemMethods {
    static let historyByteCap = 6 * 1024 * 1024

    func chatSend(_ params: ChatSendParams, context: MethodContext) async throws -> Payload<ChatSendResult> {
        let runtime = try hub.agents
        let catalog = hub.catalog
        let (agent, sessionKey) = try resolveTarget(agentId: params.agentId, sessionKey: params.sessionKey, catalog: catalog)
        let message = params.message.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.lowercased() == "/stop", params.suppressCommandInterpretation != true {
            let aborted = runtime.abort(runtime.runs(in: sessionKey), reason: "aborted")
            return try Payload(ChatSendResult(ok: true, aborted: !aborted.isEmpty, runIds: aborted))
        }
        guard !message.isEmpty || !(params.attachments ?? []).isEmpty else {
            throw GatewayError.invalidRequest("invalid chat.send params: message must not be empty")
        }
        let runId = params.idempotencyKey
        let ack = try Payload(ChatSendResult(runId: runId, status: .started))
        // A retry while the run goes is told it is in flight (the dispatcher replays this).
        let claim = try context.claimIdempotencyKey(interim: try Payload(ChatSendResult(runId: runId, status: .inFlight)).erased)
        let timeout = params.timeoutMs.map { Duration.milliseconds(max($0, 1)) } ?? hub.defaultRunTimeout
        let run = try await admit(
            runtime, runId: runId, origin: .chat, agent: agent, sessionKey: sessionKey, message: message, timeout: timeout,
            extraSystemPrompt: nil, spawnedBy: nil, label: nil, context: context
        )
        run.onSettle { outcome in
            if let failure = outcome.failure {
                let payload = try? Payload(ChatSendResult(runId: runId, status: .error)).erased
                claim.finish(ok: false, payload: payload, error: ErrorShape(code: failure.code, message: failure.message))
            } else {
                let payload = try? Payload(ChatSendResult(runId: runId, status: .ok)).erased
                claim.finish(ok: true, payload: payload, error: nil)
            }
        }
        context.connection.respond(id: context.requestId, ok: true, payload: ack.erased)
        runtime.submit(run)
        throw ResponseAlreadySent()
    }

    func chatHistory(_ params: ChatHistoryParams, context: MethodContext) async throws -> Payload<ChatHistoryResult> {
        let runtime = try hub.agents
        let key = SessionKey.canonical(params.sessionKey, defaultAgent: params.agentId.map(AgentID.normalize) ?? hub.catalog.defaultId)
        guard let entry = try runtime.store.entry(key: key) else {
            return try Payload(ChatHistoryResult(sessionKey: key, messages: []))
        }
        var messages = try runtime.store.transcript(key: key, limit: params.limit ?? 200).map(\.message)
        if let maxChars = params.maxChars { messages = messages.map { Self.clip($0, to: maxChars) } }
        // Keep the newest messages within the byte cap.
        var total = 0
        var kept: [JSONValue] = []
        for message in messages.reversed() {
            total += (try? WireJSON.encode(message).count) ?? 0
            if total > Self.historyByteCap { break }
            kept.append(message)
        }
        return try Payload(
            ChatHistoryResult(
                sessionKey: key, sessionId: entry.sessionId, messages: kept.reversed(), thinkingLevel: entry.thinkingLevel, verboseLevel: entry.verboseLevel)
        )
    }

    func chatAbort(_ params: ChatAbortParams, context: MethodContext) async throws -> Payload<ChatAbortResult> {
        let runtime = try hub.agents
        let key = SessionKey.canonical(params.sessionKey, defaultAgent: params.agentId.map(AgentID.normalize) ?? hub.catalog.defaultId)
        var targets = runtime.runs(in: key)
        if let runId = params.runId {
            if let run = runtime.active(runId), run.request.sessionKey != key {
                throw GatewayError.invalidRequest("run \(runId) does not belong to session \(key)")
            }
            targets = targets.filter { $0.id == runId }
        }
        let aborted = runtime.abort(targets, reason: "aborted")
        return try Payload(ChatAbortResult(ok: true, aborted: !aborted.isEmpty, runIds: aborted))
    }

    func chatInject(_ params: ChatInjectParams, context: MethodContext) async throws -> Payload<ChatInjectResult> {
        let runtime = try hub.agents
        if let label = params.label, label.count > 100 {
            throw GatewayError.invalidRequest("invalid chat.inject params: at /label: must NOT have more than 100 characters")
        }
        let catalog = hub.catalog
        let (agent, key) = try resolveTarget(agentId: params.agentId, sessionKey: params.sessionKey, catalog: catalog)
        let now = Int(Clock.nowMs)
        let message = TranscriptFormat.assistant(params.message, at: now, stopReason: "injected", label: params.label)
        let record: TranscriptRecord
        do {
            _ = try runtime.store.ensure(key: key, agentId: agent.id, now: now)
            record = try runtime.store.append(key: key, TranscriptMessage(role: "assistant", message: message, timestamp: now, runId: params.idempotencyKey))
        } catch {
            throw GatewayError(.unavailable, "could not record the message: \(error)")
        }
        let runId = params.idempotencyKey ?? "inject-\(record.id)"
        let event = ChatEvent(
            runId: runId, sessionKey: key, seq: 0, state: .final, message: TranscriptFormat.chatMessage(params.message, at: now), stopReason: "injected")
        if let outbound = try? OutboundEvent.chat(event) { hub.broadcast(outbound) }
        return try Payload(ChatInjectResult(ok: true, messageId: record.id))
    }

    /// Cuts every text block of a message to `limit` characters.
    private static func clip(_ message: JSONValue, to limit: Int) -> JSONValue {
        guard var object = message.objectValue, let blocks = object["content"]?.arrayValue else { return message }
        object["content"] = .array(
            blocks.map { block in
                guard var fields = block.objectValue, let text = fields["text"]?.stringValue, text.count > limit else { return block }
                fields["text"] = .string(String(text.prefix(limit)))
                return .object(fields)
            }
        )
        return .object(object)
    }
}
