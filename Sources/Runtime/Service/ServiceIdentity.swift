// Sources/Runtime/Service/ServiceIdentity.swift - unit names, launchd labels and service file paths per profile

import Foundation
import Generated

/// Names and file locations of the gateway service for one profile (reference/ops.md §7).
///
/// `openclaw gateway install` writes to these paths; `gateway status` and `doctor` read them back.
public struct ServiceIdentity: Sendable, Equatable {
    /// The profile name, or nil for the default profile (`default` in any case counts as none).
    public var profile: String?
    /// The home directory service files live under (`HOME`).
    public var home: String

    public init(profile: String?, home: String) {
        let trimmed = profile?.trimmingCharacters(in: .whitespaces)
        self.profile = (trimmed?.isEmpty ?? true) || trimmed?.lowercased() == "default" ? nil : trimmed
        self.home = home
    }

    /// The identity for this process: `OPENCLAW_PROFILE` (set by `--profile`/`--dev`) and `HOME`.
    public static func resolve(environment: [String: String]) -> ServiceIdentity {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return ServiceIdentity(profile: environment[EnvironmentVariable.profile], home: home)
    }

    /// `openclaw-gateway` or `openclaw-gateway-<profile>` (without `.service`).
    public var systemdName: String { profile.map { "openclaw-gateway-\($0)" } ?? "openclaw-gateway" }

    /// `openclaw-gateway[-<profile>].service`.
    public var systemdUnitName: String { systemdName + ".service" }

    /// `ai.openclaw.gateway` or `ai.openclaw.<profile>`.
    public var launchdLabel: String { profile.map { "ai.openclaw.\($0)" } ?? "ai.openclaw.gateway" }

    /// `~/.config/systemd/user/<unit>` (user unit) or `/etc/systemd/system/<unit>` (`system`).
    public func systemdUnitPath(system: Bool = false) -> String {
        (system ? Self.systemUnitDirectory : home + "/.config/systemd/user") + "/" + systemdUnitName
    }

    /// `~/Library/LaunchAgents/<label>.plist`.
    public var launchdPlistPath: String { home + "/Library/LaunchAgents/\(launchdLabel).plist" }

    /// Where system units live.
    public static let systemUnitDirectory = "/etc/systemd/system"

    /// `OpenClaw Gateway`, or `OpenClaw Gateway (profile: <p>, v<version>)` with whichever parts are known (as upstream).
    public func description(version: String?) -> String {
        var parts: [String] = []
        if let profile { parts.append("profile: \(profile)") }
        if let version = version?.trimmingCharacters(in: .whitespaces), !version.isEmpty { parts.append("v\(version)") }
        return parts.isEmpty ? "OpenClaw Gateway" : "OpenClaw Gateway (\(parts.joined(separator: ", ")))"
    }

    /// The commands an operator runs to enable the user unit by hand when `install` could not.
    public func enableHints(system: Bool, user: String) -> [String] {
        if system {
            return ["sudo systemctl daemon-reload", "sudo systemctl enable --now \(systemdUnitName)"]
        }
        return [
            "systemctl --user daemon-reload",
            "systemctl --user enable --now \(systemdUnitName)",
            "sudo loginctl enable-linger \(user)",
        ]
    }
}
