// Sources/Runtime/Diagnostics/GatewayStatus.swift - everything `openclaw gateway status` reports, collected once

import Foundation
import Generated

/// What `gateway status` was asked to do.
public struct GatewayStatusRequest: Sendable {
    public var environment: [String: String]
    public var url: String?
    public var token: String?
    public var password: String?
    public var timeoutMs: Int
    public var probe: Bool
    /// `--deep`: also look for other gateway-like unit files.
    public var deep: Bool

    public init(
        environment: [String: String], url: String? = nil, token: String? = nil, password: String? = nil, timeoutMs: Int = 10000, probe: Bool = true,
        deep: Bool = false
    ) {
        self.environment = environment
        self.url = url
        self.token = token
        self.password = password
        self.timeoutMs = timeoutMs
        self.probe = probe
        self.deep = deep
    }
}

/// The outcome of the RPC probe: a real connect plus a `status` call.
public struct RPCProbe: Sendable {
    public var ok: Bool
    public var url: String
    public var error: String?
    public var latencyMs: Int?
    public var status: StatusSummary?
}

/// Service, config, port, runtime and probe facts, in the shape upstream's `DaemonStatus` has.
public struct GatewayStatus: Sendable {
    public var local: LocalResolution
    public var unitPath: String
    public var unit: ServiceUnitFile?
    /// Nil when systemd is not the init system or its user bus is unreachable.
    public var systemd: SystemdUnitState?
    public var serviceConfigPath: String?
    public var lock: GatewayLockInfo?
    /// The running gateway's pid and where it was found (`lock`, `systemd`, `port listener`).
    public var runtimePid: Int32?
    public var runtimeSource: String?
    public var listenerPids: [Int32]
    public var listening: [String]
    public var probeUrl: String
    /// `remote, from config gateway.remote.url`, `local, default`, …; nil when the target could not be resolved.
    public var probeTarget: String?
    /// The URL's precedence link (`--url`, `env OPENCLAW_GATEWAY_URL`, `config gateway.remote.url`, `rule localUrl`).
    public var probeUrlSource: String?
    /// Whether the probe goes anywhere but the implicit local gateway.
    public var probeRemote = false
    /// Why no target resolved (e.g. `gateway remote mode misconfigured: gateway.remote.url missing`).
    public var targetError: String?
    public var rpc: RPCProbe?
    /// With `--deep`: other `openclaw*`/`clawdbot*` units in the user and system unit directories.
    public var extraServices: [String] = []

    public var configMismatch: Bool {
        guard let serviceConfigPath else { return false }
        return serviceConfigPath != local.paths.configPath
    }

    public var serviceLoaded: Bool { systemd?.enabled == "enabled" }
    public var serviceActive: Bool { systemd?.activeState == "active" }
    public var running: Bool { runtimePid != nil }

    /// Collects everything; the probe honours `request.timeoutMs` and is skipped with `probe: false`.
    public static func collect(_ request: GatewayStatusRequest) async -> GatewayStatus {
        let local = LocalResolution(environment: request.environment)
        let unitPath = local.unitPath
        let unit = ServiceUnitFile.load(path: unitPath)
        let systemd = await SystemdQuery.state(unit: ServiceUnitFile.unitName(profile: local.profile))
        let lock = GatewayLockInfo.read(configPath: local.paths.configPath, environment: request.environment)
        let listenerPids = ProcessTable.listeners(port: local.port.value)
        var runtimePid: Int32?
        var runtimeSource: String?
        if let pid = lock?.pid, ProcessTable.isAlive(pid) {
            (runtimePid, runtimeSource) = (pid, "lock")
        } else if let pid = systemd?.mainPid {
            (runtimePid, runtimeSource) = (pid, "systemd")
        } else if let pid = listenerPids.first {
            (runtimePid, runtimeSource) = (pid, "port listener")
        }
        var target: ClientTarget?
        var targetError: String?
        do {
            target = try ClientTarget.resolve(url: request.url, token: request.token, password: request.password, environment: request.environment)
        } catch {
            targetError = "\(error)"
        }
        let probeUrl = target?.url ?? request.url ?? "ws://127.0.0.1:\(local.port.value)"
        var status = GatewayStatus(
            local: local, unitPath: unitPath, unit: unit, systemd: systemd, serviceConfigPath: unit.map(local.serviceConfigPath),
            lock: lock, runtimePid: runtimePid, runtimeSource: runtimeSource, listenerPids: listenerPids,
            listening: ProcessTable.listeningAddresses(port: local.port.value), probeUrl: probeUrl, rpc: nil
        )
        status.probeTarget = target?.describedSource
        status.probeUrlSource = target?.urlSource.description
        status.probeRemote = target.map { !$0.isImplicitLocal } ?? false
        status.targetError = targetError
        if request.deep {
            status.extraServices = otherUnits(excluding: unitPath, environment: request.environment)
        }
        if request.probe {
            status.rpc = await probe(request: request, url: probeUrl)
        }
        return status
    }

    /// Connects with the operator client and calls `status`.
    public static func probe(request: GatewayStatusRequest, url: String) async -> RPCProbe {
        let started = ContinuousClock.now
        let target: ClientTarget
        do {
            target = try ClientTarget.resolve(url: request.url, token: request.token, password: request.password, environment: request.environment)
        } catch {
            return RPCProbe(ok: false, url: url, error: "\(error)")
        }
        do {
            let client = try await GatewayClient.connect(target: target, timeoutMs: request.timeoutMs)
            do {
                let summary = try await client.request(GatewayMethod.status.rawValue, as: StatusSummary.self, timeoutMs: request.timeoutMs)
                await client.close()
                return RPCProbe(ok: true, url: target.url, error: nil, latencyMs: milliseconds(since: started), status: summary)
            } catch {
                await client.close()
                throw error
            }
        } catch {
            return RPCProbe(ok: false, url: target.url, error: "\(error)", latencyMs: milliseconds(since: started))
        }
    }

    /// Best effort: unit files whose name looks like a gateway, other than this profile's.
    static func otherUnits(excluding own: String, environment: [String: String]) -> [String] {
        let home = StatePaths.homeDirectory(environment: environment)
        var found: [String] = []
        for directory in [home + "/.config/systemd/user", "/etc/systemd/system"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                let lower = name.lowercased()
                guard lower.hasSuffix(".service"), lower.contains("openclaw") || lower.contains("clawdbot") || lower.contains("moltbot") else { continue }
                let path = directory + "/" + name
                if path != own { found.append(path) }
            }
        }
        return found.sorted()
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = (ContinuousClock.now - start).components
        return Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
    }
}
