// Sources/openclaw/GatewayCommand.swift - `openclaw gateway [run]` and `openclaw gateway call`

import ArgumentParser
import Foundation
import Generated
import Logging
import Runtime

struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run the gateway, or talk to a running one.",
        subcommands: [Run.self, Call.self, Install.self, Uninstall.self, Start.self, Stop.self, Restart.self, Status.self],
        defaultSubcommand: Run.self
    )
}

extension GatewayCommand {
    struct Run: CLICommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: GatewayOptions.helpAbstract)

        @OptionGroup var options: GatewayOptions

        func execute() async throws {
            do {
                try GatewayLogging.bootstrap(
                    flagLevel: options.logLevel, verbose: options.verbose, secrets: [options.token, options.password], environment: ProcessInfo.processInfo.environment
                )
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
            let logger = Logger(label: "gateway")
            if let token = options.token { setenv("OPENCLAW_GATEWAY_TOKEN", token, 1) }
            if let password = options.password {
                setenv("OPENCLAW_GATEWAY_PASSWORD", password, 1)
                logger.warning("Warning: --password can be exposed via process listings. Prefer --password-file or OPENCLAW_GATEWAY_PASSWORD.")
            }
            MemoryTuning.apply()
            let request = GatewayRunRequest(flags: options.given, allowUnconfigured: options.allowUnconfigured, environment: ProcessInfo.processInfo.environment)
            do {
                let runner = GatewayRunner(
                    request: request, logger: logger, logOptions: LogOptions(flagLevel: options.logLevel, verbose: options.verbose), force: options.force
                )
                try await runner.run()
            } catch let refusal as StartupRefusal {
                FileHandle.standardError.write(Data((refusal.description + "\n").utf8))
                throw ExitCode(refusal.exitCode)
            }
        }
    }

    struct Call: CLICommand {
        static let configuration = CommandConfiguration(commandName: "call", abstract: CallOptions.helpAbstract)

        @Argument(help: "The method to call, e.g. health or system-presence.") var method: String
        @OptionGroup var call: CallOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let params: JSONValue
            do {
                params = try JSONDecoder().decode(JSONValue.self, from: Data(call.params.utf8))
            } catch {
                throw ValidationError("--params must be JSON: \(call.params)")
            }
            if let version = call.protocol, !ProtocolVersion.supported.contains(version) {
                throw ValidationError("--protocol must be one of \(ProtocolVersion.supported.map(String.init).joined(separator: ", ")), not \(version)")
            }
            let payload = try await CLIConnection.withClient(connection, protocolVersion: call.protocol) { client in
                try await client.request(method, params: params, timeoutMs: connection.timeout, expectFinal: call.expectFinal)
            }
            print(try JSONOutput.render(payload, pretty: !connection.json))
        }
    }
}
