// Sources/gateway-stress/SoakClient.swift - one soak client: mixed calls, runs against the fake model, events, churn

import Foundation
import ProtocolSupport
import Runtime
import Synchronization

/// Totals across all soak clients.
final class SoakCounters: Sendable {
    let calls = Atomic<Int>(0)
    let runs = Atomic<Int>(0)
    let events = Atomic<Int>(0)
    let reconnects = Atomic<Int>(0)
    let connected = Atomic<Int>(0)
    let failures = Mutex<[String]>([])

    func fail(_ text: String) {
        failures.withLock { if $0.count < 1000 { $0.append(text) } }
    }
}

/// Calls, in the proportions a busy operator console and a few agents would make them: mostly reads, some runs
/// (`chat.send` then `agent.wait`, or a two-phase `agent`), and every so often a disconnect and a new connect.
/// Each client keeps its own session so runs queue only behind its own.
struct SoakClient: Sendable {
    let index: Int
    let gateway: SpawnedGateway
    let counters: SoakCounters
    /// Mean pause between two calls of this client.
    let interval: Duration
    /// Chance per call of closing the socket and connecting again.
    let churn: Double
    /// Connect as a presence-tracked `backend` (every connect and disconnect then broadcasts the whole presence
    /// list to every client); otherwise as a signed `cli` device, which presence does not track.
    let tracked: Bool

    private var sessionKey: String { "soak-\(index)" }

    func run(until deadline: ContinuousClock.Instant) async {
        var random = SystemRandomNumberGenerator()
        // One device per client, kept across its reconnects: paired silently (loopback) by its first connect.
        let identity = DeviceIdentity()
        var client: GatewayClient?
        var listener: Task<Void, Never>?
        defer { listener?.cancel() }
        var call = 0
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if client == nil {
                do {
                    let connected = try await gateway.connect(timeout: .seconds(30)) { options in
                        guard !tracked else { return }
                        options.clientId = .cli
                        options.clientMode = .cli
                        options.identity = identity
                    }
                    client = connected
                    counters.connected.add(1, ordering: .relaxed)
                    listener = Task { [counters] in
                        for await _ in connected.events { counters.events.add(1, ordering: .relaxed) }
                    }
                } catch {
                    counters.fail("client \(index): connect: \(error)")
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
            }
            guard let current = client else { continue }
            let pause = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
            try? await Task.sleep(for: .milliseconds(Int(pause * Double.random(in: 0.5...1.5, using: &random) * 1000)))
            if ContinuousClock.now >= deadline { break }
            call += 1
            do {
                try await perform(Int.random(in: 0..<100, using: &random), call: call, on: current)
                counters.calls.add(1, ordering: .relaxed)
            } catch {
                counters.fail("client \(index) call \(call): \(error)")
            }
            if Double.random(in: 0..<1, using: &random) < churn {
                await close(current, listener: &listener)
                client = nil
                counters.reconnects.add(1, ordering: .relaxed)
            }
        }
        if let client { await close(client, listener: &listener) }
    }

    private func close(_ client: GatewayClient, listener: inout Task<Void, Never>?) async {
        await client.close()
        listener?.cancel()
        listener = nil
        counters.connected.add(-1, ordering: .relaxed)
    }

    private func perform(_ roll: Int, call: Int, on client: GatewayClient) async throws {
        switch roll {
        case 0..<25: _ = try await client.request("health")
        case 25..<35: _ = try await client.request("status")
        case 35..<45: _ = try await client.request("sessions.list", params: ["limit": 20])
        case 45..<50: _ = try await client.request("system-presence")
        case 50..<57: _ = try await client.request("config.get")
        case 57..<70: _ = try await client.request("chat.history", params: ["sessionKey": .string(sessionKey), "limit": 20])
        case 70..<80: _ = try await client.request("logs.tail", params: ["limit": 20])
        case 80..<90:
            let key = "soak-\(index)-\(call)-\(UUID().uuidString.prefix(8))"
            let started = try await client.request(
                "chat.send", params: ["sessionKey": .string(sessionKey), "message": .string("soak message \(key)"), "idempotencyKey": .string(key)]
            )
            guard let runId = started["runId"]?.stringValue else { throw StressError("chat.send answered without runId: \(started)") }
            let waited = try await client.request("agent.wait", params: ["runId": .string(runId), "timeoutMs": 60_000], timeoutMs: 70_000)
            guard waited["status"]?.stringValue == "ok" else { throw StressError("chat.send run \(runId) ended \(waited)") }
            counters.runs.add(1, ordering: .relaxed)
        default:
            let key = "soak-agent-\(index)-\(call)-\(UUID().uuidString.prefix(8))"
            let final = try await client.request(
                "agent", params: ["message": .string("soak agent \(key)"), "idempotencyKey": .string(key), "sessionKey": .string(sessionKey)],
                timeoutMs: 70_000, expectFinal: true
            )
            guard final["status"]?.stringValue == "ok" else { throw StressError("agent run \(key) ended \(final)") }
            counters.runs.add(1, ordering: .relaxed)
        }
    }
}
