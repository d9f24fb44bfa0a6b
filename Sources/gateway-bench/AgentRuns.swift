// Sources/gateway-bench/AgentRuns.swift - agent runs per second and the gateway's overhead per streamed token

import Foundation
import Generated

/// `agent` runs against the fast upstream, each timed from sending the request to its second
/// (final) answer, which must carry the upstream's whole text:
/// - one session running sequentially, then `agentSessions` sessions at once (each sequential,
///   spread over at most four sockets): runs per second and latency;
/// - the overhead per token: the single session's p50 against the same stream fetched straight from
///   the upstream, divided by the tokens; and, to split off what a run costs whatever its length,
///   runs alternating long and short replies against both fetched directly: the marginal cost of
///   one more token.
///
/// Every socket receives each run's `agent` and `chat` events too (they are broadcast), so the
/// numbers include streaming every token to every socket.
struct AgentRuns {
    let options: BenchOptions
    let gateway: GatewayProcess
    let upstream: BenchUpstream
    let report: Report
    let traffic: Traffic
    let connectFrame: String

    /// The short reply of the marginal-cost runs.
    private let short = BenchStream(tokens: 8)

    func run() async throws {
        let sockets = try await connect(min(options.agentSessions, 4))
        do {
            try await measure(sockets)
        } catch {
            for socket in sockets { await socket.close() }
            throw error
        }
        for socket in sockets { await socket.close() }
    }

    private func measure(_ sockets: [BenchClient]) async throws {
        let sessions = options.agentSessions
        let long = upstream.stream

        // One session, sequential runs (a few unmeasured first, which also create the session).
        _ = try await runs(on: sockets[0], session: "bench-single", phase: "w", count: 5, stream: long)
        let singleCPU = try gateway.cpuMilliseconds()
        let singleStarted = ContinuousClock.now
        let single = Percentiles(try await runs(on: sockets[0], session: "bench-single", phase: "m", count: options.agentRuns, stream: long))
        let singleElapsed = ContinuousClock.now - singleStarted
        let singleCPUPerRun = (try gateway.cpuMilliseconds() - singleCPU) / Double(options.agentRuns)
        report.record(
            "agent_1_session_runs_per_s", Double(options.agentRuns) / singleElapsed.seconds, decimals: 0, unit: "runs/s",
            label: "agent runs, 1 session (\(long.tokens)-token replies)"
        )
        report.recordMs("agent_1_session_p50_ms", single(50), label: "… agent → final answer p50")
        report.recordMs("agent_1_session_p99_ms", single(99), label: "… agent → final answer p99")
        report.record("agent_1_session_cpu_ms", singleCPUPerRun, decimals: 3, unit: "ms", label: "… gateway CPU per run")

        // `sessions` sessions in parallel, each sequential; one unmeasured run each first.
        let perSession = max(1, options.agentRuns / sessions)
        let names = (0..<sessions).map { "bench-s\($0)" }
        _ = try await parallel(names, sockets: sockets, phase: "w", count: 1, stream: long)
        let parallelCPU = try gateway.cpuMilliseconds()
        let parallelStarted = ContinuousClock.now
        let concurrent = Percentiles(try await parallel(names, sockets: sockets, phase: "m", count: perSession, stream: long))
        let parallelElapsed = ContinuousClock.now - parallelStarted
        let parallelCPUPerRun = (try gateway.cpuMilliseconds() - parallelCPU) / Double(perSession * sessions)
        report.record(
            "agent_\(sessions)_sessions_runs_per_s", Double(perSession * sessions) / parallelElapsed.seconds, decimals: 0, unit: "runs/s",
            label: "agent runs, \(sessions) sessions on \(sockets.count) socket\(sockets.count == 1 ? "" : "s")"
        )
        report.recordMs("agent_\(sessions)_sessions_p50_ms", concurrent(50), label: "… agent → final answer p50")
        report.recordMs("agent_\(sessions)_sessions_p99_ms", concurrent(99), label: "… agent → final answer p99")
        report.record("agent_\(sessions)_sessions_cpu_ms", parallelCPUPerRun, decimals: 3, unit: "ms", label: "… gateway CPU per run")

        // The overhead: the same streams without the gateway, and the single session with short replies.
        // Long and short replies alternate on the single session, so drift in load hits both alike.
        let samples = min(options.agentRuns, 200)
        var alternateLong: [Duration] = []
        var alternateShort: [Duration] = []
        for index in 0..<samples {
            alternateLong += try await runs(on: sockets[0], session: "bench-single", phase: "l\(index)-", count: 1, stream: long)
            alternateShort += try await runs(on: sockets[0], session: "bench-single", phase: "s\(index)-", count: 1, stream: short)
        }
        for _ in 0..<5 { _ = try await upstream.fetchDirect() }
        var direct: [Duration] = []
        var directShort: [Duration] = []
        for _ in 0..<samples {
            direct.append(try await upstream.fetchDirect())
            upstream.script(short, count: 1)
            directShort.append(try await upstream.fetchDirect(short))
        }
        let directLong = Percentiles(direct)(50)
        let directShortP50 = Percentiles(directShort)(50)
        report.recordMs("upstream_direct_p50_ms", directLong, label: "the \(long.tokens)-token stream straight from upstream p50")
        report.record(
            "agent_overhead_per_token_us", ((single(50) - directLong) / long.tokens).milliseconds * 1000, decimals: 1, unit: "µs",
            label: "gateway overhead per streamed token (p50s)"
        )
        let gatewayDifference = Percentiles(alternateLong)(50) - Percentiles(alternateShort)(50)
        let marginal = (gatewayDifference - (directLong - directShortP50)) / (long.tokens - short.tokens)
        report.record(
            "agent_overhead_per_extra_token_us", marginal.milliseconds * 1000, decimals: 1, unit: "µs",
            label: "… of which per extra token (\(short.tokens) vs \(long.tokens))"
        )
        report.record("rss_agents_mb", try gateway.memoryMB(), decimals: 1, unit: "MB", label: "gateway RSS after the agent runs")
    }

