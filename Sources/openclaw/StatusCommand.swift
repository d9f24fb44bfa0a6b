// Sources/openclaw/StatusCommand.swift - `openclaw status`: reachability, version, uptime, sessions and channels

import ArgumentParser
import Foundation
import Generated
import Runtime

struct StatusCommand: CLICommand {
    static let configuration = StatusOptions.configuration()

    @OptionGroup var options: StatusOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() async throws {
        let environment = CLIEnvironment.current
        let request = GatewayStatusRequest(
            environment: environment, url: connection.url, token: connection.token, password: connection.password, timeoutMs: connection.timeout)
        let target = try? ClientTarget.resolve(url: connection.url, token: connection.token, password: connection.password, environment: environment)
        let url = target?.url ?? connection.url ?? "ws://127.0.0.1"
        let started = ContinuousClock.now
        let report = await Self.fetch(request, deep: options.deep)
        let latency = (ContinuousClock.now - started).components
        let latencyMs = Int(latency.seconds * 1000 + latency.attoseconds / 1_000_000_000_000_000)
        let local = LocalResolution(environment: environment)
        switch report {
        case .failure(let error):
            if connection.json {
                let object: JSONValue = .object([
                    "gateway": .object(["url": .string(url), "reachable": false, "error": .string("\(error)")]), "configPath": .string(local.paths.configPath),
                ])
                print(try JSONOutput.render(object, pretty: true))
            } else {
                let pairing = error is DevicePairingError
                print("Gateway: \(pairing ? "reachable, but this device is not paired" : "unreachable") (\(url))")
                print("  \(error)")
                print("Config: \(local.paths.configPath)\(local.configExists ? "" : " (missing)")\(local.configValid ? "" : " (invalid)")")
                if !pairing { print("Start it with: openclaw gateway (or openclaw gateway start for the service); details: openclaw gateway status") }
            }
            throw ExitCode(1)
        case .success(let (status, health)):
            if connection.json {
                var members: [String: JSONValue] = [
                    "gateway": .object(["url": .string(url), "reachable": true, "latencyMs": .int(latencyMs)]),
                    "status": try JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(status))),
                ]
                if let health { members["health"] = try JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(health))) }
                print(try JSONOutput.render(.object(members), pretty: true))
                return
            }
            print("Gateway: reachable (\(url), \(latencyMs) ms)")
            print("Version: \(status.version)")
            print("Uptime: \(Self.duration(ms: status.uptimeMs))")
            print(
                "Listener: bind=\(status.gateway.bind) (\(status.gateway.host)), port=\(status.gateway.port), auth=\(status.gateway.authMode.rawValue), pid \(status.gateway.pid)"
            )
            print("Connections: \(status.connections), presence: \(status.presence)")
            print("Sessions: \(status.sessions.count) (\(status.sessions.path))")
            print("Channels: " + (status.channelSummary.isEmpty ? "none configured" : ""))
            for line in status.channelSummary { print("  \(line)") }
            if options.all {
                if let configPath = status.configPath { print("Config: \(configPath)") }
                if let stateDir = status.stateDir { print("State dir: \(stateDir)") }
                if let health {
                    print("Health: \(health.ok ? "ok" : "unhealthy") (computed in \(health.durationMs) ms)")
                    print("Agents: " + health.agents.map { $0.agentId + ($0.isDefault ? " (default)" : "") }.joined(separator: ", "))
                }
            }
        }
    }

    /// `status`, plus `health` (live with `--deep`) when asked for everything.
    private static func fetch(_ request: GatewayStatusRequest, deep: Bool) async -> Result<(StatusSummary, HealthSummary?), any Error> {
        do {
            let target = try ClientTarget.resolve(url: request.url, token: request.token, password: request.password, environment: request.environment)
            let client = try await GatewayClient.connect(target: target, timeoutMs: request.timeoutMs)
            do {
                let status = try await client.status(timeoutMs: request.timeoutMs)
                let health = try await client.health(HealthParams(probe: deep ? true : nil), timeoutMs: request.timeoutMs)
                await client.close()
                return .success((status, health))
            } catch {
                await client.close()
                throw error
            }
        } catch {
            return .failure(error)
        }
    }

    static func duration(ms: Int) -> String {
        let seconds = ms / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        if seconds < 86400 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
    }
}
