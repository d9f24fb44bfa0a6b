// Sources/Runtime/Client/ClientTLS.swift - how the operator client trusts a wss:// gateway: system roots, or a pinned fingerprint

import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// The TLS configuration for a `wss://` gateway. Without a pin, the system's trust roots and the host name decide.
/// With `gateway.remote.tlsFingerprint`, only the certificate with that SHA-256 is accepted, self-signed or not:
/// a first handshake reads the server's leaf and compares it to the pin; the WebSocket then trusts exactly that
/// certificate (and no other root), without a host-name check (a pin is the identity).
enum ClientTLS {
    /// The TLS configuration, and the SNI name to send: a pinned connection to an IP address sends a fixed name
    /// (SNI cannot carry an IP, and the pin, not the name, is checked).
    static func configuration(url: String, pin: String?) async throws(GatewayClientError) -> (tls: TLSConfiguration, sniHostname: String?)? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "wss" || scheme == "https" else {
            return nil
        }
        let host = (components.host ?? "127.0.0.1").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let isAddress = IPAddressBytes.parse(host) != nil
        guard let pin = pin.map(TLSFingerprint.normalize), !pin.isEmpty else {
            if isAddress {
                throw .unreachable(
                    url: url,
                    reason:
                        "wss:// to an IP address needs the gateway's certificate fingerprint (gateway.remote.tlsFingerprint), or a URL with the host name its certificate names"
                )
            }
            return (TLSConfiguration.makeClientConfiguration(), nil)
        }
        let port = components.port ?? 443
        let leaf: NIOSSLCertificate
        do {
            leaf = try await presentedCertificate(host: host, port: port)
        } catch {
            throw .unreachable(url: url, reason: "TLS handshake failed: \(error)")
        }
        let actual = TLSFingerprint.hex(of: leaf)
        guard actual == pin else {
            throw .unreachable(
                url: url,
                reason:
                    "TLS certificate fingerprint mismatch: expected \(pin), the gateway presented \(actual) (check gateway.remote.tlsFingerprint against the gateway's start-up log)"
            )
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([leaf])
        configuration.certificateVerification = .noHostnameVerification
        return (configuration, isAddress ? "openclaw-gateway" : nil)
    }

    /// The leaf certificate the server at `host:port` presents (the handshake is accepted only to read it).
    static func presentedCertificate(host: String, port: Int) async throws -> NIOSSLCertificate {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        let captured = CapturedCertificate()
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
                        captured.value.withLock { $0 = certificates.first }
                        promise.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter())
                }
            }
            .connect(host: host, port: port).get()
        let waiter = try await channel.pipeline.handler(type: HandshakeWaiter.self).get()
        defer { channel.close(promise: nil) }
        try await waiter.done.futureResult.get()
        guard let leaf = captured.value.withLock({ $0 }) else { throw TLSProbeError.noCertificate }
        return leaf
    }

    private final class CapturedCertificate: Sendable {
        let value = Mutex<NIOSSLCertificate?>(nil)
    }

    enum TLSProbeError: Error, CustomStringConvertible {
        case noCertificate, closedBeforeHandshake
        var description: String {
            switch self {
            case .noCertificate: "the server presented no certificate"
            case .closedBeforeHandshake: "the connection closed before the TLS handshake finished"
            }
        }
    }

    /// Completes `done` once: when the TLS handshake finishes, or with the error (or close) that ended it first.
    private final class HandshakeWaiter: ChannelInboundHandler, @unchecked Sendable {
        // @unchecked: `done` is made in handlerAdded, and it and `finished` are touched only on the channel's event loop.
        typealias InboundIn = Any
        private(set) var done: EventLoopPromise<Void>!
        private var finished = false

        func handlerAdded(context: ChannelHandlerContext) {
            done = context.eventLoop.makePromise()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent { finish(nil) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(TLSProbeError.closedBeforeHandshake)
        }

        private func finish(_ error: (any Error)?) {
            guard !finished else { return }
            finished = true
            if let error { done.fail(error) } else { done.succeed(()) }
        }
    }
}
