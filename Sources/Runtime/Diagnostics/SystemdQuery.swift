// Sources/Runtime/Diagnostics/SystemdQuery.swift - asking `systemctl --user` about a unit, when systemd is there

import Foundation

/// What systemd says about the gateway unit. Nil fields mean systemd could not be asked.
public struct SystemdUnitState: Sendable, Equatable {
    /// `systemctl --user is-enabled`: enabled, disabled, static, …
    public var enabled: String?
    /// `ActiveState` (active, inactive, failed, …).
    public var activeState: String?
    /// `SubState` (running, dead, …).
    public var subState: String?
    public var mainPid: Int32?
}

/// Reads unit state through `systemctl --user`, only where systemd is the init system.
public enum SystemdQuery {
    /// `sd_booted()`: systemd is the init system when `/run/systemd/system` exists.
    public static var isAvailable: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "/run/systemd/system", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The state of `unit` for the user manager, or nil when systemd or its user bus is unavailable.
    public static func state(unit: String) async -> SystemdUnitState? {
        guard isAvailable else { return nil }
        guard let show = await run(["--user", "show", unit, "-p", "ActiveState", "-p", "SubState", "-p", "MainPID"]), show.status == 0 else { return nil }
        var state = SystemdUnitState()
        for line in show.output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "ActiveState": state.activeState = parts[1]
            case "SubState": state.subState = parts[1]
            case "MainPID": state.mainPid = Int32(parts[1]).flatMap { $0 > 0 ? $0 : nil }
            default: break
            }
        }
        state.enabled = await run(["--user", "is-enabled", unit])?.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return state
    }

    private static func run(_ arguments: [String]) async -> (status: Int32, output: String)? {
        guard let systemctl = await ProgramRun.run("systemctl", arguments) else { return nil }
        return (systemctl.status, systemctl.output)
    }
}
