// Sources/openclaw/GatewayCommand.swift - `openclaw gateway [run]` and `openclaw gateway call`

import ArgumentParser
import Foundation
import Generated
import Logging
import Runtime

struct GatewayCommand: AsyncParsableCommand {
    static let configuration = GatewayCommandsOptions.configuration(
        subcommands: [Run.self, Call.self, Install.self, Uninstall.self, Start.self, Stop.self, Restart.self, Status.self],
        defaultSubcommand: Run.self
    )
}

extension GatewayCommand {
    struct Run: CLICommand {
        static let configuration = GatewayOptions.configuration()

        @OptionGroup var options: GatewayOptions

        func execute() async throws {
            do {
                try GatewayLogging.bootstrap(
                    flagLevel: options.logLevel, verbose: options.verbose, secrets: [options.token, options.password], environment: CLIEnvironment.current
                )
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
            let logger = Logger(label: "gateway")
            // `--token`/`--password` rank with their variables (and are read again on every reload): hand them over in the
            // environment value the gateway resolves from, not by rewriting this process's environment.
            var environment = CLIEnvironment.current
            if let token = options.token { environment[EnvironmentVariable.gatewayToken] = token }
            if let password = options.password {
                environment[EnvironmentVariable.gatewayPassword] = password
                logger.warning("Warning: --password can be exposed via process listings. Prefer --password-file or OPENCLAW_GATEWAY_PASSWORD.")
            }
            MemoryTuning.apply()
            let request = GatewayRunRequest(flags: options.given, allowUnconfigured: options.allowUnconfigured, environment: environment)
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
        static let configuration = CallOptions.configuration()

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
            // Params of a method this build knows are checked as the server will, before connecting: the same message,
            // without a round trip. A method it does not know (a newer gateway's) goes through unchecked.
            if let known = GatewayMethod(rawValue: method) {
                let frame = try WireJSON.encode(JSONValue.object(["type": "req", "id": "cli", "method": .string(method), "params": params]))
                do {
                    try known.validate(RequestParams(message: Data(frame), isPresent: true, protocolVersion: call.protocol))
                } catch {
                    FileHandle.standardError.write(
                        Data("\(GatewayClientError.requestFailed(method: method, error: ErrorShape(code: .invalidRequest, message: error.description)))\n".utf8)
                    )
                    throw ExitCode(1)
                }
            }
            let payload = try await CLIConnection.withClient(connection, protocolVersion: call.protocol) { client in
                try await client.request(method, params: params, timeoutMs: connection.timeout, expectFinal: call.expectFinal)
            }
            print(try JSONOutput.render(payload, pretty: !connection.json))
        }
    }
}
