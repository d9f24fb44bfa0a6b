// Sources/Runtime/Connection/SocketSession.swift - one upgraded socket: challenge, read loop, writer, timeouts

import Foundation
import Generated
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// Drives one WebSocket from upgrade to close.
struct SocketSession {
    let hub: GatewayHub
    let connection: Connection
    let dispatcher: RequestDispatcher
    let limiter: AuthRateLimiter

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        hub.register(connection)
        defer {
            connection.outbox.finish()
            hub.unregister(connection)
        }
        if let challenge = try? OutboundEvent.connectChallenge(ConnectChallenge(nonce: connection.challengeNonce, ts: Int(Clock.nowMs))) {
            connection.sendTargeted(challenge)
        }
        if hub.isShuttingDown { connection.close(CloseCodes.serviceRestart) }
        let policy = hub.settings.policy
        // A timer on the socket's event loop (cheaper than a task): no connect in time closes plainly.
        let handshakeTimer = connection.eventLoop.scheduleTask(in: .milliseconds(Int64(policy.handshakeTimeoutMs))) { [hub, connection] in
            guard connection.connected == nil && !connection.outbox.isClosing else { return }
            hub.logger.debug("handshake timeout", metadata: ["connId": "\(connection.id)"])
            connection.close(CloseCodes.normal)
            connection.hardCloseLater()
        }
        defer { handshakeTimer.cancel() }
        await withDiscardingTaskGroup { group in
            group.addTask { await writeLoop(outbound) }
            await readLoop(inbound, policy: policy, group: &group)
            connection.outbox.finish()
            group.cancelAll()
        }
    }

    private func readLoop(_ inbound: WebSocketInboundStream, policy: ProtocolPolicy, group: inout DiscardingTaskGroup) async {
        var frames = inbound.makeAsyncIterator()
        var message: [UInt8] = []
        let slots = RequestSlots(limit: policy.maxInFlightRequests)
        do {
            while let frame = try await frames.next() {
                if connection.outbox.isClosing { continue }
                let client = connection.connected
                let limit = client == nil ? policy.maxPreauthPayload : policy.maxPayload
                if frame.opcode != .continuation { message.removeAll(keepingCapacity: true) }
                guard message.count + frame.data.readableBytes <= limit else {
                    connection.close(client == nil ? CloseCodes.preauthTooLarge : CloseCodes.payloadTooLarge)
                    connection.hardCloseLater()
                    message = []
                    continue
                }
                message += frame.data.readableBytesView
                guard frame.fin else { continue }
                let complete = message
                message.removeAll(keepingCapacity: true)
                if let client {
                    guard slots.acquire() else {
                        refuseBusy(complete, limit: slots.limit)
                        continue
                    }
                    group.addTask { [dispatcher, connection] in
                        await dispatcher.handle(complete, on: connection, client: client)
                        slots.release()
                    }
                } else if !(await Handshake(hub: hub, connection: connection, limiter: limiter).handle(complete)) {
                    connection.hardCloseLater()
                }
            }
        } catch {
            hub.logger.debug("socket read ended", metadata: ["connId": "\(connection.id)", "error": "\(error)"])
        }
    }

    /// A request past the socket's in-flight limit: answered at once, retryable, without running it.
    private func refuseBusy(_ message: [UInt8], limit: Int) {
        let id = FrameIDScanner.id(in: message) ?? "invalid"
        let error = GatewayError(
            .unavailable, "too many requests in flight on this connection (limit \(limit)); retry when one is answered",
            retryable: true, retryAfterMs: 100
        )
        connection.respond(id: id, ok: false, payload: error.payload, error: error.shape)
    }

    private func writeLoop(_ outbound: WebSocketOutboundWriter) async {
        while true {
            let items = await connection.outbox.next()
            if items.isEmpty { return }
            for item in items {
                do {
                    switch item {
                    case .frame(let bytes):
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes))))
                    case .close(let code, let reason):
                        try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                        return
                    }
                } catch {
                    return
                }
            }
        }
    }
}
