// Sources/Runtime/Diagnostics/GatewayStatusOutput.swift - `gateway status` as upstream's lines and as one JSON object

import Foundation
import Generated

extension GatewayStatus {
    static let troubleshootingURL = "https://docs.openclaw.ai/troubleshooting"

    /// `loaded` text for the service line: systemd's enabled state, or why it is unknown.
    var loadedText: String {
        if let enabled = systemd?.enabled { return enabled }
        if unit == nil { return "not installed" }
        return SystemdQuery.isAvailable ? "unknown" : "systemd unavailable"
    }

    /// The human report, in upstream's order (reference/ops.md §6.2).
    public func lines() -> [String] {
        var out: [String] = []
        out.append("Service: systemd (\(loadedText))")
        out.append("File logs: \(local.logFile)")
        if let unit {
            out.append("Command: " + unit.programArguments.joined(separator: " "))
            out.append("Service file: \(unit.path)")
            if let directory = unit.workingDirectory { out.append("Working dir: \(directory)") }
            let env = unit.safeEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if !env.isEmpty { out.append("Service env: " + env.joined(separator: " ")) }
        }
        var cli = "Config (cli): \(local.paths.configPath)"
        if !local.configExists { cli += " (missing)" }
        if !local.configValid { cli += " (invalid)" }
        out.append(cli)
        if let serviceConfigPath {
            let exists = FileManager.default.fileExists(atPath: serviceConfigPath)
            out.append("Config (service): \(serviceConfigPath)" + (exists ? "" : " (missing)"))
        }
        if configMismatch {
            out.append("Root cause: CLI and service are using different config paths (likely a profile/state-dir mismatch).")
            out.append("Fix: rerun openclaw gateway install --force from the same --profile / OPENCLAW_STATE_DIR you expect.")
        }
        if let pinned = unit?.pinnedPort, pinned != local.port.value {
            out.append("Service config issue: service pins --port \(pinned); CLI config resolves gateway port=\(local.port.value).")
        }
        out.append("Gateway: bind=\(local.bindMode.value) (\(local.bindHost)), port=\(local.port.value) (\(local.port.source))")
        out.append("Probe target: \(probeUrl)" + (probeTarget.map { " (\($0))" } ?? ""))
        if let targetError { out.append("Target error: \(targetError)") }
        out.append(runtimeLine)
        if let rpc {
            if rpc.ok {
                out.append("RPC probe: ok")
            } else {
                out.append("RPC probe: failed")
                out.append("RPC target: \(rpc.url)")
                let errorLines = (rpc.error ?? "unknown error").split(separator: "\n", omittingEmptySubsequences: true)
                out += errorLines.prefix(12).map { "  " + $0 }
            }
        }
        if !listening.isEmpty { out.append("Listening: " + listening.joined(separator: ", ")) }
        out += diagnostics()
        return out
    }

    var runtimeLine: String {
        guard let pid = runtimePid else {
            if let state = systemd?.activeState { return "Runtime: stopped (state \(state)" + (systemd?.subState.map { ", sub \($0)" } ?? "") + ")" }
            return "Runtime: stopped"
        }
        var details = ["pid \(pid)"]
        if let state = systemd?.activeState { details.append("state \(state)") }
        if let sub = systemd?.subState { details.append("sub \(sub)") }
        if let source = runtimeSource { details.append("from \(source)") }
        return "Runtime: running (" + details.joined(separator: ", ") + ")"
    }

    /// The diagnostic lines of §6.2 that apply.
    func diagnostics() -> [String] {
        var out: [String] = []
        if unit == nil { out.append("Service unit not found.") }
        if systemd == nil { out.append("systemd user services unavailable.") }
        if systemd?.enabled == "enabled", !serviceActive { out.append("Service is loaded but not running (likely exited immediately).") }
        if serviceActive, listening.isEmpty {
            out.append("Gateway port \(local.port.value) is not listening (service appears running).")
            out.append("Logs: journalctl --user -u \(ServiceUnitFile.unitName(profile: local.profile)) -n 200 --no-pager")
        }
        if !extraServices.isEmpty {
            out.append("Other gateway-like services detected (best effort):")
            out += extraServices.map { "- \($0)" }
        }
        if let lock, lock.isStale {
            out.append("Stale gateway lock: \(lock.path) (owner pid \(lock.pid.map(String.init) ?? "unknown") is not running); run openclaw doctor --fix")
        }
        if rpc?.ok == false || !running {
            out.append("Troubles: run openclaw status")
            out.append("Troubleshooting: \(Self.troubleshootingURL)")
        }
        return out
    }

