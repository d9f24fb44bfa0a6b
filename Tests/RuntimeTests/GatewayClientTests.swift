// Tests/RuntimeTests/GatewayClientTests.swift - the operator client against a scripted fake gateway

import Foundation
import Generated
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Runtime
import ServiceLifecycle
import Synchronization
import Testing

/// A gateway that answers `connect` and then follows a script, recording what the client sends.
final class ScriptedGateway: Sendable {
    let received = Mutex<[String]>([])
    private let started = Mutex<CheckedContinuation<Int, Never>?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    /// - Parameters:
    ///   - tickIntervalMs: sent in `hello-ok.policy`.
    ///   - afterHello: frames sent once hello-ok is out; then the socket stays open and silent.
    func start(tickIntervalMs: Int, afterHello: [String]) async -> Int {
        let router = Router()
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { _, _, _ in
                .upgrade([:]) { inbound, outbound, _ in
                    try await outbound.write(.text(#"{"type":"event","event":"connect.challenge","payload":{"nonce":"n","ts":1}}"#))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        self.received.withLock { $0.append(text) }
                        let request = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                        let id = request["id"]?.stringValue ?? ""
                        if request["method"] == "connect" {
                            try await outbound.write(.text(Self.hello(id: id, tickIntervalMs: tickIntervalMs)))
                            for frame in afterHello { try await outbound.write(.text(frame)) }
                        } else {
                            try await outbound.write(.text(#"{"type":"res","id":"\#(id)","ok":true,"payload":{}}"#))
                        }
                    }
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                self.started.withLock { $0 }?.resume(returning: channel.localAddress?.port ?? 0)
            },
            logger: Logger(label: "scripted", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return await withCheckedContinuation { continuation in
            started.withLock { $0 = continuation }
            // Stopped by graceful shutdown, not cancellation: a cancelled server can drop a connection it is
            // accepting, which NIO treats as a fatal error.
            let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "scripted", factory: { _ in SwiftLogNoOpLogHandler() })))
            self.group.withLock { $0 = group }
            task.withLock { $0 = Task { try await group.run() } }
        }
    }

    func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
    }

    static func hello(id: String, tickIntervalMs: Int) -> String {
        let health =
            #"{"ok":true,"ts":1,"durationMs":0,"channels":{},"channelOrder":[],"channelLabels":{},"heartbeatSeconds":0,"defaultAgentId":"main","agents":[],"sessions":{"path":"/x","count":0,"recent":[]}}"#
        return
            #"{"type":"res","id":"\#(id)","ok":true,"payload":{"type":"hello-ok","protocol":3,"server":{"version":"fake","commit":"abc123","host":"old-host","connId":"c"},"canvasHostUrl":"http://127.0.0.1:1/canvas","features":{"methods":[],"events":[]},"snapshot":{"presence":[],"health":\#(health),"stateVersion":{"presence":1,"health":1},"uptimeMs":0,"authMode":"some-future-mode"},"auth":{"role":"operator","scopes":[]},"policy":{"maxPayload":1000,"maxBufferedBytes":1000,"tickIntervalMs":\#(tickIntervalMs)}}}"#
    }
}

@Suite("Operator client")
struct GatewayClientTests {
    /// Upstream gateways before 2026.5.9 speak only protocol 3 (their hello-ok has `server.commit`, `host` and
    /// `canvasHostUrl`); the client offers 3...4, so they accept it, and it reads their v3 hello-ok.
    @Test func theClientOffersThreeToFourAndTakesAV3OnlyGatewaysHello() async throws {
        let server = ScriptedGateway()
        let port = await server.start(tickIntervalMs: 30000, afterHello: [])
        let client = try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)"))
        #expect(client.hello.protocol == 3)
        #expect(client.hello.canvasHostUrl == "http://127.0.0.1:1/canvas" && client.hello.server.commit == "abc123")
        await client.close()
        var pinned = GatewayClientOptions(url: "ws://127.0.0.1:\(port)")
        pinned.protocolVersions = 3...3
        let second = try await GatewayClient.connect(pinned)
        await second.close()
        await server.stop()
        let connects = server.received.withLock { $0 }.compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }.filter {
            $0["method"] == "connect"
        }
        #expect(connects.map { [$0["params"]?["minProtocol"], $0["params"]?["maxProtocol"]] } == [[3, 4], [3, 3]])
    }

    @Test func aSilentGatewayIsDroppedWith4000AfterTwoTickIntervals() async throws {
        let server = ScriptedGateway()
        let port = await server.start(tickIntervalMs: 100, afterHello: [])
        let client = try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)"))
        #expect(client.hello.snapshot.authMode == .unrecognized("some-future-mode"), "open enums accept values a newer server sends")
        for await _ in client.events {}
        do {
            _ = try await client.request("health")
            Issue.record("the watchdog should have closed the socket")
        } catch {
            #expect("\(error)".contains("code 4000"), "\(error)")
        }
        await client.close()
        await server.stop()
    }

    @Test func aSeqGapIsCountedAndStateIsRefetched() async throws {
        let server = ScriptedGateway()
        let events = [
            #"{"type":"event","event":"tick","payload":{"ts":1},"seq":1}"#,
            #"{"type":"event","event":"tick","payload":{"ts":2},"seq":3}"#,
        ]
        let port = await server.start(tickIntervalMs: 30_000, afterHello: events)
        let client = try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)"))
        var seen: [Int] = []
        for await event in client.events {
            seen.append(event.seq ?? -1)
            if seen.count == 2 { break }
        }
        #expect(seen == [1, 3])
        #expect(client.gapCount == 1)
        // The refresh is a health call and a system-presence call, sent concurrently; round trips let them land.
        var methods: [String] = []
        for _ in 0..<50 where !(methods.contains("health") && methods.contains("system-presence")) {
            _ = try await client.request("status")
            methods = server.received.withLock { $0 }.compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8))["method"]?.stringValue }
        }
        #expect(methods.contains("health"))
        #expect(methods.contains("system-presence"))
        await client.close()
        await server.stop()
    }

    @Test func requestsTimeOut() async throws {
        let gatewaySettings = GatewaySettings.inProcess(auth: .none)
        let gateway = Gateway(settings: gatewaySettings, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await gateway.run(handleSignals: false) }
        let port = await gateway.waitUntilListening()
        var options = GatewayClientOptions(url: "ws://127.0.0.1:\(port)")
        options.clientId = .gatewayClient
        options.clientMode = .backend
        let client = try await GatewayClient.connect(options)
        let summary = try await client.request("health", as: HealthSummary.self)
        #expect(summary.ok)
        do {
            _ = try await client.request("health", timeoutMs: 0)
            Issue.record("a zero timeout cannot be met")
        } catch {
            #expect("\(error)".contains("timed out waiting for the response to health"), "\(error)")
        }
        await client.close()
        await gateway.stop()
        _ = try? await task.value
    }
}
