// Sources/Runtime/Methods/SystemMethods.swift - health, status, presence, system events, heartbeat

import Foundation
import Generated

/// The core methods every gateway answers (reference/protocol.md §4.1).
struct SystemMethods: GatewayMethodHandler {
    let hub: GatewayHub

    func health(_ params: HealthParams, context: MethodContext) async throws -> Payload<HealthSummary> {
        try hub.health(probe: params.probe == true).payload
    }

    func status(context: MethodContext) async throws -> Payload<StatusSummary> {
        let settings = hub.settings
        let admin = context.client.grant.scopes.contains(Grant.adminScope)
        let health = try hub.health(probe: false).summary
        let summary = StatusSummary(
            ts: Int(Clock.nowMs), version: settings.version, uptimeMs: hub.uptimeMs,
            gateway: StatusGateway(
                bind: settings.bind.value, host: settings.hosts.first ?? "127.0.0.1", port: hub.boundPorts.withLock { $0.first } ?? settings.port.value,
                authMode: settings.auth.mode, pid: Int(ProcessInfo.processInfo.processIdentifier)
            ),
            connections: hub.connectionCount, presence: hub.presenceList().count, heartbeat: hub.lastHeartbeat,
            channelSummary: hub.channelManager.withLock { $0 }?.summaryLines() ?? [], sessions: health.sessions,
            configPath: admin ? settings.paths.configPath : nil, stateDir: admin ? settings.paths.stateDir : nil
        )
        return try Payload(summary)
    }

    func systemPresence(context: MethodContext) async throws -> Payload<[PresenceEntry]> {
        try Payload(hub.presenceList())
    }

    func systemEvent(_ params: SystemEventParams, context: MethodContext) async throws -> Payload<OkResult> {
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw GatewayError.invalidRequest("text required") }
        let key = params.deviceId ?? params.instanceId ?? params.host ?? context.connection.id
        hub.upsertPresence(
            key: key,
            entry: PresenceEntry(
                host: params.host, ip: params.ip, version: params.version, platform: params.platform, deviceFamily: params.deviceFamily,
                modelIdentifier: params.modelIdentifier, mode: params.mode, lastInputSeconds: params.lastInputSeconds, reason: params.reason,
                tags: params.tags, text: text, ts: Int(Clock.nowMs), deviceId: params.deviceId, roles: params.roles, scopes: params.scopes,
                instanceId: params.instanceId
            )
        )
        return try Payload(OkResult(ok: true))
    }

    func lastHeartbeat(context: MethodContext) async throws -> Payload<HeartbeatEvent?> {
        try Payload(hub.lastHeartbeat)
    }
}
