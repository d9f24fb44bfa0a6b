// Sources/Runtime/Events/GatewayHub.swift - shared gateway state and the one broadcaster

import Foundation
import Generated
import Logging
import Synchronization

/// The state every connection shares: connections, presence, health, state versions.
/// Broadcasts go through here, stamped per connection by its outbox.
final class GatewayHub: Sendable {
    struct HealthCache {
        var summary: HealthSummary
        var payload: Payload<HealthSummary>
        var computedAt: Int
    }

    private struct State {
        var connections: [String: Connection] = [:]
        var presence: PresenceRegistry
        var presenceVersion = 1
        var healthVersion = 1
        var health: HealthCache?
        var lastHeartbeat: HeartbeatEvent?
        var shuttingDown = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        /// When the last presence broadcast went out, and whether a trailing one is scheduled.
        var presenceSentAt: ContinuousClock.Instant?
        var presencePending = false
    }

    let settings: GatewaySettings
    let logger: Logger
    /// Where restarts are requested (config reload, config.apply, SIGUSR1); the gateway's run loop consumes it.
    let restart = RestartController()
    /// The config in effect: the loaded file, replaced when a reload applies a new one.
    let config: Mutex<LoadedConfig>
    /// Failed-auth limiter shared by every listener; a hot reload of `gateway.auth.rateLimit` reconfigures it.
    let authLimiter: AuthRateLimiter
    /// Failed auth from browser-origin sockets, loopback included, keyed by page origin on loopback (upstream).
    let browserAuthLimiter: AuthRateLimiter
    /// Failed device-token attempts, counted apart from shared-secret failures (upstream's own bucket).
    let deviceTokenLimiter: AuthRateLimiter
    /// Pending pairing requests, paired devices and their tokens (`<stateDir>/devices/`).
    let devices: DevicePairingStore
    let startedAt = Date()
    /// What `GET /metrics` serves.
    let metrics = MetricsRecorder()
    /// Answers of idempotent requests (`agent`, `chat.send`, `send`, hooks) that a retry replays.
    let dedupe = DedupeCache()
    /// Work that outlives its request (deliveries, throttled broadcasts, channel restarts); stopped at shutdown.
    let tasks = BackgroundTasks()
    /// The OTLP exporters `diagnostics.otel` asks for (none by default); `tracer` records this gateway's spans.
    let telemetry: GatewayTelemetry
    var tracer: GatewayTracer { telemetry.tracer }
    private let state: Mutex<State>
    /// Sockets past their handshake: while there are none, run events are not even encoded (an HTTP-only gateway
    /// streams tokens to nobody).
    private let connectedClients = Atomic<Int>(0)
    /// The ports actually bound, filled in once listeners run.
    let boundPorts = Mutex<[Int]>([])
    /// The agent runtime, installed once the session store is open.
    private let agentRuntime = Mutex<AgentRuntime?>(nil)
    /// The channel accounts (Channels/ChannelManager), installed when the gateway starts.
    let channelManager = Mutex<ChannelManager?>(nil)
    /// The heartbeat runner and the cron scheduler (Automation/), installed with the agent runtime.
    let automationSlot = Mutex<GatewayAutomation?>(nil)

    init(settings: GatewaySettings, logger: Logger) {
        self.settings = settings
        let telemetry = GatewayTelemetry.make(config: settings.config.config, logger: logger)
        self.telemetry = telemetry
        self.logger = telemetry.logger(wrapping: logger, secrets: GatewayTelemetry.secrets(of: settings))
        self.config = Mutex(settings.config)
        self.authLimiter = AuthRateLimiter(limit: settings.rateLimit, metrics: metrics)
        self.browserAuthLimiter = AuthRateLimiter(limit: settings.rateLimit, honoursLoopbackExemption: false, metrics: metrics)
        self.state = Mutex(State(presence: PresenceRegistry(selfEntry: SelfPresence.entry(version: settings.version, now: Int(Clock.nowMs)))))
        self.deviceTokenLimiter = AuthRateLimiter(limit: settings.rateLimit, metrics: metrics)
        self.devices = DevicePairingStore(stateDir: settings.paths.stateDir)
    }

