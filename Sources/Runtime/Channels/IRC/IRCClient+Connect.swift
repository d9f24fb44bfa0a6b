// Sources/Runtime/Channels/IRC/IRCClient+Connect.swift - the TCP (or TLS) connection and its pipeline

import NIOCore
import NIOPosix
import NIOSSL

extension IRCClient {
    typealias Connection = NIOAsyncChannel<String, ByteBuffer>

    /// Opens the socket; with `tls` the handshake runs (and verifies the certificate) before any line.
    func connect() async throws -> Connection {
        let options = options
        let sslContext: NIOSSLContext? = try options.tls ? Self.sslContext(options) : nil
        let serverHostname = Self.isIPAddress(options.host) ? nil : options.host
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(15))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: options.host, port: options.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(IRCLineDecoder()))
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    private static func sslContext(_ options: IRCClientOptions) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !options.tlsTrustRootsPEM.isEmpty {
            let certificates = try options.tlsTrustRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
