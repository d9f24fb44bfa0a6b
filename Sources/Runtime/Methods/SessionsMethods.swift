// Sources/Runtime/Methods/SessionsMethods.swift - sessions.list, .preview, .resolve, .patch, .reset, .delete

import Foundation
import Generated
import ProtocolSupport

extension SystemMethods {
    func sessionsList(_ params: SessionsListParams, context: MethodContext) async throws -> Payload<SessionsListResult> {
        let runtime = try hub.agents
        let now = Int(Clock.nowMs)
        let query = SessionQuery(
            limit: nil, activeMinutes: params.activeMinutes, search: params.search, agentId: params.agentId.map(AgentID.normalize),
            label: params.label, spawnedBy: params.spawnedBy, now: now
        )
        var entries = try runtime.store.list(query).filter { entry in
            (params.includeGlobal == true || entry.kind != "global") && (params.includeUnknown == true || entry.kind != "unknown")
        }
        if let limit = params.limit { entries = Array(entries.prefix(limit)) }
        let rows = entries.map { Self.row($0, titles: params.includeDerivedTitles == true, lastMessage: params.includeLastMessage == true) }
        return try Payload(SessionsListResult(ts: now, path: runtime.store.path, count: rows.count, defaults: sessionDefaults(), sessions: rows))
    }

    func sessionsPreview(_ params: SessionsPreviewParams, context: MethodContext) async throws -> Payload<SessionsPreviewResult> {
        let runtime = try hub.agents
        let defaultAgent = hub.catalog.defaultId
        let limit = params.limit ?? 12
        let maxChars = params.maxChars ?? 240
        let previews = try params.keys.map { key -> SessionPreview in
            let canonical = SessionKey.canonical(key, defaultAgent: defaultAgent)
            guard try runtime.store.entry(key: canonical) != nil else { return SessionPreview(key: key, status: "missing", items: []) }
            let items = try runtime.store.transcript(key: canonical, limit: limit).compactMap { record -> SessionPreviewItem? in
                let text = TranscriptFormat.text(of: record.message)
                guard !text.isEmpty else { return nil }
                let role = record.role == "toolResult" ? "tool" : record.role
                return SessionPreviewItem(role: role, text: String(text.prefix(maxChars)))
            }
            return SessionPreview(key: key, status: items.isEmpty ? "empty" : "ok", items: items)
        }
        return try Payload(SessionsPreviewResult(ts: Int(Clock.nowMs), previews: previews))
    }

    func sessionsResolve(_ params: SessionsResolveParams, context: MethodContext) async throws -> Payload<SessionsResolveResult> {
        let runtime = try hub.agents
        let given = [params.key, params.sessionId, params.label].compactMap { $0 }
        guard given.count == 1 else { throw GatewayError.invalidRequest("Provide either key, sessionId, or label (not several)") }
        let defaultAgent = params.agentId.map(AgentID.normalize) ?? hub.catalog.defaultId
        let entries = try runtime.store.list(SessionQuery(agentId: params.agentId.map(AgentID.normalize), spawnedBy: params.spawnedBy, now: Int(Clock.nowMs)))
        let found: SessionEntry?
        if let key = params.key {
            found = try runtime.store.entry(key: SessionKey.canonical(key, defaultAgent: defaultAgent))
        } else if let sessionId = params.sessionId {
            found = entries.first { $0.sessionId == sessionId }
        } else {
            found = entries.first { $0.label == params.label }
        }
        guard let entry = found, params.includeGlobal == true || entry.kind != "global", params.includeUnknown == true || entry.kind != "unknown" else {
            throw GatewayError.invalidRequest("No session found: \(given[0])")
        }
        return try Payload(SessionsResolveResult(ok: true, key: entry.key))
    }

    func sessionsPatch(_ params: SessionsPatchParams, context: MethodContext) async throws -> Payload<SessionsPatchResult> {
        try rejectWebchatMutation(context, verb: "patch")
        let runtime = try hub.agents
        // A key without a session gets one (upstream: patching is how clients ensure a session); its agent must exist.
        let (agent, key) = try resolveTarget(agentId: nil, sessionKey: params.key, catalog: hub.catalog)
        // Types, and absent vs null, are the generated params' (`patch: true`); only the values are checked here.
        if let level = params.verboseLevel.value, !["off", "on", "full"].contains(level) {
            throw GatewayError.invalidRequest("invalid verboseLevel \"\(level)\" (use off, on or full)")
        }
        if let policy = params.sendPolicy.value, !["allow", "deny"].contains(policy) {
            throw GatewayError.invalidRequest("invalid sendPolicy \"\(policy)\" (use allow or deny)")
        }
        let model = try params.model.map { reference in
            guard let slash = reference.firstIndex(of: "/") else {
                throw GatewayError.invalidRequest("invalid model \"\(reference)\": write it as provider/model")
            }
            return (provider: String(reference[..<slash]), model: String(reference[reference.index(after: slash)...]))
        }
        let entry: SessionEntry
        do {
            entry = try runtime.store.upsert(key: key, agentId: agent.id, now: Int(Clock.nowMs)) { entry in
                params.label.apply(to: &entry.label)
                params.displayName.apply(to: &entry.displayName)
                params.thinkingLevel.apply(to: &entry.thinkingLevel)
                params.verboseLevel.apply(to: &entry.verboseLevel)
                params.reasoningLevel.apply(to: &entry.reasoningLevel)
                params.elevatedLevel.apply(to: &entry.elevatedLevel)
                params.sendPolicy.apply(to: &entry.sendPolicy)
                params.spawnedBy.apply(to: &entry.spawnedBy)
                model.map(\.model).apply(to: &entry.model)
                model.map(\.provider).apply(to: &entry.modelProvider)
            }
        } catch {
            throw GatewayError(.unavailable, "could not update the session: \(error)")
        }
        return try Payload(SessionsPatchResult(ok: true, path: runtime.store.path, key: key, entry: Self.row(entry, titles: true, lastMessage: true)))
    }

