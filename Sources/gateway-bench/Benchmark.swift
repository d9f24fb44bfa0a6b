// Sources/gateway-bench/Benchmark.swift - the measurements, in order, against one running gateway

import Foundation
import Generated
import Synchronization

/// Runs every measurement against `gateway` and records the numbers in `report`.
struct Benchmark {
    let options: BenchOptions
    let gateway: GatewayProcess
    let report: Report
    /// The model upstream of the agent runs and chat completions; nil skips both.
    let upstream: BenchUpstream?
    let traffic = Traffic()
    /// `connect` of the handshake, health and admin clients (mode `backend`, tracked in presence).
    let connectFrame: String
    /// `connect` of the fan-out clients: `connectFrame`, or mode `cli` with `--untracked`.
    let fanOutConnectFrame: String

    init(options: BenchOptions, gateway: GatewayProcess, report: Report, upstream: BenchUpstream?) throws {
        self.options = options
        self.gateway = gateway
        self.report = report
        self.upstream = upstream
        self.connectFrame = try Frames.connect(token: gateway.token)
        self.fanOutConnectFrame = try Frames.connect(token: gateway.token, mode: options.untracked ? .cli : .backend)
    }

    /// Startup, idle memory, handshakes, health round trips, agent runs, chat completions, fan-out, shutdown. Returns how the gateway exited.
    func run() async throws -> Termination {
        try await startup()
        try await Task.sleep(for: .milliseconds(200))
        report.record("rss_idle_mb", try gateway.memoryMB(), decimals: 1, unit: "MB", label: "gateway RSS idle")
        try await handshakes()
        try await DeviceHandshakes(gateway: gateway, report: report, count: min(options.handshakes, 200)).run()
        try await healthRoundTrips(clients: 1)
        try await healthRoundTrips(clients: options.healthClients)
        if let upstream, options.agents {
            log("agent runs against \(upstream.baseURL)")
            try await AgentRuns(options: options, gateway: gateway, upstream: upstream, report: report, traffic: traffic, connectFrame: connectFrame).run()
        }
        if let upstream, options.http {
            log("chat completions through the gateway and against \(upstream.baseURL)")
            try await ChatCompletionsBench(options: options, gateway: gateway, upstream: upstream, report: report).run()
        }
        let clients = try await fanOut()
        report.record("rss_peak_mb", try gateway.memoryMB("VmHWM"), decimals: 1, unit: "MB", label: "gateway peak RSS (VmHWM)")
        return await shutdown(with: clients)
    }

    /// The reference server (`ReferenceServer`) through the same WebSocket measurements: start-up, idle memory,
    /// handshakes, health round trips, the fan-out broadcast and memory with the fan-out clients. Stops it.
    func runReference() async throws {
        try await startup()
        try await Task.sleep(for: .milliseconds(200))
        report.record("rss_idle_mb", try gateway.memoryMB(), decimals: 1, unit: "MB", label: "RSS idle")
        try await handshakes()
        try await healthRoundTrips(clients: 1)
        try await healthRoundTrips(clients: options.healthClients)
        let clients = try await fanOut()
        _ = await shutdown(with: clients)
    }

