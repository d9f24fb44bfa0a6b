// Tests/Conformance/GatewayBehaviourTests.swift - behaviour that spans sockets: presence, shutdown, rate limits, slow consumers

import Foundation
import Generated
import Testing

@Suite("Gateway behaviour across sockets")
struct GatewayBehaviourTests {
    /// Opens a socket and completes the standard connect; returns it with the hello-ok payload.
    static func connected(
        _ gateway: TestGateway, client: JSONValue = ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"],
        scopes: JSONValue = ["operator.admin"],
        protocolVersion: Int = 3
    ) async throws -> (WireClient, JSONValue) {
        let socket = try await WireClient.connect(gateway.url)
        _ = try await socket.next()
        var auth: JSONValue = [:]
        if let token = gateway.token { auth = ["token": .string(token)] }
        let request: JSONValue = [
            "type": "req", "id": "connect", "method": "connect",
            "params": [
                "minProtocol": .int(protocolVersion), "maxProtocol": .int(protocolVersion), "client": client, "role": "operator", "scopes": scopes,
                "auth": auth,
            ],
        ]
        try await socket.send(request.text)
        let hello = try await next(socket) { $0["type"] == "res" }
        return (socket, hello)
    }

    /// The next frame matching `filter`, skipping others.
    static func next(_ socket: WireClient, timeout: Duration = .seconds(20), where filter: (JSONValue) -> Bool) async throws -> JSONValue {
        while true {
            switch try await socket.next(timeout: timeout) {
            case .text(let text):
                let frame = try JSONValue.parse(text)
                if filter(frame) { return frame }
            case .closed(let code, let reason):
                struct Closed: Error {
                    var code: UInt16?
                    var reason: String?
                }
                throw Closed(code: code, reason: reason)
            }
        }
    }

