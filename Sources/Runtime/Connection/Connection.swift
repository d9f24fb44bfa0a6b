// Sources/Runtime/Connection/Connection.swift - one WebSocket client: identity, grant and send queue

import Foundation
import Generated
import NIOCore
import Synchronization

/// Where a socket came from.
struct PeerAddress: Sendable, Equatable {
    var ip: String
    /// A loopback peer that sent no forwarding headers ("local direct").
    var isDirectLoopback: Bool
    /// The upgrade request's `Origin` and `Host` headers (browser sockets; see BrowserOriginCheck).
    var origin: String? = nil
    var host: String? = nil

    static func from(_ address: SocketAddress?, forwarded: Bool) -> PeerAddress {
        let ip = address?.ipAddress ?? "unknown"
        let loopback = ip == "::1" || ip.hasPrefix("127.") || ip.hasPrefix("::ffff:127.")
        return PeerAddress(ip: ip, isDirectLoopback: loopback && !forwarded)
    }
}

/// What a connection became after a successful `connect`.
struct ConnectedClient: Sendable {
    var params: ConnectParams
    /// The negotiated protocol version: every frame this connection gets is encoded for it.
    var protocolVersion: Int
    var grant: Grant
    var deviceId: String?
    /// Presence key (device id, instance id or connection id), lowercased; nil when not tracked.
    var presenceKey: String?
    /// How `connect` authenticated; a device-token caller without admin manages only its own device.
    var authMethod: ConnectAuthMethod = .sharedSecret
}

/// One socket. Reading happens in the socket's task; anything may enqueue frames through `outbox`.
final class Connection: Sendable {
    let id: String
    let peer: PeerAddress
    let outbox: Outbox
    let challengeNonce: String
    private let client = Mutex<ConnectedClient?>(nil)
    private let channel: any Channel

    init(peer: PeerAddress, channel: any Channel, bufferLimit: Int) {
        self.id = UUID().uuidString.lowercased()
        self.peer = peer
        self.channel = channel
        self.outbox = Outbox(limit: bufferLimit)
        self.challengeNonce = UUID().uuidString.lowercased()
    }

    var connected: ConnectedClient? { client.withLock { $0 } }

    /// The event loop that owns the socket.
    var eventLoop: any EventLoop { channel.eventLoop }

    func markConnected(_ value: ConnectedClient) {
        client.withLock { $0 = value }
    }

    /// Sends a response frame.
    func respond(id: String, ok: Bool, payload: EncodedJSON?, error: ErrorShape? = nil) {
        let errorJSON = error.flatMap { try? Payload($0).erased }
        send(FrameWriter.response(id: id, ok: ok, payload: payload, error: errorJSON, version: connected?.protocolVersion))
    }

    /// Sends a frame; a connection whose buffer is full is closed as a slow consumer.
    func send(_ frame: [UInt8]) {
        if outbox.enqueue(frame) == .overflow { closeSlowConsumer() }
    }

    /// Sends a targeted event (no `seq`).
    func sendTargeted(_ event: OutboundEvent) {
        let head = FrameWriter.eventHead(name: event.event.rawValue, payload: event.payload, stateVersion: nil, version: connected?.protocolVersion)
        send(FrameWriter.event(head: head, seq: nil))
    }

    /// Closes after what is queued. The reason is cut to what a close frame can carry.
    func close(_ info: CloseCodeInfo, reason: String? = nil) {
        outbox.close(code: info.code, reason: (reason ?? info.reason).map(CloseReason.truncate))
    }

    func closeSlowConsumer() {
        outbox.close(code: CloseCodes.policyViolation.code, reason: "slow consumer", discardPending: true)
        hardCloseLater()
    }

    /// Closes the TCP connection after a grace period, for peers that neither read nor answer a close.
    func hardCloseLater(after delay: TimeAmount = .seconds(2)) {
        channel.eventLoop.scheduleTask(in: delay) { [channel] in channel.close(promise: nil) }
    }
}

/// Close reasons are limited in size; upstream cuts them to 120 UTF-8 bytes.
enum CloseReason {
    static func truncate(_ reason: String) -> String {
        let limit = ProtocolLimits.closeReasonMaxBytes
        guard reason.utf8.count > limit else { return reason }
        var out = ""
        for character in reason {
            if out.utf8.count + String(character).utf8.count > limit { break }
            out.append(character)
        }
        return out
    }
}
