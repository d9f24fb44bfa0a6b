// Sources/Runtime/Diagnostics/LocalResolution.swift - what the CLI resolves locally: config, port, bind, log file, service

import Foundation
import Generated

/// The CLI's view of its own installation, resolved the same way `gateway run` would resolve it.
public struct LocalResolution: Sendable {
    public var environment: [String: String]
    public var paths: StatePaths
    /// The loaded config, or `.missing` when absent or invalid.
    public var config: LoadedConfig
    /// Validation issues (`<path>: <message>`) when the file exists but is invalid.
    public var configIssues: [String]
    public var port: Resolved<Int>
    public var bindMode: Resolved<String>
    public var bindHost: String
    /// `OPENCLAW_PROFILE`, which names the service.
    public var profile: String?

    public init(environment: [String: String]) {
        self.environment = environment
        paths = StatePaths.resolve(environment: environment)
        do {
            config = try ConfigLoader(environment: environment).load(path: paths.configPath)
            configIssues = []
        } catch {
            config = LoadedConfig(path: paths.configPath, exists: true, tree: .object([:]), config: OpenClawConfig())
            configIssues = error.issues
        }
        let model = config.config
        let inputs = PrecedenceInputs(environment: environment, config: { model.scalarValue(atPath: $0) })
        port = (try? Precedence.port.resolve(inputs)) ?? Resolved(value: ConfigDefaults.gatewayPort, source: .defaultValue("18789"))
        bindMode = (try? Precedence.bind.resolve(inputs)) ?? Resolved(value: "loopback", source: .defaultValue("loopback"))
        bindHost = BindHosts.resolve(mode: bindMode.value, customHost: model.gateway?.customBindHost, port: port.value).first ?? "127.0.0.1"
        profile = environment[EnvironmentVariable.profile].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var configExists: Bool { config.exists }
    public var configValid: Bool { configIssues.isEmpty }

    /// `logging.file`, else today's `/tmp/openclaw/openclaw-YYYY-MM-DD.log`, as the file logger writes it.
    public var logFile: String {
        LogFileLocation(logging: config.config.logging, environment: environment).path()
    }

    /// The systemd user unit path for this profile.
    public var unitPath: String { ServiceUnitFile.userUnitPath(environment: environment) }

    /// The config path the service would use: its `OPENCLAW_CONFIG_PATH`, else derived from its state dir and HOME.
    public func serviceConfigPath(_ unit: ServiceUnitFile) -> String {
        var serviceEnvironment = unit.environment
        if serviceEnvironment["HOME"] == nil { serviceEnvironment["HOME"] = StatePaths.homeDirectory(environment: environment) }
        return StatePaths.resolve(environment: serviceEnvironment).configPath
    }
}