    /// One object with upstream's `DaemonStatus` keys.
    public func json() -> JSONValue {
        var command: JSONValue = .null
        if let unit {
            command = .object([
                "programArguments": .array(unit.programArguments.map(JSONValue.string)),
                "workingDirectory": unit.workingDirectory.map(JSONValue.string) ?? .null,
                "environment": .object(unit.safeEnvironment.mapValues(JSONValue.string)),
                "sourcePath": .string(unit.path),
            ])
        }
        var runtime: [String: JSONValue] = [
            "status": .string(running ? "running" : "stopped"),
            "pid": runtimePid.map { .int(Int($0)) } ?? .null,
            "missingUnit": .bool(unit == nil),
        ]
        if let source = runtimeSource { runtime["detail"] = .string("pid from \(source)") }
        if let state = systemd?.activeState { runtime["state"] = .string(state) }
        if let sub = systemd?.subState { runtime["subState"] = .string(sub) }
        let service: JSONValue = .object([
            "label": .string("systemd"),
            "unitName": .string(ServiceUnitFile.unitName(profile: local.profile)),
            "unitPath": .string(unitPath),
            "loaded": .bool(serviceLoaded),
            "loadedText": .string(loadedText),
            "notLoadedText": .string("disabled"),
            "systemdAvailable": .bool(systemd != nil),
            "command": command,
            "runtime": .object(runtime),
        ])
        var config: [String: JSONValue] = [
            "cli": .object([
                "path": .string(local.paths.configPath), "exists": .bool(local.configExists), "valid": .bool(local.configValid),
                "issues": .array(local.configIssues.map(JSONValue.string)),
            ]),
            "mismatch": .bool(configMismatch),
        ]
        config["daemon"] = serviceConfigPath.map { .object(["path": .string($0), "exists": .bool(FileManager.default.fileExists(atPath: $0))]) } ?? .null
        let gateway: JSONValue = .object([
            "bindMode": .string(local.bindMode.value), "bindHost": .string(local.bindHost), "port": .int(local.port.value),
            "portSource": .string(local.port.source.description), "probeUrl": .string(probeUrl),
            "probeTarget": probeTarget.map(JSONValue.string) ?? .null, "probeUrlSource": probeUrlSource.map(JSONValue.string) ?? .null,
            "remote": .bool(probeRemote), "targetError": targetError.map(JSONValue.string) ?? .null,
        ])
        let port: JSONValue = .object([
            "port": .int(local.port.value), "status": .string(listening.isEmpty ? "free" : "busy"),
            "listeners": .array(
                listenerPids.map { pid in
                    .object(["pid": .int(Int(pid)), "command": ProcessTable.commandLine(pid).map(JSONValue.string) ?? .null])
                }),
            "addresses": .array(listening.map(JSONValue.string)),
        ])
        var rpcValue: JSONValue = .null
        if let rpc {
            var members: [String: JSONValue] = ["ok": .bool(rpc.ok), "url": .string(rpc.url), "error": rpc.error.map(JSONValue.string) ?? .null]
            if let latency = rpc.latencyMs { members["latencyMs"] = .int(latency) }
            if let summary = rpc.status { members["version"] = .string(summary.version) }
            rpcValue = .object(members)
        }
        let stale = listenerPids.filter { pid in pid != runtimePid && ProcessTable.commandLine(pid).map(ProcessTable.looksLikeGateway) == true }
        var lockValue: JSONValue = .null
        if let lock {
            lockValue = .object([
                "path": .string(lock.path), "pid": lock.pid.map { .int(Int($0)) } ?? .null, "stale": .bool(lock.isStale),
            ])
        }
        return .object([
            "service": service, "config": .object(config), "gateway": gateway, "port": port, "rpc": rpcValue,
            "logFile": .string(local.logFile), "lock": lockValue, "extraServices": .array(extraServices.map(JSONValue.string)),
            "health": .object(["healthy": .bool(running && rpc?.ok != false), "staleGatewayPids": .array(stale.map { .int(Int($0)) })]),
        ])
    }
}
