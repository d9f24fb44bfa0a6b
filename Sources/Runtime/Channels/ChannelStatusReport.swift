// Sources/Runtime/Channels/ChannelStatusReport.swift - channel accounts as channels.status, health and status report them

import Foundation
import Generated

extension ChannelManager {
    /// The channel part of `health`: ids in order, labels, and a summary per channel.
    struct HealthView {
        var order: [String] = []
        var labels: [String: String] = [:]
        var channels: [String: JSONValue] = [:]
    }

    /// The pseudo-channel of the Control UI and WebSocket clients: always there, its messages go through `chat.send`.
    static let webchat = ChannelMeta(id: "webchat", label: "WebChat", detailLabel: "Gateway WebSocket (Control UI)")

    var metas: [ChannelMeta] { plugins.map(\.meta) + [Self.webchat] }

    /// Channels with a `channels.<id>` section or a configured account: what `health` and `status`
    /// report (`channels.status` lists every known channel, webchat included).
    var configuredMetas: [ChannelMeta] {
        plugins.filter { plugin in view(plugin.meta.id).isPresent || accounts(plugin).contains { $0.configured } }.map(\.meta)
    }

    func health() -> HealthView {
        var view = HealthView()
        for meta in configuredMetas {
            view.order.append(meta.id)
            view.labels[meta.id] = meta.label
            view.channels[meta.id] = summary(meta.id, snapshots: snapshots(meta.id, probes: [:]))
        }
        return view
    }

    /// One line per channel for `status.channelSummary` (`IRC: connected (1/1)`).
    func summaryLines() -> [String] {
        configuredMetas.map { meta in
            let accounts = snapshots(meta.id, probes: [:])
            let configured = accounts.filter { $0.configured == true }
            let connected = configured.filter { $0.connected == true }
            let state =
                configured.isEmpty
                ? "not configured" : "\(connected.count == configured.count ? "connected" : "degraded") (\(connected.count)/\(configured.count))"
            return "\(meta.label): \(state)"
        }
    }

    /// `channels.status`; with `probe`, every configured account's probe runs (in parallel, each bounded by `timeout`).
    func statusResult(probe: Bool, timeout: Duration) async -> ChannelsStatusResult {
        var probes: [String: ChannelProbeResult] = [:]
        if probe {
            probes = await withTaskGroup(of: (String, ChannelProbeResult).self) { group in
                for plugin in plugins {
                    for account in accounts(plugin) where account.configured {
                        group.addTask {
                            let started = ContinuousClock.now
                            var result = await plugin.probe(account, timeout: timeout)
                            if result.elapsedMs == nil { result.elapsedMs = Int((ContinuousClock.now - started).components.seconds * 1000) }
                            return ("\(plugin.meta.id)/\(account.accountId)", result)
                        }
                    }
                }
                var out: [String: ChannelProbeResult] = [:]
                for await (key, result) in group { out[key] = result }
                return out
            }
        }
        var result = ChannelsStatusResult(
            ts: Int(Clock.nowMs), channelOrder: [], channelLabels: [:], channelDetailLabels: [:], channelMeta: [], channels: [:],
            channelAccounts: [:], channelDefaultAccountId: [:]
        )
        for meta in metas {
            let accounts = snapshots(meta.id, probes: probes)
            result.channelOrder.append(meta.id)
            result.channelLabels[meta.id] = meta.label
            result.channelDetailLabels?[meta.id] = meta.detailLabel
            result.channelMeta?.append(ChannelMetaEntry(id: meta.id, label: meta.label, detailLabel: meta.detailLabel, systemImage: meta.systemImage))
            result.channels[meta.id] = summary(meta.id, snapshots: accounts)
            result.channelAccounts[meta.id] = accounts
            result.channelDefaultAccountId[meta.id] = meta.id == Self.webchat.id ? ChannelConfigView.defaultAccountId : view(meta.id).defaultAccountId
        }
        return result
    }

