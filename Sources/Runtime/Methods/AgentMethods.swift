// Sources/Runtime/Methods/AgentMethods.swift - agent, agent.wait, agent.identity.get, agents.list, models.list

import Foundation
import Generated
import ProtocolSupport

extension SystemMethods {
    /// Two-phase: the `accepted` ack goes out at once (before any of the run's events), the final
    /// answer later as a second `res` with the same id. A retried key replays instead of re-running
    /// (spec `idempotency:`; the dispatcher answers retries, this handler claims the key and records the final answer).
    func agent(_ params: AgentParams, context: MethodContext) async throws -> Payload<AgentRunResult> {
        let runtime = try hub.agents
        let runId = params.idempotencyKey
        let now = Int(Clock.nowMs)
        let catalog = hub.catalog
        var requestedKey = params.sessionKey
        if requestedKey == nil, let sessionId = params.sessionId {
            guard let owner = try runtime.store.key(ofSessionId: sessionId) else {
                throw GatewayError.invalidRequest("unknown sessionId \"\(sessionId)\"")
            }
            requestedKey = owner
        }
        let (agent, sessionKey) = try resolveTarget(agentId: params.agentId, sessionKey: requestedKey, catalog: catalog)
        let message = params.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !message.isEmpty else { throw GatewayError.invalidRequest("invalid agent params: message must not be empty") }
        let delivery = try params.deliver == true ? replyDelivery(params, lastRoute: try? runtime.store.entry(key: sessionKey)) : nil
        let ack = try Payload(AgentRunResult(runId: runId, status: .accepted, acceptedAt: now))
        let claim = try context.claimIdempotencyKey(interim: ack.erased)
        let timeout = params.timeout.map { Duration.seconds(max($0, 1)) } ?? hub.defaultRunTimeout
        let run = try await admit(
            runtime, runId: runId, origin: .agent, agent: agent, sessionKey: sessionKey, message: message, timeout: timeout,
            extraSystemPrompt: params.extraSystemPrompt, spawnedBy: params.spawnedBy, label: params.label, context: context
        )
        let connection = context.connection
        let requestId = context.requestId
        let request = run.request
        // A retry that saw the final events gets the final answer; the second `res` is queued
        // before anything (a shutdown, say) can close the socket.
        run.onSettle { outcome in
            let (ok, payload, error) = Self.finalAnswer(request, outcome: outcome)
            claim.finish(ok: ok, payload: payload, error: error)
        }
        let logger = hub.logger
        let bestEffort = params.bestEffortDeliver == true
        run.onFinish { outcome in
            guard let delivery else {
                let (ok, payload, error) = Self.finalAnswer(request, outcome: outcome)
                return connection.respond(id: requestId, ok: ok, payload: payload, error: error)
            }
            hub.tasks.spawn {
                let report = await delivery.deliver(outcome, runId: runId, logger: logger)
                let (ok, payload, error) = Self.finalAnswer(request, outcome: outcome, delivery: report, bestEffort: bestEffort)
                // A retry now gets this answer (with `delivered`), not the one settled before delivery.
                claim.finish(ok: ok, payload: payload, error: error)
                connection.respond(id: requestId, ok: ok, payload: payload, error: error)
            }
        }
        connection.respond(id: requestId, ok: true, payload: ack.erased)
        runtime.submit(run)
        throw ResponseAlreadySent()
    }

    func agentWait(_ params: AgentWaitParams, context: MethodContext) async throws -> Payload<AgentWaitResult> {
        let runtime = try hub.agents
        let timeout = Duration.milliseconds(params.timeoutMs ?? 30_000)
        var outcome = runtime.outcome(of: params.runId)
        if outcome == nil, let run = runtime.active(params.runId) {
            outcome = await run.finished(within: timeout)
            if outcome == nil {
                return try Payload(AgentWaitResult(runId: params.runId, status: .timeout, startedAt: run.startedAt))
            }
        }
        guard let outcome else {
            // Upstream waits for the run's lifecycle events; a run it never hears of times out.
            try? await Task.sleep(for: timeout)
            if let late = runtime.outcome(of: params.runId) { return try Payload(Self.waitResult(params.runId, late)) }
            return try Payload(AgentWaitResult(runId: params.runId, status: .timeout))
        }
        return try Payload(Self.waitResult(params.runId, outcome))
    }

