// Sources/openclaw/HealthCommand.swift - `openclaw health`

import ArgumentParser
import Foundation
import Generated
import Runtime

struct HealthCommand: CLICommand {
    static let configuration = HealthOptions.configuration()

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var options: HealthOptions

    func execute() async throws {
        let started = ContinuousClock.now
        let (summary, url) = try await CLIConnection.withClient(connection) { client in
            (try await client.health(HealthParams(probe: options.verbose ? true : nil), timeoutMs: connection.timeout), client.options.url)
        }
        if connection.json {
            print(try JSONOutput.render(summary, pretty: true))
            return
        }
        let elapsed = (ContinuousClock.now - started).components
        let ms = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
        print("Gateway: \(summary.ok ? "ok" : "unhealthy") (\(url), \(ms) ms)")
        print("Agents: " + summary.agents.map { $0.agentId + ($0.isDefault ? " (default)" : "") }.joined(separator: ", "))
        print("Sessions: \(summary.sessions.count) (\(summary.sessions.path))")
        print("Channels: " + (summary.channelOrder.isEmpty ? "none configured" : summary.channelOrder.joined(separator: ", ")))
        if !summary.ok { throw ExitCode(1) }
    }
}
