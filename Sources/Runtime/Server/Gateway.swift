// Sources/Runtime/Server/Gateway.swift - a running gateway: start, wait, stop

import Foundation
import Generated
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// A gateway process's lifetime. `run` serves until SIGTERM/SIGINT (or `stop`), then shuts down gracefully.
public final class Gateway: Sendable {
    public let settings: GatewaySettings
    let hub: GatewayHub
    private let group = Mutex<ServiceGroup?>(nil)
    private let shutdownStart = Mutex<ContinuousClock.Instant?>(nil)
    private let listening = Mutex<(ports: [Int], waiters: [CheckedContinuation<Int, Never>])>(([], []))

    public init(settings: GatewaySettings, logger: Logger) {
        self.settings = settings
        self.hub = GatewayHub(settings: settings, logger: logger)
    }

    /// Serves until stopped. With `handleSignals`, SIGTERM/SIGINT stop it as upstream logs them. With `lock` (the CLI's
    /// gateway), the config path's `GatewayLock` is taken before binding and released on exit; in-process gateways skip it.
    /// Watches the config file from now on and applies edits as the CLI's gateway does, until the task is cancelled.
    /// For embedders and tests that run `Gateway` directly (the CLI's `GatewayRunner` runs its own reloader).
    public func watchConfig() -> Task<Void, Never> {
        let reloader = ConfigReloader(hub: hub, logOptions: LogOptions(flagLevel: nil, verbose: false), environment: settings.environment)
        return Task {
            await withTaskCancellationHandler {
                await reloader.run()
            } onCancel: {
                reloader.stop()
            }
        }
    }

    public func run(handleSignals: Bool, lock: Bool = false) async throws {
        if let limit = FileLimit.raiseToHard(), limit.after > limit.before {
            hub.logger.debug("raised the open-file limit", metadata: ["from": "\(limit.before)", "to": "\(limit.after)"])
        }
        let held: GatewayLock?
        if lock { held = try await GatewayLock.acquireForStartup(configPath: settings.paths.configPath, environment: settings.environment) } else { held = nil }
        defer { held?.release() }
        for host in settings.hosts where PortGuard.isInUse(host: host, port: settings.port.value) {
            throw StartupRefusal.alreadyListening(host: host, port: settings.port.value)
        }
        let storePath = SessionStore.defaultPath(stateDir: settings.paths.stateDir)
        do {
            let synchronous = settings.config.config.gateway?.sessionStore?.synchronous ?? .full
            let store = try SessionStore(path: storePath, cwd: settings.paths.stateDir, synchronous: synchronous)
            let metrics = hub.metrics
            store.commits.observe { writes, duration in metrics.committed(writes: writes, duration: duration) }
            hub.installAgents(store: store, environment: settings.environment)
            hub.startAutomation(clock: settings.automationClock)
        } catch {
            throw StartupRefusal.failed("cannot open the session store at \(storePath): \(error)")
        }
        _ = try? hub.refreshHealth()
        let server = GatewayServer(hub: hub) { [weak self] host, port in self?.didListen(host: host, port: port) }
        var services: [any Service]
        do {
            services = try server.services()
        } catch {
            throw StartupRefusal.failed("cannot set up TLS with \(settings.tls?.certPath ?? "the certificate"): \(error)")
        }
        if let telemetry = hub.telemetry.service { services.insert(telemetry, at: 0) }
        if handleSignals { services.insert(SignalLog(logger: hub.logger, shutdownBegan: { [weak self] in self?.shutdownBegan() }), at: 0) }
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
            logger: Logger(label: "openclaw.services", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        // Past the grace the services are cancelled (listeners close at once); a service that ignores even that
        // for `cancellationGrace` is a bug, and ServiceGroup ends the process rather than hang forever.
        configuration.maximumGracefulShutdownDuration = Self.shutdownGrace
        configuration.maximumCancellationDuration = Self.cancellationGrace
        let group = ServiceGroup(configuration: configuration)
        self.group.withLock { $0 = group }
        do {
            try await group.run()
        } catch {
            // A listener that never came up could not bind; anything later is a plain failure.
            if hub.boundPorts.withLock({ $0.isEmpty }) {
                throw StartupRefusal.failed(
                    "failed to bind gateway socket on ws://\(URLHost.format(settings.hosts.first ?? "127.0.0.1")):\(settings.port.value): \(error)")
            }
            throw StartupRefusal.failed("\(error)")
        }
        if let began = shutdownStart.withLock({ $0 }), ContinuousClock.now - began > Self.shutdownGrace {
            hub.logger.warning("shutdown timed out; exiting without full cleanup")
        }
    }

    /// How long a graceful shutdown may take before the services are cancelled: the sockets' drain, plus a second for
    /// the listeners and the session store.
    static let shutdownGrace = Duration.milliseconds(ProtocolLimits.shutdownGraceMs) + .seconds(1)
    static let cancellationGrace = Duration.seconds(3)

    private func shutdownBegan() {
        shutdownStart.withLock { $0 = $0 ?? .now }
    }

    /// Begins a graceful shutdown: `shutdown` event, 1012 closes, listeners stop.
    public func stop() async {
        shutdownBegan()
        await group.withLock { $0 }?.triggerGracefulShutdown()
    }

    /// The first bound port, once a listener is up.
    public func waitUntilListening() async -> Int {
        await withCheckedContinuation { continuation in
            let port = listening.withLock { state -> Int? in
                if let port = state.ports.first { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    private func didListen(host: String, port: Int) {
        hub.logger.info(
            "[gateway] listening on \(settings.webSocketScheme)://\(URLHost.format(host)):\(port) (PID \(ProcessInfo.processInfo.processIdentifier))")
        let (ready, waiters) = listening.withLock { state -> (Bool, [CheckedContinuation<Int, Never>]) in
            state.ports.append(port)
            guard state.ports.count == settings.hosts.count else { return (false, []) }
            defer { state.waiters.removeAll() }
            return (true, state.waiters)
        }
        if ready {
            hub.logger.info(
                "[gateway] ready (bind=\(settings.bind.value), port=\(port), auth=\(settings.auth.mode.rawValue), protocol=\(ProtocolVersion.current))")
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }
}

/// Upstream's log lines for SIGTERM/SIGINT. The shutdown itself is ServiceGroup's (its `gracefulShutdownSignals`);
/// this service only says so, and is listed first so it is the last one shut down: a second signal during the
/// shutdown is logged as ignored.
struct SignalLog: Service {
    let logger: Logger
    let shutdownBegan: @Sendable () -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        var shuttingDown = false
        for await signal in signals.cancelOnGracefulShutdown() {
            let name = signal == .sigterm ? "SIGTERM" : "SIGINT"
            if shuttingDown {
                logger.info("received \(name) during shutdown; ignoring")
                continue
            }
            shuttingDown = true
            shutdownBegan()
            logger.info("signal \(name) received")
            logger.info("received \(name); shutting down")
        }
    }
}