    func agentIdentityGet(_ params: AgentIdentityParams, context: MethodContext) async throws -> Payload<AgentIdentity> {
        let catalog = hub.catalog
        let id = params.agentId ?? params.sessionKey.flatMap { SessionKey.agentId(of: SessionKey.canonical($0, defaultAgent: catalog.defaultId)) }
        guard let agent = catalog.agent(id) else { throw Self.unknownAgent(id ?? "") }
        return try Payload(AgentIdentity(agentId: agent.id, name: agent.name, avatar: agent.avatar, emoji: agent.emoji))
    }

    func agentsList(context: MethodContext) async throws -> Payload<AgentsListResult> {
        let catalog = hub.catalog
        let agents = catalog.agents.map { agent in
            AgentSummary(
                id: agent.id, name: agent.name,
                identity: agent.name == nil && agent.emoji == nil && agent.avatar == nil
                    ? nil : AgentIdentityInfo(name: agent.name, emoji: agent.emoji, avatar: agent.avatar),
                model: agent.models.first
            )
        }
        return try Payload(AgentsListResult(defaultId: catalog.defaultId, mainKey: SessionKey.mainKey, scope: "per-sender", agents: agents))
    }

    func modelsList(_ params: ModelsListParams, context: MethodContext) async throws -> Payload<ModelsListResult> {
        let config = hub.config.withLock { $0.config }
        var seen = Set<String>()
        var models: [ModelChoice] = []
        for (providerId, provider) in (config.models?.providers?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for model in provider["models"]?.arrayValue ?? [] {
                guard let id = model["id"]?.stringValue, seen.insert("\(providerId)/\(id)").inserted else { continue }
                models.append(
                    ModelChoice(
                        id: id, name: model["name"]?.stringValue ?? id, provider: providerId, contextWindow: model["contextWindow"]?.intValue,
                        reasoning: model["reasoning"]?.boolValue
                    )
                )
            }
        }
        for reference in hub.catalog.agents.flatMap(\.models) where seen.insert(reference).inserted {
            guard let slash = reference.firstIndex(of: "/") else { continue }
            let id = String(reference[reference.index(after: slash)...])
            models.append(ModelChoice(id: id, name: id, provider: String(reference[..<slash])))
        }
        return try Payload(ModelsListResult(models: models))
    }

    // MARK: - Shared by agent and chat.send

    /// The agent and canonical session key a request targets; an unknown agent is `UNKNOWN_AGENT_ID`.
    func resolveTarget(agentId: String?, sessionKey: String?, catalog: AgentCatalog) throws -> (AgentProfile, String) {
        if let sessionKey {
            let key = SessionKey.canonical(sessionKey, defaultAgent: agentId.map(AgentID.normalize) ?? catalog.defaultId)
            let owner = SessionKey.agentId(of: key) ?? agentId.map(AgentID.normalize) ?? catalog.defaultId
            if let agentId, AgentID.normalize(agentId) != owner {
                throw GatewayError.invalidRequest("session key \"\(key)\" belongs to agent \"\(owner)\", not \"\(agentId)\"")
            }
            guard let agent = catalog.agent(owner) else { throw Self.unknownAgent(owner) }
            return (agent, key)
        }
        guard let agent = catalog.agent(agentId) else { throw Self.unknownAgent(agentId ?? "") }
        return (agent, SessionKey.main(agent: agent.id))
    }

