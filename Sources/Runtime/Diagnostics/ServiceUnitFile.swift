// Sources/Runtime/Diagnostics/ServiceUnitFile.swift - reading an installed systemd user unit back (reference/ops.md §7)

import Foundation
import Generated

/// The installed service definition as `gateway status` and `doctor` see it: where it lives and what it runs.
///
/// Read from the unit text (not from what `install` would write now), so a hand-edited or older unit is
/// reported as it really is.
public struct ServiceUnitFile: Sendable, Equatable {
    /// Environment keys safe to print (`Service env:`); tokens and passwords never are.
    public static let safeEnvironmentKeys = [
        EnvironmentVariable.profile, EnvironmentVariable.stateDir, EnvironmentVariable.configPath, EnvironmentVariable.gatewayPort, EnvironmentVariable.nixMode,
    ]

    public var path: String
    public var programArguments: [String]
    public var workingDirectory: String?
    public var environment: [String: String]

    /// `openclaw-gateway[-<profile>].service`, named as `gateway install` names it.
    public static func unitName(profile: String?) -> String {
        ServiceIdentity(profile: profile, home: "").systemdUnitName
    }

    /// The user unit path `gateway install` writes for this environment's profile and HOME.
    public static func userUnitPath(environment: [String: String]) -> String {
        ServiceIdentity.resolve(environment: environment).systemdUnitPath()
    }

    /// Reads and parses the unit at `path`; nil when there is none.
    public static func load(path: String) -> ServiceUnitFile? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(text, path: path)
    }

    /// The `[Service]` facts diagnostics need, read with the installer's own parser.
    public static func parse(_ text: String, path: String) -> ServiceUnitFile {
        let parsed = SystemdUnit.parse(text)
        return ServiceUnitFile(path: path, programArguments: parsed.execStart, workingDirectory: parsed.workingDirectory, environment: parsed.environment)
    }

    /// The environment with only `safeEnvironmentKeys`.
    public var safeEnvironment: [String: String] {
        environment.filter { Self.safeEnvironmentKeys.contains($0.key) }
    }

    /// The `--port N` argument of `ExecStart`, if pinned.
    public var pinnedPort: Int? {
        guard let index = programArguments.firstIndex(of: "--port"), index + 1 < programArguments.count else { return nil }
        return Int(programArguments[index + 1])
    }
}
