// Sources/Runtime/Server/HTTPGuard/GuardedHTTPChannel.swift - Hummingbird's HTTP/1 + WebSocket channel with the connection guard in front

import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Wraps a child channel (HTTP/1 with the WebSocket upgrade) and puts `HTTPConnectionGuard` in front of
/// its HTTP codec and `HTTPExchangeObserver` right after the request decoder. Placed relative to the
/// codec, not at the pipeline's head, so that under TLS the guard sees (and writes) plaintext.
struct GuardedHTTPChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    let limits: HTTPServerLimits
    let pending: PendingConnections
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { [limits, pending, guardLogger = self.logger] value in
            let pipeline = channel.pipeline.syncOperations
            let encoder = try pipeline.handler(type: HTTPResponseEncoder.self)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTPConnectionGuard(limits: limits, pending: pending, logger: guardLogger), position: .before(encoder))
            try pipeline.addHandler(HTTPExchangeObserver(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