    /// Where `deliver: true` sends the reply: the reply overrides, else `channel`/`to`/`accountId`,
    /// else (as upstream, when neither channel nor target is named) the session's last route.
    private func replyDelivery(_ params: AgentParams, lastRoute entry: SessionEntry?) throws -> ReplyDelivery {
        var channel = params.replyChannel ?? params.channel
        var to = params.replyTo ?? params.to
        var accountId = params.replyAccountId ?? params.accountId
        if channel == nil, to == nil, let entry, let lastChannel = entry.lastChannel, let lastTo = entry.lastTo {
            (channel, to, accountId) = (lastChannel, lastTo, accountId ?? entry.lastAccountId)
        }
        guard let channel, let to else {
            throw GatewayError.invalidRequest(
                "deliver needs a channel (replyChannel or channel) and a target (replyTo or to); the session has no last channel route to use"
            )
        }
        do {
            return try ReplyDelivery.resolve(channel: channel, to: to, accountId: accountId, threadId: params.threadId, hub: hub)
        } catch {
            switch error {
            case .invalid(let message): throw GatewayError.invalidRequest("invalid delivery: \(message)")
            case .unavailable(let message): throw GatewayError(.unavailable, message)
            }
        }
    }

    /// Persists the user's message and builds the run (see `AgentRuntime.admit`); tool events go
    /// to the calling connection when it advertised `caps: ["tool-events"]`. A refused run frees the
    /// request's idempotency key (the dispatcher releases it when this throws).
    func admit(
        _ runtime: AgentRuntime, runId: String, origin: RunOrigin, agent: AgentProfile, sessionKey: String, message: String, timeout: Duration,
        extraSystemPrompt: String?, spawnedBy: String?, label: String?, context: MethodContext
    ) async throws -> ActiveRun {
        let wantsToolEvents = context.client.params.caps?.contains("tool-events") == true
        let request = RunRequest(
            runId: runId, origin: origin, sessionKey: sessionKey, agent: agent, message: message, timeout: timeout,
            extraSystemPrompt: extraSystemPrompt, toolEventRecipient: wantsToolEvents ? context.connection : nil, spawnedBy: spawnedBy,
            acceptedAt: Int(Clock.nowMs)
        )
        return try await runtime.admit(request, label: label)
    }

    /// The second answer of `agent`: ok with the payloads, or the error with `{runId, status:"error", summary}`.
    /// With a delivery, `meta.delivered` says whether the reply reached the channel; a failed delivery
    /// is the answer's error unless `bestEffort`.
    static func finalAnswer(
        _ request: RunRequest, outcome: RunOutcome, delivery: ReplyDelivery.Report? = nil, bestEffort: Bool = false
    ) -> (ok: Bool, payload: EncodedJSON?, error: ErrorShape?) {
        let runId = request.runId
        if let failure = outcome.failure {
            let payload = try? Payload(AgentRunResult(runId: runId, status: .error, summary: failure.message)).erased
            return (false, payload, ErrorShape(code: failure.code, message: failure.message))
        }
        if let delivery, delivery.attempted, !delivery.delivered, !bestEffort {
            let message = "delivery failed: \(delivery.error ?? "the channel refused the reply")"
            let payload = try? Payload(AgentRunResult(runId: runId, status: .error, summary: message)).erased
            return (false, payload, ErrorShape(code: .unavailable, message: message))
        }
        let meta = AgentRunMeta(
            durationMs: max(0, outcome.endedAt - (outcome.startedAt ?? outcome.endedAt)), sessionKey: request.sessionKey, sessionId: outcome.sessionId,
            agentId: request.agent.id,
            provider: outcome.provider, model: outcome.model, stopReason: outcome.stopReason, usage: outcome.usage, toolCalls: outcome.toolCalls,
            delivered: delivery.flatMap { $0.attempted ? $0.delivered : nil }
        )
        let result = AgentRunResult(
            runId: runId, status: .ok, summary: outcome.wasAborted ? outcome.stopReason : "completed",
            result: AgentRunOutput(payloads: outcome.text.isEmpty ? [] : [AgentPayload(text: outcome.text)], meta: meta)
        )
        return (true, try? Payload(result).erased, nil)
    }

    static func waitResult(_ runId: String, _ outcome: RunOutcome) -> AgentWaitResult {
        AgentWaitResult(
            runId: runId, status: outcome.status == .ok ? .ok : .error, startedAt: outcome.startedAt, endedAt: outcome.endedAt,
            error: outcome.failure?.message
        )
    }

    static func unknownAgent(_ id: String) -> GatewayError {
        GatewayError.invalidRequest("unknown agent id \"\(id)\"", details: UnknownAgentIdDetails())
    }
}
