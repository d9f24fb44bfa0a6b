// Tests/Conformance/HTTP/HTTPTimeoutTests.swift - slow and silent sockets are closed on time while /health keeps answering

import Foundation
import Generated
import Runtime
import Testing

/// Raw sockets against a gateway with 2–3 s timeouts (short, but long enough for a loaded machine to send a head) (`gateway.http.timeouts.*`): each test awaits the
/// server's close (a 30 s failsafe only guards against a hang) and checks what, if anything, was answered.
@Suite("HTTP timeouts and limits")
struct HTTPTimeoutTests {
    static let limits: JSONValue = [
        "gateway": [
            "http": [
                "timeouts": ["headersMs": 2000, "requestMs": 3000, "keepAliveMs": 2000],
                "maxHeaderBytes": 4096,
            ]
        ]
    ]

    /// A gateway with small timeouts, stopped afterwards whatever the body does.
    static func with(_ setup: GatewaySetup = .standard, extra: JSONValue = [:], _ body: (TestGateway, Int) async throws -> Void) async throws {
        let config = try WireJSON.decode(OpenClawConfig.self, from: Data(limits.merging(extra).text.utf8))
        let gateway = try await TestGateway.start(setup, config: config)
        do {
            try await body(gateway, RawSocket.port(of: gateway.url))
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    /// `GET /health` on a fresh socket; the status line.
    static func health(port: Int) async throws -> String {
        let socket = try await exchange(port: port) { try await $0.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") }
        return socket.text.components(separatedBy: "\r\n").first ?? ""
    }

    /// Runs one exchange on a fresh socket and awaits the server's close, again (up to 5 times) while `done` says the
    /// run did not get that far: on a loaded machine more than `headersMs` can pass between a test's connect and its
    /// first write (or between two requests), and the server then rightly closes the socket as silent or idle.
    static func exchange(
        port: Int, done: @escaping (RawSocket) -> Bool = { !$0.bytes.isEmpty }, _ body: (RawSocket) async throws -> Void
    ) async throws -> RawSocket {
        var socket = try await RawSocket.connect(port: port)
        for attempt in 1...5 {
            if attempt > 1 { socket = try await RawSocket.connect(port: port) }
            do { try await body(socket) } catch {}
            try await socket.closed()
            if done(socket) { break }
        }
        return socket
    }

    @Test func silentSocketsAreClosedWithoutAnAnswerWhileHealthAnswers() async throws {
        guard TestGateway.externalURL == nil else { return }
        try await Self.with { gateway, port in
            let (socket, _) = try await GatewayBehaviourTests.connected(gateway)
            var silent: [RawSocket] = []
            for _ in 0..<20 { silent.append(try await RawSocket.connect(port: port)) }
            let health = try await Self.health(port: port)
            #expect(health == "HTTP/1.1 200 OK")
            for raw in silent {
                try await raw.closed()
                #expect(raw.bytes.isEmpty, "a socket that sent nothing gets no answer")
            }
            // The upgraded socket has outlived every HTTP timeout and still answers.
            try await socket.send(#"{"type":"req","id":"h","method":"health"}"#)
            let answer = try await GatewayBehaviourTests.next(socket) { $0["id"] == "h" }
            #expect(answer["ok"] == true)
            await socket.close()
        }
    }

    @Test func aHeadCutOffMidwayGets408() async throws {
        guard TestGateway.externalURL == nil else { return }
        try await Self.with { _, port in
            let socket = try await Self.exchange(port: port) { try await $0.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaa") }
            #expect(socket.text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(socket.text.contains("Connection: close"))
            let health = try await Self.health(port: port)
            #expect(health == "HTTP/1.1 200 OK")
        }
    }

    @Test func aBodyShorterThanItsContentLengthGets408() async throws {
        guard TestGateway.externalURL == nil else { return }
        try await Self.with { gateway, port in
            let socket = try await Self.exchange(port: port) {
                try await $0.send(
                    "POST /tools/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(gateway.token ?? "")\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{}"
                )
            }
            #expect(socket.text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        }
    }

    @Test func aKeptAliveSocketIsClosedWhenIdle() async throws {
        guard TestGateway.externalURL == nil else { return }
        try await Self.with { _, port in
            let answers: @Sendable (String) -> Int = { $0.components(separatedBy: "HTTP/1.1 200 OK").count - 1 }
            let socket = try await Self.exchange(port: port, done: { answers($0.text) == 2 }) { socket in
                for count in 1...2 {
                    try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    try await socket.received { answers(String(decoding: $0, as: UTF8.self)) >= count }
                }
            }
            #expect(socket.text.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "two answers, then an idle close: \(socket.text)")
            #expect(!socket.text.contains("408"), "an idle socket between requests is closed without an answer")
        }
    }

    @Test func oversizedHeadsGet431() async throws {
        guard TestGateway.externalURL == nil else { return }
        try await Self.with { _, port in
            let header = try await Self.exchange(port: port) {
                try await $0.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n")
            }
            #expect(header.text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(header.text.prefix(80))")

            let url = try await Self.exchange(port: port) {
                try await $0.send("GET /health?\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            }
            #expect(url.text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(url.text.prefix(80))")
            let health = try await Self.health(port: port)
            #expect(health == "HTTP/1.1 200 OK")
        }
    }

    @Test func pendingSocketsPerAddressAreBounded() async throws {
        guard TestGateway.externalURL == nil else { return }
        let extra: JSONValue = ["gateway": ["http": ["maxPendingConnectionsPerAddress": 2, "timeouts": ["headersMs": 60000]]]]
        try await Self.with(GatewaySetup(countLoopbackPendingConnections: true), extra: extra) { _, port in
            var sockets: [RawSocket] = []
            for _ in 0..<3 { sockets.append(try await RawSocket.connect(port: port)) }
            // Sockets are set up on several event loops, so which of the three comes last is not known: await the one refused.
            let refused = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, socket) in sockets.enumerated() {
                    group.addTask {
                        try await socket.closed()
                        return index
                    }
                }
                defer { group.cancelAll() }
                return try #require(await group.next())
            }
            #expect(sockets[refused].text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(sockets[refused].text.contains("gateway.http.maxPendingConnectionsPerAddress"))
            let (first, second) = refused == 0 ? (sockets[1], sockets[2]) : (sockets[0], sockets[refused == 1 ? 2 : 1])
            #expect(!first.isClosed && !second.isClosed)
            // A socket that sends its request head gives its slot back.
            try await first.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            try await first.received { String(decoding: $0, as: UTF8.self).contains("HTTP/1.1 200 OK") }
            let health = try await Self.health(port: port)
            #expect(health == "HTTP/1.1 200 OK")
            await first.close()
            await second.close()
        }
    }

    @Test func startUpRaisesTheOpenFileLimitToTheHardLimit() async throws {
        guard TestGateway.externalURL == nil else { return }
        try await Self.with { _, _ in
            let limit = try #require(FileLimit.current())
            #expect(limit.soft == limit.hard || limit.hard == UInt64.max)
        }
    }
}