    /// Process start → first WebSocket upgrade that delivers `connect.challenge`, polling every millisecond.
    private func startup() async throws {
        while true {
            if let termination = gateway.termination {
                throw BenchError("the gateway ended (\(termination)) before accepting a connection")
            }
            if let probe = try? await BenchClient.open(url: gateway.url, traffic: traffic) {
                report.recordMs("startup_ms", .now - gateway.launchedAt, label: "start → first accepted connection")
                await probe.close()
                return
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Sequential connect → hello-ok, each timed from opening the socket; every socket is closed before the next.
    private func handshakes() async throws {
        let warmUp = 10
        var samples: [Duration] = []
        samples.reserveCapacity(options.handshakes)
        for index in 0..<(warmUp + options.handshakes) {
            let started = ContinuousClock.now
            let client = try await BenchClient.connect(url: gateway.url, connectFrame: connectFrame, traffic: traffic)
            let elapsed = ContinuousClock.now - started
            await client.close()
            if index >= warmUp { samples.append(elapsed) }
        }
        let percentiles = Percentiles(samples)
        report.recordMs("handshake_p50_ms", percentiles(50), label: "handshake → hello-ok p50 (\(options.handshakes) sequential)")
        report.recordMs("handshake_p99_ms", percentiles(99), label: "handshake → hello-ok p99")
    }

    /// Closed-loop `health` calls: each client sends the next request when the last response arrives.
    /// Responses that arrive within the measured window (after a 0.5 s warm-up) are counted.
    private func healthRoundTrips(clients count: Int) async throws {
        let clients = try await connect(count, frame: connectFrame)
        let measureFrom = ContinuousClock.now + .milliseconds(500)
        let measureUntil = measureFrom + .seconds(options.healthSeconds)
        let calls = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in clients {
                group.addTask {
                    var id = 0
                    var counted = 0
                    while true {
                        id += 1
                        let answered = try await client.call(Frames.health(id: id), id: String(id))
                        if answered >= measureUntil { return counted }
                        if answered >= measureFrom { counted += 1 }
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        await close(clients)
        let noun = count == 1 ? "client" : "clients"
        report.record(
            "health_\(count)_\(noun)_calls_per_s", Double(calls) / options.healthSeconds, decimals: 0, unit: "calls/s",
            label: "health round trips, \(count) \(noun)"
        )
    }

    /// Connects the admin and the fan-out clients, waits until the presence broadcasts of their
    /// connects are over, then times `health {probe: true}` → the last client's `health` event (one
    /// broadcast of a ~0.5 KB event). The fan-out clients stay connected for the shutdown.
    private func fanOut() async throws -> [BenchClient] {
        let admin = try await BenchClient.connect(url: gateway.url, connectFrame: connectFrame, traffic: traffic)
        let count = options.fanOutClients
        log("connecting \(count) \(options.untracked ? "untracked" : "presence-tracked") clients")
        let started = ContinuousClock.now
        let bytesBefore = traffic.bytes
        let clients = try await connect(count, frame: fanOutConnectFrame)
        report.record("fanout_connect_s", (ContinuousClock.now - started).seconds, decimals: 2, unit: "s", label: "connect \(count) clients, 32 in flight")
        let quiet = Duration.milliseconds(300)
        try await traffic.waitUntilQuiet(for: quiet, limit: .seconds(60))
        report.record(
            "fanout_drained_s", (ContinuousClock.now - quiet - started).seconds, decimals: 2, unit: "s", label: "… until their presence broadcasts drained")
        report.record(
            "fanout_connect_received_mb", Double(traffic.bytes - bytesBefore) / 1_048_576, decimals: 1, unit: "MB",
            label: "… bytes the clients received meanwhile"
        )
        report.record("rss_clients_mb", try gateway.memoryMB(), decimals: 1, unit: "MB", label: "gateway RSS with \(count + 1) clients")

        var samples: [Duration] = []
        for round in 0...options.rounds {
            let id = "probe\(round)"
            let frame = try Frames.healthProbe(id: id)
            for client in clients { client.arm(.event(.health)) }
            admin.arm(.response(id: id))
            let sent = ContinuousClock.now
            try await admin.send(frame)
            let last = try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) { group in
                for client in clients { group.addTask { try await client.settle() } }
                return try await group.reduce(sent) { Swift.max($0, $1) }
            }
            try await admin.settle()
            if round > 0 { samples.append(last - sent) }
        }
        await admin.close()
        let percentiles = Percentiles(samples)
        report.recordMs("fanout_p50_ms", percentiles(50), label: "broadcast to all \(count) clients p50 (\(options.rounds) rounds)")
        report.recordMs("fanout_max_ms", percentiles.max, label: "broadcast to all \(count) clients max")
        return clients
    }

    /// SIGTERM with the fan-out clients still connected; waits for the exit and for every client socket to end.
    private func shutdown(with clients: [BenchClient]) async -> Termination {
        let started = ContinuousClock.now
        let termination = await gateway.stop(grace: .seconds(15))
        report.recordMs("shutdown_ms", .now - started, label: "SIGTERM → exit, \(clients.count) clients connected")
        report.record("exit_status", Double(termination.code), decimals: 0, unit: "", label: "gateway exit status")
        if termination.code != 0 { log("the gateway did not exit cleanly: \(termination)") }
        await close(clients)
        return termination
    }

    /// Completes `count` handshakes with `frame`, at most 32 at a time.
    private func connect(_ count: Int, frame: String) async throws -> [BenchClient] {
        try await withThrowingTaskGroup(of: BenchClient.self) { group in
            var clients: [BenchClient] = []
            clients.reserveCapacity(count)
            var started = 0
            func startOne() {
                started += 1
                group.addTask { try await connectRetryingStalls(frame: frame) }
            }
            while started < min(count, 32) { startOne() }
            while let client = try await group.next() {
                clients.append(client)
                if started < count { startOne() }
            }
            return clients
        }
    }

    /// One handshake, given `stallLimit` to finish and retried when it does not. Rarely (a few times in many
    /// runs, against either server) a burst of concurrent handshakes stalls with every byte delivered and both
    /// processes idle; the cause is not found yet. Retrying keeps one stall from costing the whole run; each retry
    /// is logged, so a stall is seen rather than hidden.
    private func connectRetryingStalls(frame: String, attempts: Int = 3) async throws -> BenchClient {
        let stallLimit = Duration.seconds(15)
        for attempt in 1...attempts {
            // Raced outside structured concurrency: a stalled handshake does not answer cancellation, and a task
            // group would wait for it. The loser of the race is left to end on its own (a late client is closed).
            let client: BenchClient? = try await withCheckedThrowingContinuation { continuation in
                let pending = Mutex<CheckedContinuation<BenchClient?, any Error>?>(continuation)
                let take: @Sendable () -> CheckedContinuation<BenchClient?, any Error>? = {
                    pending.withLock { current in
                        defer { current = nil }
                        return current
                    }
                }
                Task {
                    do {
                        let client = try await BenchClient.connect(url: gateway.url, connectFrame: frame, traffic: traffic)
                        if let continuation = take() { continuation.resume(returning: client) } else { await client.close() }
                    } catch {
                        take()?.resume(throwing: error)
                    }
                }
                Task {
                    try? await Task.sleep(for: stallLimit)
                    take()?.resume(returning: nil)
                }
            }
            if let client { return client }
            log("a handshake to \(gateway.url) stalled for \(stallLimit) (attempt \(attempt) of \(attempts)); retrying")
        }
        throw BenchError("\(attempts) handshakes to \(gateway.url) in a row stalled")
    }

    private func close(_ clients: [BenchClient]) async {
        await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.close() } }
        }
    }
}
