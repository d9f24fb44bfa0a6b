// Sources/Runtime/Diagnostics/DoctorServiceCheck.swift - doctor: does the installed unit match what the CLI resolves?

import Foundation
import Generated

extension Doctor {
    /// Service file drift (reference/ops.md §7 "Drift detection"): config path, port, token and binary path.
    func checkService(_ local: LocalResolution) async -> DoctorCheck {
        guard let unit = ServiceUnitFile.load(path: local.unitPath) else {
            return DoctorCheck(id: "service", status: .ok, message: "No gateway service installed (\(local.unitPath)).")
        }
        let drift = Self.serviceDrift(unit, local: local)
        guard !drift.isEmpty else { return DoctorCheck(id: "service", status: .ok, message: "Service file matches the CLI: \(unit.path)") }
        let message = "Service file drift in \(unit.path): " + drift.joined(separator: "; ")
        guard options.fix, !options.nonInteractive else {
            return DoctorCheck(id: "service", status: .warn, message: message, fix: "openclaw gateway install --force (or openclaw doctor --fix)")
        }
        do {
            try await rewriteUnit(at: unit.path, local: local)
            return DoctorCheck(id: "service", status: .warn, message: message, fix: "rewrote \(unit.path) for the CLI's config and port", fixed: true)
        } catch {
            return DoctorCheck(id: "service", status: .warn, message: message, fix: "openclaw gateway install --force (rewrite failed: \(error))", fixed: false)
        }
    }

    /// Differences between the unit and the CLI's resolution; empty when none.
    static func serviceDrift(_ unit: ServiceUnitFile, local: LocalResolution) -> [String] {
        var drift: [String] = []
        let serviceConfig = local.serviceConfigPath(unit)
        if serviceConfig != local.paths.configPath {
            drift.append("config path \(serviceConfig) (CLI: \(local.paths.configPath))")
        }
        let servicePort = unit.pinnedPort ?? unit.environment[EnvironmentVariable.gatewayPort].flatMap { Int($0) }
        if let servicePort, servicePort != local.port.value {
            drift.append("port \(servicePort) (CLI resolves \(local.port.value) from \(local.port.source))")
        }
        // Token drift resolves config-first and ignores the CLI's environment.
        if let serviceToken = unit.environment[EnvironmentVariable.gatewayToken], let configToken = local.config.config.gateway?.auth?.token,
            serviceToken != configToken
        {
            drift.append("\(EnvironmentVariable.gatewayToken) differs from gateway.auth.token")
        }
        let current = ServiceDefinition.currentExecutable()
        if let binary = unit.programArguments.first, binary != current {
            drift.append("binary \(binary) (current: \(current))")
        }
        return drift
    }

    /// Renders the unit `gateway install` would write now (no token: secrets stay in the config) and reloads systemd if it runs.
    func rewriteUnit(at path: String, local: LocalResolution) async throws {
        let identity = ServiceIdentity.resolve(environment: options.environment)
        let definition = ServiceDefinition.gateway(
            ServiceDefinition.Inputs(
                identity: identity, paths: local.paths, port: local.port.value, executable: ServiceDefinition.currentExecutable(),
                version: GatewayVersion.current, token: nil, manager: .systemd
            )
        )
        try Data(SystemdUnit.render(definition).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        let manager = ServiceManager(kind: .systemdUser, identity: identity, environment: options.environment)
        if manager.unavailableReason == nil { _ = await manager.reload() }
    }
}
