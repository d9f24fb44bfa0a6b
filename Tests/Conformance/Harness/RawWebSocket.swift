// Tests/Conformance/Harness/RawWebSocket.swift - a WebSocket spoken by hand over RawSocket, for frames no client library sends

import Foundation

/// Upgrades a `RawSocket` and sends hand-made masked frames (text that is not UTF-8, for one); reads the
/// server's frames back, including its close code and reason.
struct RawWebSocket {
    let socket: RawSocket

    /// Opens the socket and upgrades it; returns once the `connect.challenge` arrived.
    static func open(_ gateway: TestGateway) async throws -> RawWebSocket {
        let socket = try await RawSocket.connect(port: RawSocket.port(of: gateway.url))
        try await socket.send(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        let raw = RawWebSocket(socket: socket)
        try await socket.received { Self.texts(in: $0).contains { $0.contains("connect.challenge") } }
        return raw
    }

    /// Sends `connect` with the gateway's token and waits for hello-ok.
    func login(_ gateway: TestGateway) async throws {
        let connect =
            #"{"type":"req","id":"c","method":"connect","params":{"minProtocol":3,"maxProtocol":3,"client":{"id":"gateway-client","version":"1","platform":"linux","mode":"backend"},"role":"operator","scopes":["operator.admin"],"auth":{"token":"\#(gateway.token ?? "")"}}}"#
        try await sendText(Array(connect.utf8))
        try await socket.received { Self.texts(in: $0).contains { $0.contains("hello-ok") } }
    }

    func sendText(_ payload: [UInt8]) async throws {
        try await socket.send(StalledSocket.maskedTextFrame(payload))
    }

    /// The close frame the server sent, once the socket is closed.
    func close() async throws -> (code: UInt16?, reason: String) {
        try await socket.closed()
        guard let frame = Self.frames(in: socket.bytes).first(where: { $0.opcode == 0x8 }), frame.payload.count >= 2 else { return (nil, "") }
        return (UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]), String(decoding: frame.payload.dropFirst(2), as: UTF8.self))
    }

    /// Text frames received so far.
    var texts: [String] { Self.texts(in: socket.bytes) }

    static func texts(in bytes: [UInt8]) -> [String] {
        frames(in: bytes).filter { $0.opcode == 0x1 }.map { String(decoding: $0.payload, as: UTF8.self) }
    }

    /// The server's (unmasked) frames after the HTTP 101 head; an incomplete last frame is left out.
    static func frames(in bytes: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
        let marker: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == marker }) else { return [] }
        var index = end + 4
        var frames: [(UInt8, [UInt8])] = []
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0F
            var length = Int(bytes[index + 1] & 0x7F)
            var offset = index + 2
            if length == 126 {
                guard offset + 2 <= bytes.count else { break }
                length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
                offset += 2
            } else if length == 127 {
                guard offset + 8 <= bytes.count else { break }
                length = bytes[offset..<offset + 8].reduce(0) { $0 << 8 | Int($1) }
                offset += 8
            }
            guard offset + length <= bytes.count else { break }
            frames.append((opcode, Array(bytes[offset..<offset + length])))
            index = offset + length
        }
        return frames
    }
}
