// Sources/Runtime/Automation/Heartbeat/HeartbeatPolicy.swift - one agent's heartbeat settings, resolved

import Foundation
import Generated
import ProtocolSupport

/// `agents.defaults.heartbeat` with the agent's own `agents.list[].heartbeat` merged over it and the
/// spec's defaults applied, read once per beat. Which agents beat is upstream's rule: the agents
/// whose list entry has `heartbeat` when any has, else only the default agent.
struct HeartbeatPolicy: Sendable, Equatable {
    var agentId: String
    /// Milliseconds between beats; nil turns this agent's heartbeat off.
    var intervalMs: Int?
    /// `every` as configured.
    var every: String
    var activeHours: ActiveHours?
    var model: String?
    var session: String
    var target: String
    var to: String?
    var accountId: String?
    var prompt: String
    var ackMaxChars: Int
    var includeReasoning: Bool
    var workspace: String

    /// Every agent that beats under `config`, in catalog order.
    static func resolve(config: OpenClawConfig, catalog: AgentCatalog, stateDir: String, home: String) -> [HeartbeatPolicy] {
        let defaults = config.agents?.defaults
        let entries = config.agents?.list?.arrayValue ?? []
        var own: [String: AgentsDefaultsHeartbeatConfig] = [:]
        var workspaces: [String: String] = [:]
        for entry in entries {
            guard let id = entry["id"]?.stringValue.map(AgentID.normalize) else { continue }
            if let value = entry["heartbeat"], value != .null {
                own[id] = (try? WireJSON.decode(AgentsDefaultsHeartbeatConfig.self, from: WireJSON.encode(value))) ?? AgentsDefaultsHeartbeatConfig()
            }
            if let path = entry["workspace"]?.stringValue, !path.isEmpty { workspaces[id] = path }
        }
        let beating = own.isEmpty ? [catalog.defaultId] : catalog.agents.map(\.id).filter { own[$0] != nil }
        return beating.map { id in
            let merged = merge(defaults?.heartbeat, own[id])
            let workspace = workspaces[id] ?? (id == catalog.defaultId ? defaults?.workspace : nil)
            return HeartbeatPolicy(
                agentId: id, config: merged, userTimezone: defaults?.userTimezone,
                workspace: workspace.map { expand($0, home: home) } ?? defaultWorkspace(agentId: id, isDefault: id == catalog.defaultId, stateDir: stateDir)
            )
        }
    }

    init(agentId: String, config: AgentsDefaultsHeartbeatConfig, userTimezone: String?, workspace: String) {
        self.agentId = agentId
        every = config.every ?? ConfigDefaults.agentsDefaultsHeartbeatEvery
        // Unparsable (a negative value included) or zero turns the heartbeat off.
        intervalMs = (try? CronTimeText.durationMs(every, defaultUnit: .m)).flatMap { $0 > 0 ? Int($0) : nil }
        activeHours = config.activeHours.flatMap {
            ActiveHours(start: $0.start, end: $0.end, timezone: $0.timezone, userTimezone: userTimezone)
        }
        model = config.model.flatMap { $0.isEmpty ? nil : $0 }
        session = config.session ?? ConfigDefaults.agentsDefaultsHeartbeatSession
        target = (config.target ?? ConfigDefaults.agentsDefaultsHeartbeatTarget).trimmingCharacters(in: .whitespaces).lowercased()
        to = config.to.flatMap { $0.isEmpty ? nil : $0 }
        accountId = config.accountId.flatMap { $0.isEmpty ? nil : $0 }
        prompt = config.prompt.flatMap { $0.isEmpty ? nil : $0 } ?? ConfigDefaults.agentsDefaultsHeartbeatPrompt
        ackMaxChars = config.ackMaxChars ?? ConfigDefaults.agentsDefaultsHeartbeatAckMaxChars
        includeReasoning = config.includeReasoning ?? ConfigDefaults.agentsDefaultsHeartbeatIncludeReasoning
        self.workspace = workspace
    }

    /// Upstream's layout: `<stateDir>/workspace` for the default agent, `<stateDir>/workspace-<id>` for the others.
    static func defaultWorkspace(agentId: String, isDefault: Bool, stateDir: String) -> String {
        stateDir + (isDefault ? "/workspace" : "/workspace-\(agentId)")
    }

    /// The session a beat runs in: `main`/`global` → the agent's main session; a key of another agent falls back to main.
    func sessionKey(defaultAgent: String) -> String {
        let main = SessionKey.main(agent: agentId)
        let wanted = session.trimmingCharacters(in: .whitespaces)
        if wanted.isEmpty || wanted == "main" || wanted == "global" { return main }
        let key = SessionKey.canonical(wanted, defaultAgent: agentId)
        return SessionKey.agentId(of: key) == agentId ? key : main
    }

    /// Field by field: the agent's value where it has one, else the default's.
    private static func merge(_ base: AgentsDefaultsHeartbeatConfig?, _ over: AgentsDefaultsHeartbeatConfig?) -> AgentsDefaultsHeartbeatConfig {
        guard let over else { return base ?? AgentsDefaultsHeartbeatConfig() }
        var merged = base ?? AgentsDefaultsHeartbeatConfig()
        if let value = over.every { merged.every = value }
        if let value = over.activeHours { merged.activeHours = value }
        if let value = over.model { merged.model = value }
        if let value = over.session { merged.session = value }
        if let value = over.target { merged.target = value }
        if let value = over.to { merged.to = value }
        if let value = over.accountId { merged.accountId = value }
        if let value = over.prompt { merged.prompt = value }
        if let value = over.ackMaxChars { merged.ackMaxChars = value }
        if let value = over.includeReasoning { merged.includeReasoning = value }
        return merged
    }

    private static func expand(_ path: String, home: String) -> String {
        path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst() : path
    }
}
