// Sources/Runtime/Channels/ChannelManager.swift - runs the configured channel accounts: start, stop, restart on change, health

import Foundation
import Generated
import Logging
import Synchronization

/// One gateway's channel accounts. Starts every configured, enabled account when the gateway starts,
/// stops them at shutdown, restarts only the channels whose `channels.<id>` section changed on a hot
/// reload, and restarts accounts the health monitor finds stuck (at most
/// `gateway.channelMaxRestartsPerHour` times each).
final class ChannelManager: Sendable {
    /// One account: its resolved settings, live status and, while running, its handle.
    final class Slot: Sendable {
        let plugin: any ChannelPlugin
        let account: any ChannelAccount
        let status: ChannelStatusCell
        let handle = Mutex<(any ChannelAccountHandle)?>(nil)
        /// Health-monitor restarts (ms timestamps), pruned to the last hour.
        let restarts: Mutex<[Int]>
        /// The gateway's tracer, for a span per delivery (`ChannelSender`).
        let tracer: GatewayTracer

        init(plugin: any ChannelPlugin, account: any ChannelAccount, status: ChannelStatusCell, restarts: [Int], tracer: GatewayTracer = .off) {
            self.plugin = plugin
            self.account = account
            self.status = status
            self.restarts = Mutex(restarts)
            self.tracer = tracer
        }

        var channel: String { plugin.meta.id }
    }

    private struct State {
        /// Running and stopped-but-configured accounts by channel id, then account id.
        var slots: [String: [String: Slot]] = [:]
        /// The `channels.<id>` sections (plus `channels.defaults`) the slots were started with.
        var applied: [String: JSONValue] = [:]
        var monitor: Task<Void, Never>?
        var stopped = false
    }

    let hub: GatewayHub
    let plugins: [any ChannelPlugin]
    let setup: ChannelSetup
    let environment: [String: String]
    let pairing: PairingStore
    let groupHistory = GroupHistory()
    private let state = Mutex(State())
    /// The tail of the lifecycle chain: start/stop/restart operations run one after another.
    private let chain = Mutex<Task<Void, Never>?>(nil)

    init(hub: GatewayHub, setup: ChannelSetup, environment: [String: String]) {
        self.hub = hub
        self.setup = setup
        self.environment = environment
        var plugins = ChannelRegistry.builtin()
        for extra in setup.plugins {
            plugins.removeAll { $0.meta.id == extra.meta.id }
            plugins.append(extra)
        }
        self.plugins = plugins
        self.pairing = PairingStore(stateDir: hub.settings.paths.stateDir)
    }

    var logger: Logger { hub.logger }

    func plugin(_ id: String) -> (any ChannelPlugin)? { plugins.first { $0.meta.id == id.lowercased() } }

    /// The channel's config as the current config file has it.
    func view(_ channel: String) -> ChannelConfigView {
        ChannelConfigView(section: hub.config.withLock { $0.tree["channels"]?[channel] }, environment: environment)
    }

    var channelDefaults: ChannelsDefaultsConfig? { hub.config.withLock { $0.config.channels?.defaults } }

    /// Every account the config declares, resolved (configured or not), in the plugin's order.
    func accounts(_ plugin: any ChannelPlugin) -> [any ChannelAccount] {
        let view = view(plugin.meta.id)
        return plugin.listAccountIds(view).map { plugin.resolveAccount(view, accountId: $0) }
    }

    func slot(channel: String, accountId: String) -> Slot? {
        state.withLock { $0.slots[channel]?[accountId] }
    }

    func slots(channel: String) -> [Slot] {
        state.withLock { Array(($0.slots[channel] ?? [:]).values) }.sorted { $0.account.accountId < $1.account.accountId }
    }

    // MARK: - Lifecycle

    /// Starts every channel and the health monitor.
    func start() async {
        await serialized {
            for plugin in self.plugins { await self.startChannel(plugin) }
        }
        let monitor = Task { [weak self] in
            guard let self else { return }
            await self.monitorHealth()
        }
        let keep = state.withLock { state -> Bool in
            if state.stopped { return false }
            state.monitor = monitor
            return true
        }
        if !keep { monitor.cancel() }
    }