    var uptimeMs: Int { Int(Date().timeIntervalSince(startedAt) * 1000) }
    var connectionCount: Int { state.withLock { $0.connections.count } }
    /// Every registered socket (connected or still in its handshake).
    var openConnections: [Connection] { state.withLock { Array($0.connections.values) } }
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }
    var lastHeartbeat: HeartbeatEvent? { state.withLock { $0.lastHeartbeat } }

    /// A beat finished: `last-heartbeat` answers it from now on, and every client gets the `heartbeat` event.
    func recordHeartbeat(_ event: HeartbeatEvent) {
        state.withLock { $0.lastHeartbeat = event }
        if let frame = try? OutboundEvent.heartbeat(event) { broadcast(frame) }
    }

    var stateVersion: StateVersion {
        state.withLock { StateVersion(presence: $0.presenceVersion, health: $0.healthVersion) }
    }

    // MARK: - Agents

    func installAgents(store: SessionStore, environment: [String: String]) {
        agentRuntime.withLock { $0 = AgentRuntime(hub: self, store: store, environment: environment) }
    }

    /// The agent runtime; methods that need it fail with UNAVAILABLE before it is installed.
    var agents: AgentRuntime {
        get throws(GatewayError) {
            guard let runtime = agentRuntime.withLock({ $0 }) else { throw GatewayError(.unavailable, "agent runtime not started") }
            return runtime
        }
    }

    /// `gateway.trustedProxies` as currently configured.
    var trustedProxies: [String] { config.withLock { $0.config.gateway?.trustedProxies } ?? [] }

    /// A run's budget when the request sets none (`agents.defaults.timeoutSeconds`).
    var defaultRunTimeout: Duration {
        .seconds(config.withLock { $0.config.agents?.defaults?.timeoutSeconds } ?? ConfigDefaults.agentsDefaultsTimeoutSeconds)
    }

    /// The agents the current config declares.
    var catalog: AgentCatalog { AgentCatalog(config: config.withLock { $0.config }) }

    /// Aborts running runs with `stopReason: "shutdown"` before the sockets close, so clients get their final events.
    func stopRuns() async {
        await agentRuntime.withLock { $0 }?.shutdown(timeout: .seconds(2))
    }

    // MARK: - Connections

    func register(_ connection: Connection) {
        state.withLock { $0.connections[connection.id] = connection }
    }

    /// A registered socket completed its handshake as `client` (counted until it unregisters).
    func markConnected(_ connection: Connection, as client: ConnectedClient) {
        connection.markConnected(client)
        connectedClients.add(1, ordering: .relaxed)
        metrics.connection(role: client.params.role, delta: 1)
    }

    /// Whether any socket could receive a broadcast at all.
    var hasConnectedClients: Bool { connectedClients.load(ordering: .relaxed) > 0 }

    func unregister(_ connection: Connection) {
        let (removed, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            let removed = state.connections.removeValue(forKey: connection.id) != nil
            guard state.connections.isEmpty else { return (removed, []) }
            defer { state.drainWaiters.removeAll() }
            return (removed, state.drainWaiters)
        }
        for waiter in waiters { waiter.resume() }
        if removed, let client = connection.connected {
            connectedClients.subtract(1, ordering: .relaxed)
            metrics.connection(role: client.params.role, delta: -1)
        }
        guard removed, !isShuttingDown, let key = connection.connected?.presenceKey else { return }
        updatePresence { $0.remove(key) }
    }

    /// Sends `event` to every eligible connection, each with its own `seq` and in its own protocol version's shape
    /// (one frame head per version when the payload differs between versions).
    func broadcast(_ event: OutboundEvent, stateVersion: StateVersion? = nil) {
        let versionJSON = event.event.carriesStateVersion ? (try? Payload(stateVersion ?? self.stateVersion).erased) : nil
        let shared = FrameWriter.eventHead(name: event.event.rawValue, payload: event.payload, stateVersion: versionJSON)
        var heads: [Int: [UInt8]] = [:]
        let targets = state.withLock { Array($0.connections.values) }
        var sent = 0
        var dropped = 0
        defer { metrics.events(event.event.rawValue, sent: sent, dropped: dropped) }
        for connection in targets {
            guard let client = connection.connected, client.grant.receives(event.event), event.event.versions.contains(client.protocolVersion),
                event.payload.isAvailable(in: client.protocolVersion)
            else { continue }
            var head = shared
            if event.payload.isVersioned {
                if let cached = heads[client.protocolVersion] {
                    head = cached
                } else {
                    head = FrameWriter.eventHead(name: event.event.rawValue, payload: event.payload, stateVersion: versionJSON, version: client.protocolVersion)
                    heads[client.protocolVersion] = head
                }
            }
            let replacing = event.event == .presence ? event.event.rawValue : nil
            switch connection.outbox.enqueueBroadcast(head: head, droppable: event.event.isDroppable, replacing: replacing) {
            case .queued: sent += 1
            case .dropped: dropped += 1
            case .closed: break
            case .overflow:
                dropped += 1
                metrics.slowConsumerClosed()
                logger.warning("closing slow consumer", metadata: ["connId": "\(connection.id)", "event": "\(event.event.rawValue)"])
                connection.closeSlowConsumer()
            }
        }
    }

    // MARK: - Presence

    func presenceList() -> [PresenceEntry] {
        state.withLock { $0.presence.list(now: Int(Clock.nowMs)) }
    }

    func upsertPresence(key: String, entry: PresenceEntry) {
        updatePresence { $0.upsert(key, entry) }
    }

    /// Applies a presence change and broadcasts the list: at once when the last broadcast is older than
    /// the throttle interval, else once when it ends.
    private func updatePresence(_ change: (inout PresenceRegistry) -> Void) {
        let delay = state.withLock { state -> Duration? in
            let throttle = Duration.milliseconds(PresenceThrottle.intervalMs(connections: state.connections.count))
            change(&state.presence)
            state.presenceVersion += 1
            if state.presencePending { return nil }
            let now = ContinuousClock.now
            let wait = state.presenceSentAt.map { throttle - (now - $0) } ?? .zero
            state.presencePending = true
            return max(wait, .zero)
        }
        guard let delay else { return }
        if delay == .zero {
            broadcastPresence()
        } else {
            tasks.spawn {
                try? await Task.sleep(for: delay)
                self.broadcastPresence()
            }
        }
    }

    private func broadcastPresence() {
        let (list, version) = state.withLock { state -> ([PresenceEntry], StateVersion) in
            state.presencePending = false
            state.presenceSentAt = .now
            return (state.presence.list(now: Int(Clock.nowMs)), StateVersion(presence: state.presenceVersion, health: state.healthVersion))
        }
        if let event = try? OutboundEvent.presence(PresenceEvent(presence: list)) {
            broadcast(event, stateVersion: version)
        }
    }

    // MARK: - Health

    /// The cached summary when younger than the refresh interval, else a fresh one.
    func health(probe: Bool) throws -> HealthCache {
        if !probe, let cached = state.withLock({ $0.health }), Int(Clock.nowMs) - cached.computedAt < settings.policy.healthRefreshMs {
            return cached
        }
        return try refreshHealth()
    }

    /// Computes the summary, bumps the health version and broadcasts `health`.
    @discardableResult
    func refreshHealth() throws -> HealthCache {
        let started = Clock.nowMs
        let sessions = sessionHealth(now: Int(started))
        let catalog = self.catalog
        let heartbeats = heartbeatPolicies()
        let channelHealth = channelManager.withLock { $0 }?.health() ?? ChannelManager.HealthView()
        var summary = HealthSummary(
            ok: true, ts: Int(started), durationMs: 0, channels: channelHealth.channels, channelOrder: channelHealth.order, channelLabels: channelHealth.labels,
            heartbeatSeconds: (heartbeats.first { $0.agentId == catalog.defaultId }?.intervalMs ?? 0) / 1000,
            defaultAgentId: catalog.defaultId,
            agents: catalog.agents.map { agent in
                HealthAgent(
                    agentId: agent.id, isDefault: agent.id == catalog.defaultId,
                    heartbeat: heartbeats.first { $0.agentId == agent.id }?.healthSummary, sessions: sessions
                )
            },
            sessions: sessions
        )
        summary.durationMs = Int(Clock.nowMs - started)
        let cache = HealthCache(summary: summary, payload: try Payload(summary), computedAt: Int(started))
        let version = state.withLock { state -> StateVersion in
            state.health = cache
            state.healthVersion += 1
            return StateVersion(presence: state.presenceVersion, health: state.healthVersion)
        }
        broadcast(.health(cache.payload), stateVersion: version)
        return cache
    }

    /// The session store's path, size and five most recent sessions.
    private func sessionHealth(now: Int) -> HealthSessions {
        let path = SessionStore.defaultPath(stateDir: settings.paths.stateDir)
        guard let store = agentRuntime.withLock({ $0 })?.store else { return HealthSessions(path: path, count: 0, recent: []) }
        let count = (try? store.count()) ?? 0
        let recent = ((try? store.list(SessionQuery(limit: 5, now: now))) ?? []).map { entry in
            HealthSessionRef(key: entry.key, updatedAt: entry.updatedAt, age: max(0, now - entry.updatedAt))
        }
        return HealthSessions(path: path, count: count, recent: recent)
    }

    // MARK: - Shutdown

    /// Tells every client why, then closes each with 1012.
    func shutdown(reason: String, restartExpectedMs: Int?) {
        let targets = state.withLock { state -> [Connection]? in
            // Once only: a restart announces "gateway restarting" before the graceful stop runs.
            if state.shuttingDown { return nil }
            state.shuttingDown = true
            return Array(state.connections.values)
        }
        guard let targets else { return }
        if let event = try? OutboundEvent.shutdown(ShutdownEvent(reason: reason, restartExpectedMs: restartExpectedMs)) {
            broadcast(event)
        }
        for connection in targets {
            connection.close(CloseCodes.serviceRestart)
            connection.hardCloseLater(after: .milliseconds(Int64(ProtocolLimits.shutdownGraceMs)))
        }
    }

    /// Returns once every socket has gone, or when `timeout` passes.
    func waitUntilDrained(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let done = self.state.withLock { state -> Bool in
                        if state.connections.isEmpty { return true }
                        state.drainWaiters.append(continuation)
                        return false
                    }
                    if done { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            // A timed-out waiter is resumed here so its task can finish.
            let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                defer { state.drainWaiters.removeAll() }
                return state.drainWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }
}
