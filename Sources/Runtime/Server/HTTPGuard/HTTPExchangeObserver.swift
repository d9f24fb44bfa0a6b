// Sources/Runtime/Server/HTTPGuard/HTTPExchangeObserver.swift - tells the connection guard where each request and response stands

import NIOCore
import NIOHTTP1

/// A step of an HTTP/1 exchange, sent from `HTTPExchangeObserver` to `HTTPConnectionGuard` as an
/// outbound user event (the guard sits in front of the HTTP decoder and sees only bytes).
enum HTTPExchangeEvent: Sendable {
    case headReceived
    case requestReceived
    case responseStarted
    case responseEnded
    /// A WebSocket upgrade request: the socket leaves HTTP (upgraded, or refused and closed).
    case upgrading
    /// The decoder refused the bytes; `headerTooLarge` gets a 431, anything else a 400.
    case malformed(headerTooLarge: Bool)
}

/// Sits right after the HTTP request decoder and reports each request head, request end, response
/// head and response end to the guard in front of the decoder.
///
/// It removes itself on a WebSocket upgrade request: once the decoder is removed for the upgrade, bytes
/// (not HTTP parts) flow past this point, and every request carrying `Upgrade: websocket` ends the
/// socket's HTTP life either way (upgraded, or answered and closed by Hummingbird).
final class HTTPExchangeObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let upgrade = head.headers["upgrade"].contains { $0.lowercased().contains("websocket") }
            context.triggerUserOutboundEvent(upgrade ? HTTPExchangeEvent.upgrading : .headReceived, promise: nil)
            context.fireChannelRead(data)
            if upgrade { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
        case .body:
            context.fireChannelRead(data)
        case .end:
            context.triggerUserOutboundEvent(HTTPExchangeEvent.requestReceived, promise: nil)
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            context.triggerUserOutboundEvent(HTTPExchangeEvent.responseStarted, promise: nil)
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            context.triggerUserOutboundEvent(HTTPExchangeEvent.responseEnded, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError {
            context.triggerUserOutboundEvent(HTTPExchangeEvent.malformed(headerTooLarge: error == .headerOverflow), promise: nil)
        }
        context.fireErrorCaught(error)
    }
}