    @Test func presenceFollowsConnectsAndDisconnectsWithPerConnectionSeq() async throws {
        try await TestGateway.with { gateway in
            let (first, _) = try await Self.connected(
                gateway, client: ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend", "instanceId": "first"])
            let own = try await Self.next(first) { $0["event"] == "presence" }
            #expect(own["seq"] == 1)

            let (second, _) = try await Self.connected(
                gateway, client: ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend", "instanceId": "second"])
            let joined = try await Self.next(first) { $0["event"] == "presence" }
            #expect(joined["seq"] == 2)
            #expect(joined["payload"]?["presence"]?.arrayValue?.compactMap { $0["instanceId"]?.stringValue }.sorted() == ["first", "second"])
            let secondOwn = try await Self.next(second) { $0["event"] == "presence" }
            #expect(secondOwn["seq"] == 1, "seq is counted per connection")
            let versionBefore = joined["stateVersion"]?["presence"]?.intValue ?? 0

            await second.close()
            let left = try await Self.next(first) { $0["event"] == "presence" }
            #expect(left["seq"] == 3)
            #expect(left["payload"]?["presence"]?.arrayValue?.compactMap { $0["instanceId"]?.stringValue } == ["first"])
            #expect((left["stateVersion"]?["presence"]?.intValue ?? 0) > versionBefore)
            await first.close()
        }
    }

    /// Upstream keeps one entry for the gateway host so UIs always show at least the gateway: first in the
    /// hello-ok snapshot, in `system-presence` and in every `presence` event, never pruned.
    @Test func theGatewayListsItselfFirstInEveryPresenceList() async throws {
        try await TestGateway.with { gateway in
            let (socket, hello) = try await Self.connected(
                gateway, client: ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend", "instanceId": "me"])
            let version = try #require(hello["payload"]?["server"]?["version"]?.stringValue)
            let snapshotSelf = try #require(hello["payload"]?["snapshot"]?["presence"]?.arrayValue?.first)
            Self.expectSelfEntry(snapshotSelf, version: version)

            let event = try await Self.next(socket) { $0["event"] == "presence" }
            let listed = event["payload"]?["presence"]?.arrayValue ?? []
            #expect(listed.count == 2)
            Self.expectSelfEntry(listed.first ?? .null, version: version)
            #expect(listed.last?["instanceId"] == "me")

            let before = Int(Date().timeIntervalSince1970 * 1000)
            try await socket.send(#"{"type":"req","id":"p","method":"system-presence"}"#)
            let list = try await Self.next(socket) { $0["id"] == "p" }
            let own = list["payload"]?.arrayValue?.first ?? .null
            Self.expectSelfEntry(own, version: version)
            #expect((own["ts"]?.intValue ?? 0) >= before, "the gateway's entry is as fresh as the listing")
            await socket.close()
        }
    }

    static func expectSelfEntry(_ entry: JSONValue, version: String) {
        let host = entry["host"]?.stringValue ?? ""
        let ip = entry["ip"]?.stringValue ?? ""
        #expect(!host.isEmpty && !ip.isEmpty, "\(entry.text)")
        #expect(entry["mode"] == "gateway")
        #expect(entry["reason"] == "self")
        #expect(entry["version"]?.stringValue == version)
        #expect(entry["platform"]?.stringValue?.hasPrefix("linux ") == true, "\(entry.text)")
        #expect(entry["deviceFamily"] == "Linux")
        #expect(entry["modelIdentifier"]?.stringValue?.isEmpty == false)
        #expect(entry["text"]?.stringValue == "Gateway: \(host) (\(ip)) · app \(version) · mode gateway · reason self")
        #expect(entry["ts"]?.intValue != nil)
    }

    @Test func cliClientsAreNotTrackedInPresence() async throws {
        try await TestGateway.with { gateway in
            let (admin, hello) = try await Self.connected(gateway)
            #expect(hello["payload"]?["snapshot"]?["presence"]?.arrayValue?.map { $0["reason"] } == ["self"], "only the gateway itself")
            let (cli, _) = try await Self.connected(gateway, client: ["id": "cli", "version": "1", "platform": "linux", "mode": "cli"])
            try await admin.send(#"{"type":"req","id":"p","method":"system-presence"}"#)
            let list = try await Self.next(admin) { $0["id"] == "p" }
            #expect(list["payload"]?.arrayValue?.count == 2, "the gateway and the backend client; the CLI is not tracked")
            await cli.close()
            await admin.close()
        }
    }

    @Test func shutdownBroadcastsThenClosesWith1012() async throws {
        let gateway = try await TestGateway.start()
        let (socket, _) = try await Self.connected(gateway)
        let stopping = Task { await gateway.stop() }
        let event = try await Self.next(socket) { $0["event"] == "shutdown" }
        #expect(event["payload"] == ["reason": "gateway stopping", "restartExpectedMs": .null])
        #expect(event["seq"]?.intValue != nil)
        let close = try await socket.waitForClose()
        #expect(close.code == 1012)
        #expect(close.reason == "service restart")
        await stopping.value
    }

    @Test func failedAttemptsLockTheAddressOut() async throws {
        try await TestGateway.with(GatewaySetup(rateLimitMaxAttempts: 2)) { gateway in
            for _ in 0..<2 {
                let socket = try await WireClient.connect(gateway.url)
                _ = try await socket.next()
                try await socket.send(
                    #"{"type":"req","id":"c","method":"connect","params":{"minProtocol":3,"maxProtocol":3,"client":{"id":"test","version":"1","platform":"linux","mode":"test"},"auth":{"token":"wrong"}}}"#
                )
                let refused = try await Self.next(socket) { $0["type"] == "res" }
                #expect(refused["error"]?["details"]?["code"] == "AUTH_TOKEN_MISMATCH")
                await socket.close()
            }
            let socket = try await WireClient.connect(gateway.url)
            _ = try await socket.next()
            try await socket.send(
                #"{"type":"req","id":"c","method":"connect","params":{"minProtocol":3,"maxProtocol":3,"client":{"id":"test","version":"1","platform":"linux","mode":"test"},"auth":{"token":"\#(GatewaySetup.token)"}}}"#
            )
            let limited = try await Self.next(socket) { $0["type"] == "res" }
            #expect(limited["error"]?["message"] == "unauthorized: too many failed authentication attempts (retry later)")
            #expect(limited["error"]?["details"]?["code"] == "AUTH_RATE_LIMITED")
            #expect(limited["error"]?["details"]?["recommendedNextStep"] == "wait_then_retry")
            #expect(limited["error"]?["retryable"] == true)
            #expect((limited["error"]?["retryAfterMs"]?.intValue ?? 0) > 0)
            #expect(try await socket.waitForClose().code == 1008)
        }
    }

    @Test func aSlowConsumerIsClosed() async throws {
        try await TestGateway.with(GatewaySetup(maxBufferedBytes: 64 * 1024)) { gateway in
            let slow = try StalledSocket(url: gateway.url, token: GatewaySetup.token)
            defer { slow.close() }
            let (admin, _) = try await Self.connected(gateway)
            // Every probe broadcasts a (non-droppable) health event; the stalled socket never reads them.
            var connections = 2
            var round = 0
            while connections == 2 && round < 5000 {
                round += 1
                for index in 0..<20 { try await admin.send(#"{"type":"req","id":"h\#(index)","method":"health","params":{"probe":true}}"#) }
                try await admin.send(#"{"type":"req","id":"status","method":"status"}"#)
                let status = try await Self.next(admin) { $0["id"] == "status" }
                connections = status["payload"]?["connections"]?.intValue ?? 0
            }
            #expect(connections == 1, "the stalled socket was closed after \(round) rounds")
            await admin.close()
        }
    }
}

/// A socket that completes the handshake and then never reads, with a tiny receive buffer.
final class StalledSocket: @unchecked Sendable {
    // Only touched by the test that owns it, on one task.
    private let fd: Int32

    init(url: String, token: String) throws {
        struct Failure: Error { var message: String }
        guard let components = URLComponents(string: url), let port = components.port else { throw Failure(message: "bad url") }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(message: "connect failed") }
        let upgrade =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(upgrade.utf8))
        let connect =
            #"{"type":"req","id":"c","method":"connect","params":{"minProtocol":3,"maxProtocol":3,"client":{"id":"gateway-client","version":"1","platform":"linux","mode":"backend"},"role":"operator","scopes":["operator.admin"],"auth":{"token":"\#(token)"}}}"#
        try write(Self.maskedTextFrame(Array(connect.utf8)))
        // Read the 101 response, the challenge and hello-ok, then stop reading for good.
        var buffer = [UInt8](repeating: 0, count: 65536)
        var seen = ""
        while !seen.contains("hello-ok") {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { throw Failure(message: "closed during handshake: \(seen)") }
            seen += String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw POSIXError(.EIO) }
            offset += written
        }
    }

    static func maskedTextFrame(_ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let mask: [UInt8] = [1, 2, 3, 4]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    func close() { Glibc.close(fd) }
}
