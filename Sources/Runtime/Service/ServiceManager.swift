// Sources/Runtime/Service/ServiceManager.swift - talking to systemd (systemctl) or launchd (launchctl)

import Foundation
import Generated

/// Runs the platform's service manager for the gateway's unit or LaunchAgent.
///
/// On Linux this is `systemctl --user` (or plain `systemctl` for a system unit). When systemd is not the init system
/// (`/run/systemd/system` missing) or has no reachable bus, every action reports `.unavailable` instead of failing, so
/// the CLI can say how to finish by hand. `OPENCLAW_SYSTEMCTL` names another `systemctl` binary (packaging, tests); it
/// is trusted to be reachable without the init-system check.
public struct ServiceManager: Sendable {
    public enum Kind: String, Sendable {
        case systemdUser = "systemd-user"
        case systemdSystem = "systemd-system"
        case launchd
    }

    /// How one action went.
    public enum Outcome: Sendable, Equatable {
        case done(command: String)
        /// The manager cannot be reached; the reason is printable (e.g. `System has not been booted with systemd…`).
        case unavailable(reason: String)
        case failed(command: String, status: Int32, output: String)
    }

    public let kind: Kind
    public let identity: ServiceIdentity
    let executable: String
    let checkInit: Bool

    public init(kind: Kind, identity: ServiceIdentity, environment: [String: String]) {
        self.kind = kind
        self.identity = identity
        switch kind {
        case .launchd:
            executable = "/bin/launchctl"
            checkInit = false
        case .systemdUser, .systemdSystem:
            if let override = environment[EnvironmentVariable.systemctl], !override.isEmpty {
                executable = override
                checkInit = false
            } else {
                executable = Self.findOnPath("systemctl", environment: environment) ?? "systemctl"
                checkInit = true
            }
        }
    }

    /// The platform default: launchd on macOS, systemd elsewhere (user unit unless `system`).
    public static func platformDefault(system: Bool, identity: ServiceIdentity, environment: [String: String]) -> ServiceManager {
        #if os(macOS)
        return ServiceManager(kind: .launchd, identity: identity, environment: environment)
        #else
        return ServiceManager(kind: system ? .systemdSystem : .systemdUser, identity: identity, environment: environment)
        #endif
    }

    /// The service definition file this manager reads.
    public var definitionPath: String {
        switch kind {
        case .systemdUser: return identity.systemdUnitPath(system: false)
        case .systemdSystem: return identity.systemdUnitPath(system: true)
        case .launchd: return identity.launchdPlistPath
        }
    }

    /// Why the manager cannot be used at all, before running anything.
    public var unavailableReason: String? {
        switch kind {
        case .launchd:
            return FileManager.default.isExecutableFile(atPath: executable) ? nil : "launchctl not found (launchd is macOS only)"
        case .systemdUser, .systemdSystem:
            if !executable.hasPrefix("/") { return "systemctl not found on PATH" }
            if checkInit && !FileManager.default.fileExists(atPath: "/run/systemd/system") {
                return "systemd is not the init system here: /run/systemd/system is missing"
            }
            return nil
        }
    }

    /// `daemon-reload` then `enable --now` (systemd), or `bootstrap` (launchd).
    public func enableAndStart() async -> Outcome {
        switch kind {
        case .launchd:
            _ = await run(["bootout", "\(domain)/\(identity.launchdLabel)"])
            return await sequence([["enable", "\(domain)/\(identity.launchdLabel)"], ["bootstrap", domain, identity.launchdPlistPath]])
        case .systemdUser, .systemdSystem:
            return await sequence([["daemon-reload"], ["enable", "--now", identity.systemdUnitName]])
        }
    }

    /// `disable --now` then `daemon-reload` (systemd), or `bootout` (launchd).
    public func disableAndStop() async -> Outcome {
        switch kind {
        case .launchd: return await sequence([["bootout", "\(domain)/\(identity.launchdLabel)"]])
        case .systemdUser, .systemdSystem: return await sequence([["disable", "--now", identity.systemdUnitName]])
        }
    }

    /// `daemon-reload` only (after removing a unit).
    public func reload() async -> Outcome {
        kind == .launchd ? .done(command: "") : await sequence([["daemon-reload"]])
    }

    public func start() async -> Outcome {
        switch kind {
        case .launchd: return await sequence([["bootstrap", domain, identity.launchdPlistPath]])
        case .systemdUser, .systemdSystem: return await sequence([["start", identity.systemdUnitName]])
        }
    }

    public func stop() async -> Outcome {
        switch kind {
        case .launchd: return await sequence([["bootout", "\(domain)/\(identity.launchdLabel)"]])
        case .systemdUser, .systemdSystem: return await sequence([["stop", identity.systemdUnitName]])
        }
    }

    public func restart() async -> Outcome {
        switch kind {
        case .launchd: return await sequence([["kickstart", "-k", "\(domain)/\(identity.launchdLabel)"]])
        case .systemdUser, .systemdSystem: return await sequence([["restart", identity.systemdUnitName]])
        }
    }

    private var domain: String { "gui/\(getuid())" }

    private var scopeArguments: [String] { kind == .systemdUser ? ["--user"] : [] }

    /// Runs each command in turn; stops at the first that fails.
    private func sequence(_ commands: [[String]]) async -> Outcome {
        if let reason = unavailableReason { return .unavailable(reason: reason) }
        var last = ""
        for arguments in commands {
            let full = scopeArguments + arguments
            last = ([URL(fileURLWithPath: executable).lastPathComponent] + full).joined(separator: " ")
            let (status, output) = await run(full)
            guard status == 0 else {
                if Self.looksUnavailable(output) { return .unavailable(reason: output.trimmingCharacters(in: .whitespacesAndNewlines)) }
                return .failed(command: last, status: status, output: output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return .done(command: last)
    }

    /// systemctl's words for "no systemd to talk to" (no init, no user bus).
    static func looksUnavailable(_ output: String) -> Bool {
        ["Failed to connect to bus", "not been booted with systemd", "No medium found", "Host is down", "System has not been booted"]
            .contains { output.contains($0) }
    }

    private func run(_ arguments: [String]) async -> (Int32, String) {
        guard let result = await ProgramRun.run(executable, arguments, includeErrors: true) else {
            return (127, "\(executable): cannot be started")
        }
        return (result.status, result.output)
    }

    static func findOnPath(_ name: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
