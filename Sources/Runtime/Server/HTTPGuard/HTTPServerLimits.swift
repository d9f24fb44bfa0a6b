// Sources/Runtime/Server/HTTPGuard/HTTPServerLimits.swift - the HTTP/1 server's timeouts and size limits

import Generated

/// What a socket may take before it sends a full request, and how large a request head may be
/// (`gateway.http.timeouts.*`, `gateway.http.maxHeaderBytes`, `gateway.http.maxPendingConnectionsPerAddress`).
/// Without these a client that opens sockets and sends nothing (or half a request) holds them for ever.
public struct HTTPServerLimits: Sendable, Equatable {
    public var headersMs = ConfigDefaults.gatewayHttpTimeoutsHeadersMs
    public var requestMs = ConfigDefaults.gatewayHttpTimeoutsRequestMs
    public var keepAliveMs = ConfigDefaults.gatewayHttpTimeoutsKeepAliveMs
    public var maxHeaderBytes = ConfigDefaults.gatewayHttpMaxHeaderBytes
    /// 0: no limit.
    public var maxPendingConnectionsPerAddress = ConfigDefaults.gatewayHttpMaxPendingConnectionsPerAddress
    /// Direct loopback peers are not counted against `maxPendingConnectionsPerAddress` (tests turn this off).
    public var exemptLoopback = true

    public init() {}

    /// The config's values over the defaults.
    init(_ config: GatewayHttpConfig?) {
        if let value = config?.timeouts?.headersMs { headersMs = value }
        if let value = config?.timeouts?.requestMs { requestMs = value }
        if let value = config?.timeouts?.keepAliveMs { keepAliveMs = value }
        if let value = config?.maxHeaderBytes { maxHeaderBytes = value }
        if let value = config?.maxPendingConnectionsPerAddress { maxPendingConnectionsPerAddress = value }
    }
}
