// Sources/openclaw/AgentsCommand.swift - `openclaw agents list` and `openclaw models list` through the running gateway

import ArgumentParser
import Foundation
import Generated
import Runtime

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = AgentsOptions.configuration(
        subcommands: [List.self], defaultSubcommand: List.self
    )

    struct List: CLICommand {
        static let configuration = AgentsListOptions.configuration()

        @OptionGroup var options: AgentsListOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let (result, bindings) = try await CLIConnection.withClient(connection) { client -> (AgentsListResult, JSONValue?) in
                let agents = try await client.agentsList(timeoutMs: connection.timeout)
                guard options.bindings else { return (agents, nil) }
                let config = try await client.configGet(timeoutMs: connection.timeout)
                return (agents, config.config["bindings"] ?? [])
            }
            if connection.json {
                var output = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(result))
                if let bindings, case .object(var fields) = output {
                    fields["bindings"] = bindings
                    output = .object(fields)
                }
                print(try JSONOutput.render(output, pretty: true))
                return
            }
            print(AgentsText.render(result, bindings: bindings))
        }
    }
}

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = ModelsOptions.configuration(
        subcommands: [List.self], defaultSubcommand: List.self
    )

    struct List: CLICommand {
        static let configuration = ModelsListOptions.configuration()

        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.modelsList(ModelsListParams(), timeoutMs: connection.timeout)
            }
            if connection.json {
                print(try JSONOutput.render(result, pretty: true))
                return
            }
            print(AgentsText.render(result))
        }
    }
}

/// The human forms of `agents.list` and `models.list`.
enum AgentsText {
    static func render(_ result: AgentsListResult, bindings: JSONValue?) -> String {
        var lines = ["Agents: \(result.agents.count) (default: \(result.defaultId))"]
        for agent in result.agents {
            var line = "- \(agent.id)\(agent.id == result.defaultId ? " (default)" : "")"
            if let name = agent.identity?.name ?? agent.name { line += "  \(agent.identity?.emoji.map { "\($0) " } ?? "")\(name)" }
            line += "  model: \(agent.model ?? "not set (agents.defaults.model.primary)")"
            lines.append(line)
            guard let bindings else { continue }
            let own = (bindings.arrayValue ?? []).filter { $0["agentId"]?.stringValue.map(AgentID.normalize) == agent.id }
            if own.isEmpty { lines.append("    bindings: none\(agent.id == result.defaultId ? " (gets everything unbound)" : "")") }
            for binding in own { lines.append("    binding: \(describe(binding["match"]))") }
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ result: ModelsListResult) -> String {
        guard !result.models.isEmpty else { return "Models: none (configure models.providers or set OPENAI_API_KEY / ANTHROPIC_API_KEY / OPENROUTER_API_KEY)" }
        var lines = ["Models: \(result.models.count)"]
        for model in result.models {
            var line = "- \(model.provider)/\(model.id)"
            if model.name != model.id { line += "  \(model.name)" }
            if let window = model.contextWindow { line += "  context \(window)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// `telegram account=ops peer=direct:42` from a binding's `match`.
    private static func describe(_ match: JSONValue?) -> String {
        var parts = [match?["channel"]?.stringValue ?? "?"]
        if let account = match?["accountId"]?.stringValue { parts.append(account == "*" ? "every account" : "account=\(account)") }
        if let peer = match?["peer"] { parts.append("peer=\(peer["kind"]?.stringValue ?? "?"):\(peer["id"]?.stringValue ?? "?")") }
        return parts.joined(separator: " ")
    }
}
