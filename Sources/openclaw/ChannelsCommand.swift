// Sources/openclaw/ChannelsCommand.swift - `openclaw channels status|logout`: channel accounts through the running gateway

import ArgumentParser
import Foundation
import Generated
import Runtime

struct ChannelsCommand: AsyncParsableCommand {
    static let configuration = ChannelsOptions.configuration(
        subcommands: [Status.self, Logout.self], defaultSubcommand: Status.self
    )

    struct Status: CLICommand {
        static let configuration = ChannelsStatusOptions.configuration()

        @OptionGroup var options: ChannelsStatusOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            // A probe may take up to the timeout per account; give the call itself a little more.
            let params = options.probe ? ChannelsStatusParams(probe: true, timeoutMs: connection.timeout) : ChannelsStatusParams()
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.channelsStatus(params, timeoutMs: connection.timeout + 2000)
            }
            if connection.json {
                print(try JSONOutput.render(result, pretty: true))
                return
            }
            print(ChannelsStatusText.render(result, probed: options.probe))
        }
    }

    struct Logout: CLICommand {
        static let configuration = ChannelsLogoutOptions.configuration()

        @OptionGroup var options: ChannelsLogoutOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.channelsLogout(ChannelsLogoutParams(channel: options.channel, accountId: options.account), timeoutMs: connection.timeout)
            }
            if connection.json {
                print(try JSONOutput.render(result, pretty: true))
                return
            }
            print("\(options.channel)/\(result.accountId): stopped\(result.cleared ? "; stored session cleared" : "")")
        }
    }
}

/// The human form of `channels.status`: one line per account, then its warnings with fixes.
enum ChannelsStatusText {
    static func render(_ result: ChannelsStatusResult, probed: Bool) -> String {
        var lines: [String] = []
        for id in result.channelOrder {
            let label = result.channelLabels[id] ?? id
            let accounts = result.channelAccounts[id] ?? []
            if accounts.isEmpty {
                lines.append("\(label): not configured")
                continue
            }
            lines.append("\(label):")
            for account in accounts {
                var state: [String] = []
                if account.configured != true {
                    state.append("not configured")
                } else if account.enabled == false {
                    state.append("disabled")
                } else {
                    state.append(account.running == true ? "running" : "stopped")
                    state.append(account.connected == true ? "connected" : "disconnected")
                    if let attempts = account.reconnectAttempts, attempts > 0 { state.append("\(attempts) reconnect attempts") }
                }
                if let probe = account.probe {
                    state.append(probe["ok"]?.boolValue == true ? "probe ok" : "probe failed")
                } else if probed && account.configured == true {
                    state.append("not probed")
                }
                if let policy = account.dmPolicy { state.append("dm \(policy)") }
                let ready = account.configured == true && account.running == true && account.connected == true
                let name = account.name.map { " (\($0))" } ?? ""
                lines.append("  - \(account.accountId)\(name): \(ready ? "ready" : "not ready") — \(state.joined(separator: ", "))")
                if let error = account.lastError { lines.append("    last error: \(error)") }
                for warning in account.warnings ?? [] { lines.append("    warning: \(warning)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}