    private func summary(_ channel: String, snapshots: [ChannelAccountSnapshot]) -> JSONValue {
        let configured = snapshots.contains { $0.configured == true }
        var out: [String: JSONValue] = [
            "configured": .bool(configured),
            "running": .bool(snapshots.contains { $0.running == true }),
            "connected": .bool(snapshots.contains { $0.connected == true }),
            "accountCount": .int(snapshots.count),
        ]
        if let error = snapshots.compactMap(\.lastError).first { out["lastError"] = .string(error) }
        return .object(out)
    }

    /// Every account of a channel with its live status, policies and warnings.
    func snapshots(_ channel: String, probes: [String: ChannelProbeResult]) -> [ChannelAccountSnapshot] {
        if channel == Self.webchat.id {
            let connected = hub.connectionCount > 0
            return [
                ChannelAccountSnapshot(
                    accountId: ChannelConfigView.defaultAccountId, name: "Gateway WebSocket", enabled: true, configured: true, running: true,
                    connected: connected, details: ["clients": .int(hub.connectionCount)]
                )
            ]
        }
        guard let plugin = plugin(channel) else { return [] }
        let view = view(channel)
        let defaults = channelDefaults
        let accounts = self.accounts(plugin)
        return accounts.map { account in
            let slot = slot(channel: channel, accountId: account.accountId)
            let status = slot?.status.current ?? ChannelAccountStatus()
            let policy = ChannelAccessPolicy(account: view.account(account.accountId), defaults: defaults)
            let probe = probes["\(channel)/\(account.accountId)"]
            let restarts = slot?.restarts.withLock { list in list.filter { Int(Clock.nowMs) - $0 < 3_600_000 }.count } ?? 0
            var snapshot = ChannelAccountSnapshot(
                accountId: account.accountId, name: account.name, enabled: account.enabled && view.channelEnabled, configured: account.configured,
                running: status.running, connected: status.connected, reconnectAttempts: status.reconnectAttempts,
                lastConnectedAt: status.lastConnectedAt, lastError: status.lastError, lastStartAt: status.lastStartAt, lastStopAt: status.lastStopAt,
                lastInboundAt: status.lastInboundAt, lastOutboundAt: status.lastOutboundAt, restartCount: restarts,
                dmPolicy: policy.dmPolicy.rawValue, groupPolicy: policy.groupPolicy.rawValue, allowFrom: policy.allowFrom.isEmpty ? nil : policy.allowFrom
            )
            if let probe {
                var body: [String: JSONValue] = ["ok": .bool(probe.ok)]
                if let ms = probe.elapsedMs { body["elapsedMs"] = .int(ms) }
                if let error = probe.error { body["error"] = .string(error) }
                for (key, value) in probe.details { body[key] = value }
                snapshot.probe = .object(body)
            }
            let details = plugin.describeAccount(account)
            snapshot.details = details.isEmpty ? nil : details
            let warnings = Self.warnings(channel: channel, account: account, enabled: snapshot.enabled ?? true, status: status, policy: policy, probe: probe)
            snapshot.warnings = warnings.isEmpty ? nil : warnings
            return snapshot
        }
    }

    /// Problems an operator should fix, each saying how.
    static func warnings(
        channel: String, account: any ChannelAccount, enabled: Bool, status: ChannelAccountStatus, policy: ChannelAccessPolicy, probe: ChannelProbeResult?
    ) -> [String] {
        var out: [String] = []
        if !account.configured {
            out.append("not configured: \(account.problem ?? "set the channels.\(channel) keys")")
            return out
        }
        if !enabled { out.append("disabled: set channels.\(channel).enabled (or the account's enabled) to true to start it") }
        if enabled && !status.running {
            out.append("not running\(status.lastError.map { ": \($0)" } ?? ""): check the gateway log, fix the config and save it (the channel restarts)")
        } else if status.running && !status.connected {
            out.append("not connected\(status.lastError.map { " (\($0))" } ?? ""): check the server address and credentials")
        }
        if policy.dmPolicy == .open { out.append("dmPolicy is open: anyone can message the bot; use pairing or allowlist") }
        if policy.dmPolicy == .allowlist && policy.allowFrom.isEmpty {
            out.append("dmPolicy is allowlist with an empty allowFrom: every DM is dropped; add sender ids to allowFrom")
        }
        if let probe, !probe.ok { out.append("probe failed: \(probe.error ?? "unknown error")") }
        return out
    }
}
