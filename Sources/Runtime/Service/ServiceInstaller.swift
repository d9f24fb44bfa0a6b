// Sources/Runtime/Service/ServiceInstaller.swift - `gateway install`: resolve, render, compare, write

import Foundation
import Generated

/// Plans and writes the gateway's service definition for the current profile and environment.
///
/// `plan` is side-effect free, so `gateway status` and `doctor` can compare an installed unit with what `install`
/// would write now (drift).
public enum ServiceInstaller {
    /// Exit status of service commands when the service manager cannot be reached (systemd not init, no user bus).
    public static let unavailableExitCode: Int32 = 3

    /// What to install.
    public struct Request: Sendable {
        public var environment: [String: String]
        /// `--port` as typed.
        public var port: String?
        /// `--token`: the only way a token gets into the service environment.
        public var token: String?
        /// Linux: a system unit.
        public var system: Bool
        public var kind: ServiceManager.Kind
        public var executable: String

        public init(
            environment: [String: String], port: String? = nil, token: String? = nil, system: Bool = false, kind: ServiceManager.Kind? = nil,
            executable: String = ServiceDefinition.currentExecutable()
        ) {
            self.environment = environment
            self.port = port
            self.token = token
            self.system = system
            #if os(macOS)
            self.kind = kind ?? .launchd
            #else
            self.kind = kind ?? (system ? .systemdSystem : .systemdUser)
            #endif
            self.executable = executable
        }
    }

    /// The file to write and its content.
    public struct Plan: Sendable {
        public var identity: ServiceIdentity
        public var kind: ServiceManager.Kind
        public var paths: StatePaths
        public var port: Int
        public var configExists: Bool
        public var definition: ServiceDefinition
        /// Where the unit or plist goes.
        public var path: String
        public var content: String
    }

    /// Why `install` will not go on; `lines` are printed as they are.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var lines: [String]
        public var description: String { lines.joined(separator: "\n") }
    }

    /// Validates the config, resolves the port (`--port` → `OPENCLAW_GATEWAY_PORT` → `gateway.port` → 18789) and renders.
    public static func plan(_ request: Request) throws(Refusal) -> Plan {
        let environment = request.environment
        let paths = StatePaths.resolve(environment: environment)
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader(environment: environment).load(path: paths.configPath)
        } catch {
            throw Refusal(lines: ["Gateway install aborted: config is invalid."] + error.issues + [fixHint])
        }
        var flags: [String: String] = [:]
        if let port = request.port { flags["port"] = port }
        let config = loaded.config
        let inputs = PrecedenceInputs(flags: flags, environment: environment, config: { config.scalarValue(atPath: $0) })
        guard let resolved = try? Precedence.port.resolve(inputs), (1...65535).contains(resolved.value) else { throw Refusal(lines: ["Invalid port"]) }
        let identity = ServiceIdentity.resolve(environment: environment)
        let definition = ServiceDefinition.gateway(
            .init(
                identity: identity, paths: paths, port: resolved.value, executable: request.executable, version: GatewayVersion.current,
                token: request.token, manager: request.kind == .launchd ? .launchd : .systemd
            )
        )
        let values = definition.programArguments + definition.environment.map(\.value) + [definition.workingDirectory]
        if values.contains(where: { $0.contains("\n") || $0.contains("\r") }) {
            throw Refusal(lines: ["Service values cannot contain CR or LF characters (check --token and the paths)."])
        }
        let path: String
        let content: String
        switch request.kind {
        case .launchd:
            path = identity.launchdPlistPath
            let logs = LaunchdPlist.logPaths(stateDir: paths.stateDir, environment: environment)
            content = LaunchdPlist.render(definition, label: identity.launchdLabel, logs: logs)
        case .systemdUser, .systemdSystem:
            path = identity.systemdUnitPath(system: request.kind == .systemdSystem)
            content = SystemdUnit.render(definition)
        }
        return Plan(
            identity: identity, kind: request.kind, paths: paths, port: resolved.value, configExists: loaded.exists,
            definition: definition, path: path, content: content
        )
    }

    /// What `write` did.
    public enum WriteResult: String, Sendable {
        case created, replaced, unchanged
    }

    /// Writes the plan's file (0644, or 0600 when it carries a token). An existing file with other content is kept
    /// unless `force`.
    public static func write(_ plan: Plan, force: Bool) throws(Refusal) -> WriteResult {
        let fileManager = FileManager.default
        let existing = fileManager.contents(atPath: plan.path).map { String(decoding: $0, as: UTF8.self) }
        if existing == plan.content { return .unchanged }
        if existing != nil && !force {
            throw Refusal(lines: [
                "Service definition already exists and differs: \(plan.path)",
                "Rerun with --force to overwrite it: openclaw gateway install --force",
            ])
        }
        do {
            let url = URL(fileURLWithPath: plan.path)
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if plan.kind == .launchd {
                let logs = plan.paths.stateDir + "/logs"
                try fileManager.createDirectory(atPath: logs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            try Data(plan.content.utf8).write(to: url, options: .atomic)
            chmod(plan.path, plan.definition.environmentValue(EnvironmentVariable.gatewayToken) == nil ? 0o644 : 0o600)
        } catch {
            throw Refusal(lines: ["Could not write \(plan.path): \(error.localizedDescription)"])
        }
        return existing == nil ? .created : .replaced
    }

    static let fixHint = #"Fix the config and retry, or run "openclaw doctor" to repair."#

    /// The `start`/`restart` preflight: nil when the config is valid (or missing), else upstream's lines.
    public static func preflight(environment: [String: String]) -> [String]? {
        let paths = StatePaths.resolve(environment: environment)
        do {
            _ = try ConfigLoader(environment: environment).load(path: paths.configPath)
            return nil
        } catch {
            return ["Gateway aborted: config is invalid."] + error.issues + [fixHint]
        }
    }
}
