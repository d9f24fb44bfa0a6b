// Sources/Runtime/Agents/SessionKey.swift - upstream's session key forms

import Foundation

/// Session keys as upstream writes them: `agent:<agentId>:<rest>` (`agent:main:main` is an agent's
/// main session), plus the bare `global` and `unknown`. A bare key (`main`, `my-chat`) belongs to
/// the default agent.
enum SessionKey {
    static let mainKey = "main"

    /// The canonical form of `key` for `defaultAgent`: bare keys gain the `agent:<id>:` prefix,
    /// agent ids are lowercased.
    static func canonical(_ key: String, defaultAgent: String) -> String {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        if trimmed == "global" || trimmed == "unknown" { return trimmed }
        if let (agent, rest) = split(trimmed) { return "agent:\(agent):\(rest)" }
        return "agent:\(defaultAgent):\(trimmed)"
    }

    /// The main session of an agent.
    static func main(agent: String) -> String { "agent:\(agent):\(mainKey)" }

    /// The agent a canonical key belongs to, or nil for `global`/`unknown`.
    static func agentId(of key: String) -> String? { split(key)?.agent }

    private static func split(_ key: String) -> (agent: String, rest: String)? {
        let parts = key.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "agent", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return (AgentID.normalize(String(parts[1])), String(parts[2]))
    }
}
