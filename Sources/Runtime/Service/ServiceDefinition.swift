// Sources/Runtime/Service/ServiceDefinition.swift - what a gateway service runs: program, working dir, environment

import Foundation
import Generated

/// The platform-neutral content of a gateway service; `SystemdUnit` and `LaunchdPlist` render it.
public struct ServiceDefinition: Sendable, Equatable {
    public var description: String
    /// argv: the absolute path of the `openclaw` binary, then `gateway --port <port>`.
    public var programArguments: [String]
    public var workingDirectory: String
    /// Environment entries in the order they are written.
    public var environment: [(key: String, value: String)]

    public init(description: String, programArguments: [String], workingDirectory: String, environment: [(key: String, value: String)]) {
        self.description = description
        self.programArguments = programArguments
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    public static func == (lhs: ServiceDefinition, rhs: ServiceDefinition) -> Bool {
        lhs.description == rhs.description && lhs.programArguments == rhs.programArguments && lhs.workingDirectory == rhs.workingDirectory
            && lhs.environment.elementsEqual(rhs.environment) { $0.key == $1.key && $0.value == $1.value }
    }

    /// The value of one environment entry.
    public func environmentValue(_ key: String) -> String? { environment.first { $0.key == key }?.value }

    /// Inputs of the gateway service (reference/ops.md §7 "Service environment").
    public struct Inputs: Sendable {
        public var identity: ServiceIdentity
        public var paths: StatePaths
        public var port: Int
        /// The `openclaw` binary; `ServiceDefinition.currentExecutable()` for the running one.
        public var executable: String
        public var version: String
        /// Only a token the operator passed explicitly (`install --token`); never one read from config.
        public var token: String?
        /// `.systemd` sets `OPENCLAW_SYSTEMD_UNIT`, `.launchd` sets `OPENCLAW_LAUNCHD_LABEL`.
        public var manager: Manager

        public init(identity: ServiceIdentity, paths: StatePaths, port: Int, executable: String, version: String, token: String?, manager: Manager) {
            self.identity = identity
            self.paths = paths
            self.port = port
            self.executable = executable
            self.version = version
            self.token = token
            self.manager = manager
        }
    }

    public enum Manager: String, Sendable {
        case systemd, launchd
    }

    /// Builds the definition: `<exe> gateway --port <port>` in the state dir, with the marker environment.
    public static func gateway(_ inputs: Inputs) -> ServiceDefinition {
        let identity = inputs.identity
        var environment: [(key: String, value: String)] = [
            ("HOME", identity.home),
            ("PATH", minimalPath(home: identity.home, manager: inputs.manager)),
        ]
        if let profile = identity.profile { environment.append((EnvironmentVariable.profile, profile)) }
        environment += [
            (EnvironmentVariable.stateDir, inputs.paths.stateDir),
            (EnvironmentVariable.configPath, inputs.paths.configPath),
            (EnvironmentVariable.gatewayPort, String(inputs.port)),
        ]
        if let token = inputs.token, !token.isEmpty { environment.append((EnvironmentVariable.gatewayToken, token)) }
        switch inputs.manager {
        case .systemd: environment.append((EnvironmentVariable.systemdUnit, identity.systemdUnitName))
        case .launchd: environment.append((EnvironmentVariable.launchdLabel, identity.launchdLabel))
        }
        environment += [
            (EnvironmentVariable.serviceMarker, "openclaw"),
            (EnvironmentVariable.serviceKind, "gateway"),
            (EnvironmentVariable.serviceVersion, inputs.version),
        ]
        return ServiceDefinition(
            description: identity.description(version: inputs.version),
            programArguments: [inputs.executable, "gateway", "--port", String(inputs.port)],
            workingDirectory: inputs.paths.stateDir,
            environment: environment
        )
    }

    /// A short PATH: the user's bin dirs first (Linux), then the system dirs; nothing from the installing shell.
    static func minimalPath(home: String, manager: Manager) -> String {
        switch manager {
        case .systemd: return ["\(home)/.local/bin", "\(home)/bin", "/usr/local/bin", "/usr/bin", "/bin"].joined(separator: ":")
        case .launchd: return "/opt/homebrew/bin:/opt/homebrew/sbin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        }
    }

    /// The absolute path of the running executable (`/proc/self/exe` on Linux).
    public static func currentExecutable() -> String {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        #endif
        if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
