// Sources/openclaw/GatewayStatusCommand.swift - `openclaw gateway status`: service, config paths, port, runtime, RPC probe

import ArgumentParser
import Foundation
import Generated
import Runtime

extension GatewayCommand {
    struct Status: CLICommand {
        static let configuration = GatewayStatusOptions.configuration()

        @OptionGroup var options: GatewayStatusOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let request = GatewayStatusRequest(
                environment: CLIEnvironment.current, url: connection.url, token: connection.token, password: connection.password,
                timeoutMs: connection.timeout, probe: !options.noProbe, deep: options.deep
            )
            let status = await GatewayStatus.collect(request)
            if connection.json {
                print(try JSONOutput.render(status.json(), pretty: true))
            } else {
                print(status.lines().joined(separator: "\n"))
            }
            if options.requireRpc, status.rpc?.ok != true { throw ExitCode(1) }
        }
    }
}
