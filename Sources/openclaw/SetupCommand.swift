// Sources/openclaw/SetupCommand.swift - `openclaw setup`: a minimal local config for the current profile

import ArgumentParser
import Foundation
import Generated
import Runtime

struct SetupCommand: CLICommand {
    static let configuration = SetupOptions.configuration()

    @OptionGroup var options: SetupOptions

    func execute() async throws {
        let environment = CLIEnvironment.current
        let result: GatewaySetup.Result
        do {
            result = try GatewaySetup.run(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("setup failed: \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        let profile = environment[EnvironmentVariable.profile].flatMap { $0.isEmpty || $0.lowercased() == "default" ? nil : $0 }
        let startCommand = "openclaw " + (profile.map { $0 == "dev" ? "--dev " : "--profile \($0) " } ?? "") + "gateway"
        if options.json {
            let object: [String: Any] = [
                "ok": true, "wrote": result.wrote, "configPath": result.paths.configPath, "stateDir": result.paths.stateDir,
                "createdStateDir": result.createdStateDir, "tokenKey": "gateway.auth.token", "start": startCommand,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if result.wrote {
            print("Wrote \(result.paths.configPath) (gateway.mode=local)")
            print("Gateway token: generated and stored at gateway.auth.token in \(result.paths.configPath)")
            print("State dir: \(result.paths.stateDir)")
            print("Start the gateway: \(startCommand)")
        } else {
            print("Config already exists at \(result.paths.configPath); not overwriting it.")
        }
    }
}