    /// Stops every account (at gateway shutdown); later lifecycle calls do nothing.
    func stop() async {
        let monitor = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            defer { state.monitor = nil }
            return state.monitor
        }
        monitor?.cancel()
        await serialized(evenIfStopped: true) {
            for plugin in self.plugins { await self.stopChannel(plugin.meta.id) }
        }
    }

    /// After a hot reload: restarts each channel whose section (or `channels.defaults`) changed.
    func configChanged() async {
        await serialized {
            let tree = self.hub.config.withLock { $0.tree }
            for plugin in self.plugins {
                let id = plugin.meta.id
                let next = Self.fingerprint(tree, channel: id)
                let previous = self.state.withLock { $0.applied[id] }
                guard previous != next else { continue }
                self.logger.info("[channels] config of \(id) changed; restarting \(id)")
                await self.stopChannel(id)
                await self.startChannel(plugin)
            }
        }
    }

    /// Stops one account and forgets nothing else (for `channels.logout`).
    func stopAccount(channel: String, accountId: String) async {
        await serialized {
            guard let slot = self.slot(channel: channel, accountId: accountId) else { return }
            await self.stop(slot)
        }
    }

    private func startChannel(_ plugin: any ChannelPlugin) async {
        let id = plugin.meta.id
        let view = view(id)
        let fingerprint = Self.fingerprint(hub.config.withLock { $0.tree }, channel: id)
        let previous = state.withLock { $0.slots[id] ?? [:] }
        var slots: [String: Slot] = [:]
        for account in accounts(plugin) {
            // Restart counts survive a restart of the channel, so the hourly cap holds.
            let restarts = previous[account.accountId]?.restarts.withLock { $0 } ?? []
            slots[account.accountId] = Slot(plugin: plugin, account: account, status: ChannelStatusCell(), restarts: restarts, tracer: hub.tracer)
        }
        state.withLock { state in
            state.slots[id] = slots
            state.applied[id] = fingerprint
        }
        guard view.channelEnabled else { return }
        for slot in slots.values.sorted(by: { $0.account.accountId < $1.account.accountId }) where slot.account.enabled && slot.account.configured {
            await start(slot)
        }
    }

    private func stopChannel(_ id: String) async {
        for slot in slots(channel: id) { await stop(slot) }
    }

    private func start(_ slot: Slot) async {
        let context = ChannelAccountContext(
            channel: slot.channel, accountId: slot.account.accountId, inbound: ChannelRouter(manager: self),
            logger: channelLogger(slot), stateDir: hub.settings.paths.stateDir, status: slot.status
        )
        let now = Int(Clock.nowMs)
        slot.status.update { status in
            status.running = true
            status.connected = false
            status.lastStartAt = now
        }
        do {
            let handle = try await slot.plugin.startAccount(slot.account, context: context)
            slot.handle.withLock { $0 = handle }
            logger.info("[channels] \(slot.channel)/\(slot.account.accountId) started")
        } catch {
            let message = (error as? ChannelError)?.message ?? "\(error)"
            slot.status.update { status in
                status.running = false
                status.lastError = message
                status.lastStopAt = Int(Clock.nowMs)
            }
            logger.error("[channels] \(slot.channel)/\(slot.account.accountId) failed to start: \(message)")
        }
    }

    private func stop(_ slot: Slot) async {
        guard
            let handle = slot.handle.withLock({ handle -> (any ChannelAccountHandle)? in
                defer { handle = nil }
                return handle
            })
        else { return }
        await handle.stop()
        slot.status.update { status in
            status.running = false
            status.connected = false
            status.lastStopAt = Int(Clock.nowMs)
        }
        logger.info("[channels] \(slot.channel)/\(slot.account.accountId) stopped")
    }

    private func channelLogger(_ slot: Slot) -> Logger {
        var logger = Logger(label: "channel.\(slot.channel)")
        logger.logLevel = hub.logger.logLevel
        logger[metadataKey: "account"] = "\(slot.account.accountId)"
        return logger
    }

    /// Runs `body` after every lifecycle operation queued before it.
    private func serialized(evenIfStopped: Bool = false, _ body: @escaping @Sendable () async -> Void) async {
        let task = chain.withLock { tail -> Task<Void, Never> in
            let previous = tail
            let next = Task { [weak self] in
                await previous?.value
                guard let self else { return }
                if !evenIfStopped, self.state.withLock({ $0.stopped }) { return }
                await body()
            }
            tail = next
            return next
        }
        await task.value
    }

    static func fingerprint(_ tree: JSONValue, channel: String) -> JSONValue {
        .object(["section": tree["channels"]?[channel] ?? .null, "defaults": tree["channels"]?["defaults"] ?? .null])
    }

    // MARK: - Health monitor

    private func monitorHealth() async {
        while !Task.isCancelled {
            let minutes = hub.config.withLock { $0.config.gateway?.channelHealthCheckMinutes } ?? ConfigDefaults.gatewayChannelHealthCheckMinutes
            guard let interval = setup.healthCheckInterval ?? (minutes > 0 ? .seconds(minutes * 60) : nil) else { return }
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await checkHealth()
        }
    }

    /// Restarts every running account that has been disconnected for longer than the stale time,
    /// within its hourly restart budget.
    func checkHealth() async {
        let gateway = hub.config.withLock { $0.config.gateway }
        let cap = gateway?.channelMaxRestartsPerHour ?? ConfigDefaults.gatewayChannelMaxRestartsPerHour
        let staleMinutes = gateway?.channelStaleMinutes ?? ConfigDefaults.gatewayChannelStaleMinutes
        let staleMs =
            setup.staleAfter.map { Int($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
            ?? staleMinutes * 60_000
        let now = Int(Clock.nowMs)
        let all = state.withLock { $0.slots.values.flatMap(\.values) }
        for slot in all {
            let status = slot.status.current
            guard slot.handle.withLock({ $0 != nil }), !status.connected else { continue }
            let since = max(status.lastConnectedAt ?? 0, status.lastStartAt ?? 0)
            guard now - since >= staleMs else { continue }
            let allowed = slot.restarts.withLock { restarts -> Bool in
                restarts.removeAll { now - $0 >= 3_600_000 }
                guard restarts.count < cap else { return false }
                restarts.append(now)
                return true
            }
            let name = "\(slot.channel)/\(slot.account.accountId)"
            guard allowed else {
                logger.warning("[channels] \(name) is stuck but reached gateway.channelMaxRestartsPerHour (\(cap)); not restarting")
                continue
            }
            logger.warning("[channels] \(name) disconnected for \((now - since) / 1000) s; restarting it")
            await serialized {
                guard self.slot(channel: slot.channel, accountId: slot.account.accountId) === slot else { return }
                await self.stop(slot)
                await self.start(slot)
            }
        }
    }
}