    /// `count` sequential runs on `session` (run ids `<session>-<phase><n>`) answered with `stream`
    /// (scripted before each run unless it is the upstream's default); returns each send → final answer.
    private func runs(on socket: BenchClient, session: String, phase: String, count: Int, stream: BenchStream) async throws -> [Duration] {
        // A final answer carries the whole text as a JSON string.
        let marker = #""text":"# + String(decoding: try JSONEncoder().encode(stream.text), as: UTF8.self)
        let scripted = stream.tokens != upstream.stream.tokens
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        for index in 0..<count {
            let id = "\(session)-\(phase)\(index)"
            let frame = try Frames.agent(id: id, sessionKey: session, message: "Say tok.")
            let expectation = BenchClient.Expectation.finalResponse(id: id, interim: #""status":"accepted""#, containing: marker)
            if scripted { upstream.script(stream, count: 1) }
            let sent = ContinuousClock.now
            let answered = try await socket.request(frame, id: id, until: expectation)
            samples.append(answered - sent)
        }
        return samples
    }

    /// `count` sequential runs on each session, all sessions at once; session `i` uses socket `i % sockets.count`.
    private func parallel(_ sessions: [String], sockets: [BenchClient], phase: String, count: Int, stream: BenchStream) async throws -> [Duration] {
        try await withThrowingTaskGroup(of: [Duration].self) { group in
            for (index, session) in sessions.enumerated() {
                let socket = sockets[index % sockets.count]
                group.addTask { try await runs(on: socket, session: session, phase: phase, count: count, stream: stream) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    private func connect(_ count: Int) async throws -> [BenchClient] {
        var sockets: [BenchClient] = []
        for _ in 0..<count {
            sockets.append(try await BenchClient.connect(url: gateway.url, connectFrame: connectFrame, traffic: traffic))
        }
        return sockets
    }
}
