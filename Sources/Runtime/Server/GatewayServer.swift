// Sources/Runtime/Server/GatewayServer.swift - one port: HTTP routes and the WebSocket upgrade, as Services

import Foundation
import Generated
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the services of a gateway: one listener per bind address, plus the gateway's own loops.
struct GatewayServer {
    let hub: GatewayHub
    let onListening: @Sendable (String, Int) async -> Void

    /// Throws when the TLS context cannot be made from `gateway.tls`'s certificate and key.
    func services() throws -> [any Service] {
        let limiter = hub.authLimiter
        let dispatcher = RequestDispatcher(hub: hub, handler: SystemMethods(hub: hub))
        let router = Router(context: GatewayRequestContext.self)
        if hub.tracer.isOn { router.add(middleware: HTTPTracingMiddleware(tracer: hub.tracer)) }
        router.add(middleware: HTTPMetricsMiddleware(metrics: hub.metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: NotFoundMiddleware())
        HTTPRoutes.register(on: router, hub: hub)
        let policy = hub.settings.policy
        let limits = hub.settings.http
        // Timeouts are HTTPConnectionGuard's; Hummingbird's idle timeout (which starts only after a first request
        // head) is a backstop at the whole-request limit for sockets the guard has let go.
        var http1 = HTTP1Channel.Configuration(idleTimeout: .milliseconds(Int64(limits.requestMs)))
        http1.httpDecoder = .init(maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes)
        let wsConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: http1,
            ws: .init(maxFrameSize: policy.maxPayload, autoPing: .disabled, closeTimeout: .seconds(5))
        )
        // Hummingbird's own "Server started" lines repeat ours; keep them for --verbose.
        var serverLogger = hub.logger
        if serverLogger.logLevel >= .info { serverLogger.logLevel = .warning }
        let pending = PendingConnections(limit: limits.maxPendingConnectionsPerAddress)
        // One builder for every listener: HTTP/1 with the WebSocket upgrade behind the connection guard, wrapped in TLS when configured.
        let plain = HTTPServerBuilder { [hub] responder in
            GuardedHTTPChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: wsConfiguration, shouldUpgrade: Self.upgrade(hub: hub, dispatcher: dispatcher, limiter: limiter)),
                limits: limits, pending: pending, logger: hub.logger
            )
        }
        let server = try hub.settings.tls.map { try HTTPServerBuilder.tls(plain, tlsConfiguration: $0.serverConfiguration) } ?? plain
        let listeners: [any Service] = hub.settings.hosts.map { host in
            Application(
                router: router,
                server: server,
                configuration: .init(address: .hostname(host, port: hub.settings.port.value), serverName: nil, reuseAddress: true),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? hub.settings.port.value
                    hub.boundPorts.withLock { $0.append(port) }
                    await onListening(host, port)
                },
                logger: serverLogger
            )
        }
        return listeners + [GatewayLoops(hub: hub)]
    }

    /// The WebSocket upgrade decision: every path no HTTP route claims upgrades into a `SocketSession`.
    private static func upgrade(
        hub: GatewayHub, dispatcher: RequestDispatcher, limiter: AuthRateLimiter
    ) -> @Sendable (HTTPRequest, any Channel, Logger) throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let policy = hub.settings.policy
        return { request, channel, _ in
            // The socket upgrades on `/` and on any path no HTTP route claims.
            let path = request.path.map { String($0.prefix { $0 != "?" }) } ?? "/"
            if HTTPProbes.paths.contains(path) { return .dontUpgrade }
            var peer = PeerAddress.from(channel.remoteAddress, forwarded: ForwardingHeaders.present(in: request.headerFields))
            peer.origin = request.headerFields[.origin]
            peer.host = request.authority
            let connection = Connection(peer: peer, channel: channel, bufferLimit: policy.maxBufferedBytes)
            return .upgrade([:]) { inbound, outbound, _ in
                CloseReasonFiller.install(on: channel)
                await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                    await SocketSession(hub: hub, connection: connection, dispatcher: dispatcher, limiter: limiter)
                        .run(inbound: inbound, outbound: outbound)
                }
            }
        }
    }
}

/// Ticks, health refreshes and the shutdown broadcast. Listed last so a graceful shutdown reaches it
/// first: clients get `shutdown` and a 1012 close before the listeners stop.
struct GatewayLoops: Service {
    let hub: GatewayHub

    func run() async throws {
        let policy = hub.settings.policy
        hub.startChannels()
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(policy.tickIntervalMs))
                    if Task.isCancelled { break }
                    if let tick = try? OutboundEvent.tick(TickEvent(ts: Int(Clock.nowMs))) { hub.broadcast(tick) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(policy.healthRefreshMs))
                    if Task.isCancelled { break }
                    _ = try? hub.refreshHealth()
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await hub.stopAutomation()
        await hub.stopChannels()
        await hub.stopRuns()
        hub.shutdown(reason: "gateway stopping", restartExpectedMs: nil)
        // Deliveries of the aborted runs answer (or give up) while the sockets drain.
        async let tasksDone: Void = hub.tasks.shutdown(grace: .milliseconds(ProtocolLimits.shutdownGraceMs))
        await hub.waitUntilDrained(timeout: .milliseconds(ProtocolLimits.shutdownGraceMs))
        await tasksDone
    }
}