    func sessionsReset(_ params: SessionsResetParams, context: MethodContext) async throws -> Payload<SessionsPatchResult> {
        try rejectWebchatMutation(context, verb: "patch")
        let runtime = try hub.agents
        let key = SessionKey.canonical(params.key, defaultAgent: hub.catalog.defaultId)
        runtime.abort(runtime.runs(in: key), reason: "aborted")
        guard let entry = try runtime.store.reset(key: key, now: Int(Clock.nowMs)) else {
            throw GatewayError.invalidRequest("No session found: \(params.key)")
        }
        return try Payload(SessionsPatchResult(ok: true, path: runtime.store.path, key: key, entry: Self.row(entry, titles: true, lastMessage: true)))
    }

    func sessionsDelete(_ params: SessionsDeleteParams, context: MethodContext) async throws -> Payload<SessionsDeleteResult> {
        try rejectWebchatMutation(context, verb: "delete")
        let runtime = try hub.agents
        let key = SessionKey.canonical(params.key, defaultAgent: hub.catalog.defaultId)
        if key == SessionKey.main(agent: hub.catalog.defaultId), runtime.runs(in: key).isEmpty == false {
            throw GatewayError.invalidRequest("Cannot delete the main session while it is running")
        }
        runtime.abort(runtime.runs(in: key), reason: "aborted")
        let deleted = try runtime.store.delete(key: key, deleteTranscript: params.deleteTranscript ?? true)
        return try Payload(SessionsDeleteResult(ok: true, key: key, deleted: deleted))
    }

    // MARK: - Helpers

    /// Upstream keeps the public webchat surface from changing sessions; the Control UI is exempt.
    private func rejectWebchatMutation(_ context: MethodContext, verb: String) throws {
        let client = context.client.params.client
        guard client.mode == .webchat, client.id != .openclawControlUi else { return }
        throw GatewayError.invalidRequest("webchat clients cannot \(verb) sessions; use chat.send for session-scoped updates")
    }

    private func sessionDefaults() -> SessionDefaults {
        let catalog = hub.catalog
        guard let reference = catalog.defaultAgent.models.first, let slash = reference.firstIndex(of: "/") else {
            return SessionDefaults(modelProvider: nil, model: nil, contextTokens: nil)
        }
        let provider = String(reference[..<slash])
        let model = String(reference[reference.index(after: slash)...])
        // The context window a `models.providers.<id>.models[]` entry declares for the default model.
        let providers = hub.config.withLock { $0.config.models?.providers }
        let window = providers?[provider]?["models"]?.arrayValue?.first { $0["id"]?.stringValue == model }?["contextWindow"]?.intValue
        return SessionDefaults(modelProvider: provider, model: model, contextTokens: window)
    }

    static func row(_ entry: SessionEntry, titles: Bool, lastMessage: Bool) -> SessionRow {
        SessionRow(
            key: entry.key, kind: entry.kind, label: entry.label, displayName: entry.displayName, derivedTitle: titles ? entry.derivedTitle : nil,
            lastMessagePreview: lastMessage ? entry.lastMessagePreview : nil, channel: entry.channel, updatedAt: entry.updatedAt,
            sessionId: entry.sessionId, thinkingLevel: entry.thinkingLevel, verboseLevel: entry.verboseLevel, reasoningLevel: entry.reasoningLevel,
            elevatedLevel: entry.elevatedLevel, sendPolicy: entry.sendPolicy, inputTokens: entry.inputTokens, outputTokens: entry.outputTokens,
            totalTokens: entry.totalTokens, model: entry.model, modelProvider: entry.modelProvider, contextTokens: entry.contextTokens,
            lastChannel: entry.lastChannel, lastTo: entry.lastTo, lastAccountId: entry.lastAccountId, spawnedBy: entry.spawnedBy
        )
    }
}
