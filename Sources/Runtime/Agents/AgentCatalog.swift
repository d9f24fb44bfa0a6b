// Sources/Runtime/Agents/AgentCatalog.swift - the agents the config declares, and which model each uses

import Foundation
import Generated
import ProtocolSupport

/// One agent after `agents.list[]` and `agents.defaults` were merged.
struct AgentProfile: Sendable, Hashable {
    var id: String
    var name: String?
    var emoji: String?
    var avatar: String?
    /// `provider/model` references, primary first; empty when none is configured anywhere.
    var models: [String]
    var systemPrompt: String?
}

/// Reads the `agents` section as upstream shapes it. Without `agents.list` there is one agent,
/// `main`; the default is the entry marked `default: true`, else the first.
struct AgentCatalog: Sendable {
    static let fallbackAgentId = "main"

    let agents: [AgentProfile]
    let defaultId: String

    init(config: OpenClawConfig) {
        let defaults = config.agents?.defaults
        let defaultModels = Self.models(defaults?.model)
        var agents: [AgentProfile] = []
        var defaultId: String?
        for entry in config.agents?.list?.arrayValue ?? [] {
            guard let id = entry["id"]?.stringValue.map(AgentID.normalize), !id.isEmpty, !agents.contains(where: { $0.id == id }) else { continue }
            let identity = entry["identity"]
            let own = Self.models(entry["model"])
            agents.append(
                AgentProfile(
                    id: id, name: identity?["name"]?.stringValue ?? entry["name"]?.stringValue, emoji: identity?["emoji"]?.stringValue,
                    avatar: identity?["avatar"]?.stringValue, models: own.isEmpty ? defaultModels : own,
                    systemPrompt: entry["systemPrompt"]?.stringValue ?? defaults?.systemPrompt
                )
            )
            if defaultId == nil, entry["default"]?.boolValue == true { defaultId = id }
        }
        if agents.isEmpty {
            let identity = config.identity
            agents = [
                AgentProfile(
                    id: Self.fallbackAgentId, name: identity?["name"]?.stringValue, emoji: identity?["emoji"]?.stringValue,
                    avatar: identity?["avatar"]?.stringValue, models: defaultModels, systemPrompt: defaults?.systemPrompt
                )
            ]
        }
        self.agents = agents
        self.defaultId = defaultId ?? agents[0].id
    }

    func agent(_ id: String?) -> AgentProfile? {
        let wanted = id.map(AgentID.normalize) ?? defaultId
        return agents.first { $0.id == wanted }
    }

    var defaultAgent: AgentProfile { agent(defaultId)! }

    /// `"provider/model"` or `{ primary, fallbacks }`.
    static func models(_ value: JSONValue?) -> [String] {
        if let text = value?.stringValue { return text.isEmpty ? [] : [text] }
        guard let primary = value?["primary"]?.stringValue, !primary.isEmpty else { return [] }
        return [primary] + (value?["fallbacks"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { !$0.isEmpty }
    }
}

/// Agent ids are case-insensitive upstream: compared trimmed and lowercased (the CLI too).
public enum AgentID {
    public static func normalize(_ id: String) -> String { id.trimmingCharacters(in: .whitespaces).lowercased() }
}
