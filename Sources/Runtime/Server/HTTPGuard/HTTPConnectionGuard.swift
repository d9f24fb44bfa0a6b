// Sources/Runtime/Server/HTTPGuard/HTTPConnectionGuard.swift - header, request and keep-alive timeouts; 408/431/503 answers

import Logging
import NIOCore

/// The first handler of every HTTP socket: closes sockets that take too long to send a request or
/// stay idle between requests, and answers as Node does when a started request is cut off
/// (`408 Request Timeout`) or its head is too large (`431`). Hummingbird's own idle timeout starts
/// only after the first request head, so a socket that sends nothing (or half a head) would live for ever.
///
/// It sees only bytes; `HTTPExchangeObserver`, after the decoder, reports request and response
/// boundaries as outbound user events. Everything runs on the socket's event loop.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Phase {
        case starting
        /// Waiting for a head; the deadline is `requestStart + headersMs`.
        case awaitingHead(bytesSeen: Bool)
        /// Head read, body not finished; the deadline is `requestStart + requestMs`.
        case readingBody
        /// The request is in; the response may take as long as it needs (streams).
        case responding
        /// Between requests; the deadline is the last response's end + `keepAliveMs`.
        case idle
        /// Answered and closing, closed, or handed to the WebSocket upgrade.
        case done
    }

    private let limits: HTTPServerLimits
    private let pending: PendingConnections
    private let logger: Logger
    private var phase = Phase.starting
    private var requestStart = NIODeadline.now()
    /// Requests whose head arrived and whose response has not ended (HTTP/1 pipelining).
    private var inFlight = 0
    private var responseStarted = false
    /// The address holding a slot in `pending`, until the first head arrives.
    private var pendingAddress: String?
    private var timer: Scheduled<Void>?

    init(limits: HTTPServerLimits, pending: PendingConnections, logger: Logger) {
        self.limits = limits
        self.pending = pending
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .idle:
            requestStart = .now()
            phase = .awaitingHead(bytesSeen: true)
            schedule(context, at: requestStart + .milliseconds(Int64(limits.headersMs)))
        case .awaitingHead(bytesSeen: false):
            phase = .awaitingHead(bytesSeen: true)
        default:
            break
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? HTTPExchangeEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
        handle(event, context: context)
    }

    private func handle(_ event: HTTPExchangeEvent, context: ChannelHandlerContext) {
        if case .done = phase { return }
        switch event {
        case .headReceived:
            releasePendingSlot()
            if case .responding = phase { requestStart = .now() }  // pipelined: its bytes came during a response
            if inFlight == 0 { responseStarted = false }
            inFlight += 1
            phase = .readingBody
            schedule(context, at: requestStart + .milliseconds(Int64(limits.requestMs)))
        case .requestReceived:
            phase = .responding
            cancelTimer()
        case .responseStarted:
            responseStarted = true
        case .responseEnded:
            inFlight = max(0, inFlight - 1)
            responseStarted = false
            if inFlight == 0, case .responding = phase {
                phase = .idle
                schedule(context, at: .now() + .milliseconds(Int64(limits.keepAliveMs)))
            }
        case .upgrading:
            // The WebSocket session has its own handshake timeout from here on.
            finish()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .malformed(let headerTooLarge):
            if responseStarted || inFlight > 0 { return close(context) }
            if headerTooLarge {
                respond(
                    context, status: "431 Request Header Fields Too Large",
                    body: "request headers larger than \(limits.maxHeaderBytes) bytes (gateway.http.maxHeaderBytes)")
            } else {
                respond(context, status: "400 Bad Request", body: "malformed HTTP request")
            }
        }
    }

    private func start(_ context: ChannelHandlerContext) {
        guard case .starting = phase else { return }
        let peer = PeerAddress.from(context.channel.remoteAddress, forwarded: false)
        if !(limits.exemptLoopback && peer.isDirectLoopback) {
            guard pending.acquire(peer.ip) else {
                logger.debug("http: too many pending sockets", metadata: ["remote": "\(peer.ip)"])
                return respond(
                    context, status: "503 Service Unavailable",
                    body: "too many sockets from \(peer.ip) waiting to send a request (gateway.http.maxPendingConnectionsPerAddress is \(pending.limit))"
                )
            }
            pendingAddress = peer.ip
        }
        requestStart = .now()
        phase = .awaitingHead(bytesSeen: false)
        schedule(context, at: requestStart + .milliseconds(Int64(limits.headersMs)))
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        timer = nil
        switch phase {
        case .awaitingHead(let bytesSeen):
            logger.debug("http: request head timeout", metadata: ["bytesSeen": "\(bytesSeen)"])
            // A socket that sent nothing has no request to answer; one cut off mid-head gets Node's 408.
            if bytesSeen { respond(context, status: "408 Request Timeout", body: "") } else { close(context) }
        case .readingBody:
            logger.debug("http: request body timeout")
            if responseStarted || inFlight == 0 { close(context) } else { respond(context, status: "408 Request Timeout", body: "") }
        case .idle:
            close(context)
        case .starting, .responding, .done:
            break
        }
    }

    /// Writes a complete `Connection: close` response as raw bytes (whatever state the HTTP codec is in), then closes.
    private func respond(_ context: ChannelHandlerContext, status: String, body: String) {
        guard phaseAllowsClose() else { return }
        var text = "HTTP/1.1 \(status)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        if !body.isEmpty { text += "Content-Type: text/plain; charset=utf-8\r\n" }
        text += "\r\n" + body
        let buffer = context.channel.allocator.buffer(string: text)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(buffer))).assumeIsolated().whenComplete { _ in
            Self.shut(context)
        }
    }

    private func close(_ context: ChannelHandlerContext) {
        guard phaseAllowsClose() else { return }
        Self.shut(context)
    }

    /// Closes as if the peer had ended its input first: the upgrade handler then ends quietly (`inputClosed`)
    /// instead of failing with an error that Hummingbird logs for every timed-out socket.
    private static func shut(_ context: ChannelHandlerContext) {
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }

    /// Marks the socket done; false when it already was (so it is answered and closed once).
    private func phaseAllowsClose() -> Bool {
        if case .done = phase { return false }
        finish()
        return true
    }

    private func finish() {
        phase = .done
        cancelTimer()
        releasePendingSlot()
    }

    private func releasePendingSlot() {
        guard let address = pendingAddress else { return }
        pendingAddress = nil
        pending.release(address)
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        cancelTimer()
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timedOut(context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
