// Sources/Runtime/Diagnostics/DoctorRuntimeChecks.swift - doctor: port collision, state dir permissions, stale lock

import Foundation
import Generated

extension Doctor {
    /// Who holds the gateway port, when it is not a gateway of this config.
    func checkPort(_ local: LocalResolution) -> DoctorCheck {
        let port = local.port.value
        let pids = ProcessTable.listeners(port: port)
        guard !pids.isEmpty else { return DoctorCheck(id: "port", status: .ok, message: "Port \(port) is free.") }
        let lockPid = GatewayLockInfo.read(configPath: local.paths.configPath, environment: options.environment)?.pid
        var foreign: [String] = []
        var otherGateways: [String] = []
        for pid in pids {
            let command = ProcessTable.commandLine(pid) ?? "unknown command"
            if pid == lockPid || isGatewayOfThisConfig(pid, local: local) { continue }
            if ProcessTable.looksLikeGateway(command) {
                otherGateways.append("pid \(pid): \(command)")
            } else {
                foreign.append("pid \(pid): \(command)")
            }
        }
        if !foreign.isEmpty {
            return DoctorCheck(
                id: "port", status: .error,
                message: "Port \(port) is in use by another process (\(foreign.joined(separator: "; "))); the gateway cannot bind (EADDRINUSE).",
                fix: "stop that process, or set another port (gateway.port, --port, OPENCLAW_GATEWAY_PORT)"
            )
        }
        if !otherGateways.isEmpty {
            return DoctorCheck(
                id: "port", status: .warn, message: "Port \(port) is held by a gateway of another config (\(otherGateways.joined(separator: "; "))).",
                fix: "give each gateway its own port, OPENCLAW_CONFIG_PATH and OPENCLAW_STATE_DIR"
            )
        }
        return DoctorCheck(id: "port", status: .ok, message: "Port \(port) is held by this gateway (pid \(pids.map(String.init).joined(separator: ", "))).")
    }

    /// A gateway process whose environment resolves to the CLI's config path.
    private func isGatewayOfThisConfig(_ pid: Int32, local: LocalResolution) -> Bool {
        guard let command = ProcessTable.commandLine(pid), ProcessTable.looksLikeGateway(command), var environment = ProcessTable.environment(pid) else {
            return false
        }
        if environment["HOME"] == nil { environment["HOME"] = StatePaths.homeDirectory(environment: options.environment) }
        return StatePaths.resolve(environment: environment).configPath == local.paths.configPath
    }

    /// The state dir holds credentials: group/world access is a warning; `--fix` makes it 0700.
    func checkStateDir(_ local: LocalResolution) -> DoctorCheck {
        let dir = local.paths.stateDir
        var info = stat()
        guard stat(dir, &info) == 0 else { return DoctorCheck(id: "state-dir", status: .ok, message: "State dir \(dir) does not exist yet.") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 != 0 else { return DoctorCheck(id: "state-dir", status: .ok, message: "State dir \(dir) is private (\(Self.octal(mode))).") }
        let message = "State dir \(dir) is group/world accessible (\(Self.octal(mode)))."
        guard options.fix else { return DoctorCheck(id: "state-dir", status: .warn, message: message, fix: "chmod 700 \(dir)") }
        let ok = chmod(dir, 0o700) == 0
        return DoctorCheck(id: "state-dir", status: .warn, message: message, fix: "chmod 700 \(dir)", fixed: ok)
    }

    /// A lock whose owner is dead blocks nothing upstream (it is reclaimed) but misleads status; `--fix` removes it.
    func checkLock(_ local: LocalResolution) -> DoctorCheck {
        guard let lock = GatewayLockInfo.read(configPath: local.paths.configPath, environment: options.environment) else {
            return DoctorCheck(id: "lock", status: .ok, message: "No gateway lock for \(local.paths.configPath).")
        }
        guard lock.isStale else {
            return DoctorCheck(id: "lock", status: .ok, message: "Lock \(lock.path) held by running gateway pid \(lock.pid.map(String.init) ?? "?").")
        }
        let message = "Stale gateway lock \(lock.path) (owner pid \(lock.pid.map(String.init) ?? "unknown") is not running)."
        guard options.fix else { return DoctorCheck(id: "lock", status: .warn, message: message, fix: "openclaw doctor --fix (removes the lock file)") }
        let removed = (try? FileManager.default.removeItem(atPath: lock.path)) != nil
        return DoctorCheck(id: "lock", status: .warn, message: message, fix: "removed \(lock.path)", fixed: removed)
    }

    static func octal(_ mode: mode_t) -> String { "0" + String(mode, radix: 8) }
}
