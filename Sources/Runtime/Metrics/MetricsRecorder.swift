// Sources/Runtime/Metrics/MetricsRecorder.swift - what an operator scrapes: the gateway's counters, gauges and histograms

import Foundation
import Generated
import Prometheus
import Synchronization

/// The gateway's metrics, in one Prometheus registry per gateway (not the process-global `MetricsSystem`, which
/// can be bootstrapped once: tests run many gateways in one process). Served by `GET /metrics` (`MetricsRoute`).
///
/// Label values are bounded: methods are the spec's names (anything else is `unknown`), roles `operator` / `node`
/// / `other`, HTTP routes the router's patterns, so a client cannot grow the registry. Providers, channels and
/// accounts are the config's (and the built-ins') ids, which only the operator chooses.
final class MetricsRecorder: Sendable {
    let registry = PrometheusCollectorRegistry()

    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2_500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]
    private static let runBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(600),
    ]

    private let authFailures: Counter
    private let authLockouts: Counter
    private let slowConsumerCloses: Counter
    private let commits: Counter
    private let commitWrites: Counter
    private let commitLatency: DurationHistogram
    private let runDuration: DurationHistogram
    private let residentMemory: Gauge
    private let openFiles: Gauge
    /// The `(channel, account)` pairs whose state gauges are registered, so an account removed from the config loses
    /// its series instead of reporting its last state forever.
    private let channelAccounts = Mutex<Set<ChannelAccountKey>>([])

    private struct ChannelAccountKey: Hashable {
        var channel: String
        var account: String
    }

    init() {
        authFailures = registry.makeCounter(
            name: "openclaw_auth_failures_total", help: "Wrong credentials (WebSocket connect and HTTP bearer), as counted by the rate limiter.")
        authLockouts = registry.makeCounter(name: "openclaw_auth_lockouts_total", help: "Addresses locked out after too many wrong credentials.")
        slowConsumerCloses = registry.makeCounter(
            name: "openclaw_ws_slow_consumer_closes_total", help: "Sockets closed because their outbound buffer passed the limit.")
        commits = registry.makeCounter(name: "openclaw_session_commits_total", help: "Session-store group commits (transactions).")
        commitWrites = registry.makeCounter(name: "openclaw_session_commit_writes_total", help: "Writes in those commits (transcript messages).")
        commitLatency = registry.makeDurationHistogram(
            name: "openclaw_session_commit_seconds", buckets: Self.latencyBuckets, help: "Time to commit one session-store transaction, sync included."
        )
        runDuration = registry.makeDurationHistogram(name: "openclaw_run_duration_seconds", buckets: Self.runBuckets, help: "Agent runs, start to end.")
        residentMemory = registry.makeGauge(name: "openclaw_process_resident_memory_bytes", help: "Resident memory of the gateway process.")
        openFiles = registry.makeGauge(name: "openclaw_process_open_fds", help: "Open file descriptors of the gateway process.")
    }

    // MARK: - WebSocket

    /// A socket finished its handshake (+1) or closed (−1).
    func connection(role: String?, delta: Double) {
        registry.makeGauge(name: "openclaw_ws_connections", labels: [("role", Self.role(role))], help: "Connected WebSocket clients by role.")
            .increment(by: delta)
    }

    /// One answered request frame.
    func request(method: String, ok: Bool, duration: Duration) {
        let method = GatewayMethod(rawValue: method) != nil ? method : "unknown"
        registry.makeCounter(
            name: "openclaw_ws_requests_total", labels: [("method", method), ("outcome", ok ? "ok" : "error")],
            help: "WebSocket requests by method and outcome."
        ).increment()
        registry.makeDurationHistogram(
            name: "openclaw_ws_request_duration_seconds", labels: [("method", method)], buckets: Self.latencyBuckets,
            help: "Time from a request frame to its response (the first response of a two-phase method)."
        ).record(duration)
    }

    func slowConsumerClosed() { slowConsumerCloses.increment() }

    /// Events written to sockets (a broadcast counts once per recipient) and events dropped for slow consumers.
    func events(_ event: String, sent: Int, dropped: Int = 0) {
        let event = GatewayEvent(rawValue: event) != nil ? event : "other"
        if sent > 0 {
            registry.makeCounter(name: "openclaw_ws_events_sent_total", labels: [("event", event)], help: "Events written to sockets, per recipient.")
                .increment(by: Int64(sent))
        }
        if dropped > 0 {
            registry.makeCounter(
                name: "openclaw_ws_events_dropped_total", labels: [("event", event)], help: "Events not delivered (droppable events to slow consumers)."
            )
            .increment(by: Int64(dropped))
        }
    }

    // MARK: - HTTP

    func http(route: String, status: Int) {
        registry.makeCounter(
            name: "openclaw_http_requests_total", labels: [("route", route), ("status", String(status))], help: "HTTP requests by route and status."
        )
        .increment()
    }

    // MARK: - Auth

    func authFailed() { authFailures.increment() }
    func authLockedOut() { authLockouts.increment() }

    // MARK: - Runs and the store

    func run(outcome: String, duration: Duration?, inputTokens: Int, outputTokens: Int) {
        registry.makeCounter(
            name: "openclaw_runs_total", labels: [("outcome", outcome)], help: "Agent runs by outcome (ok, error, aborted, timeout, shutdown)."
        )
        .increment()
        if let duration { runDuration.record(duration) }
        if inputTokens > 0 {
            registry.makeCounter(name: "openclaw_run_tokens_total", labels: [("kind", "input")], help: "Model tokens used by runs.").increment(
                by: Int64(inputTokens))
        }
        if outputTokens > 0 {
            registry.makeCounter(name: "openclaw_run_tokens_total", labels: [("kind", "output")], help: "Model tokens used by runs.").increment(
                by: Int64(outputTokens))
        }
    }

    func committed(writes: Int, duration: Duration) {
        commits.increment()
        commitWrites.increment(by: Int64(writes))
        commitLatency.record(duration)
    }

    // MARK: - Model providers

    /// One call to a model provider (each fallback candidate tried counts once): `ok`, `cancelled`, or the error's
    /// kind (`http`, `rate_limit`, `auth`, `upstream`, `timeout`, `malformed`, `transport`, `not_configured`, `error`).
    func providerCall(provider: String, outcome: String, duration: Duration) {
        registry.makeCounter(
            name: "openclaw_provider_calls_total", labels: [("provider", provider), ("outcome", outcome)],
            help: "Model-provider calls by provider and outcome (ok, cancelled, or the error kind)."
        ).increment()
        registry.makeDurationHistogram(
            name: "openclaw_provider_call_duration_seconds", labels: [("provider", provider)], buckets: Self.runBuckets,
            help: "Model-provider calls, request to the end of the streamed answer (or the failure)."
        ).record(duration)
    }

    // MARK: - Config and channels

    /// The state of every configured channel account now (1 or 0 per account): read at scrape time.
    func channels(_ accounts: [(channel: String, account: String, running: Bool, connected: Bool)]) {
        let current = Set(accounts.map { ChannelAccountKey(channel: $0.channel, account: $0.account) })
        for account in accounts {
            let labels = [("channel", account.channel), ("account", account.account)]
            registry.makeGauge(name: "openclaw_channel_running", labels: labels, help: "Channel accounts started and not stopped (1) or not (0).")
                .set(Double(account.running ? 1 : 0))
            registry.makeGauge(name: "openclaw_channel_connected", labels: labels, help: "Channel accounts connected to their service (1) or not (0).")
                .set(Double(account.connected ? 1 : 0))
        }
        let gone = channelAccounts.withLock { known in
            defer { known = current }
            return known.subtracting(current)
        }
        for key in gone {
            let labels = [("channel", key.channel), ("account", key.account)]
            registry.unregisterGauge(registry.makeGauge(name: "openclaw_channel_running", labels: labels))
            registry.unregisterGauge(registry.makeGauge(name: "openclaw_channel_connected", labels: labels))
        }
    }

    func reload(outcome: String) {
        registry.makeCounter(name: "openclaw_config_reloads_total", labels: [("outcome", outcome)], help: "Config file reloads by outcome.").increment()
    }

    // MARK: - Scrape

    /// The text exposition, with the process gauges read now.
    func exposition() -> [UInt8] {
        if let rss = ProcessStats.residentBytes() { residentMemory.set(Double(rss)) }
        if let fds = ProcessStats.openFiles() { openFiles.set(Double(fds)) }
        return registry.emitToBuffer()
    }

    private static func role(_ role: String?) -> String {
        switch role ?? "operator" {
        case "operator": "operator"
        case "node": "node"
        default: "other"
        }
    }
}
