// Sources/gateway-bench/HTTPTargets.swift - the OpenAI-compatible endpoints' rows against their targets

/// The HTTP rows of the performance issue: their targets are absolute (added latency over calling the upstream
/// directly, requests per second), so they need no reference server. Each throughput row also shows the same
/// load straight to the upstream, the ceiling of this harness on this machine: no gateway can be measured above
/// what the load generator and the canned upstream reach without it.
struct HTTPTargets {
    let report: Report

    private struct Row {
        var endpoint: String
        var key: String
    }

    private let rows = [
        Row(endpoint: "chat completions non-streaming", key: "chat_json"),
        Row(endpoint: "chat completions streaming", key: "chat_stream"),
        Row(endpoint: "responses non-streaming", key: "responses_json"),
    ]

    /// Added p50 with 1 client at most this (ms); requests per second with the most clients at least this.
    static let addedP50Ms = 0.5
    static let requestsPerSecond = 3000.0

    func record(clients: Int) {
        for row in rows {
            if let added = report.value("\(row.key)_1c_added_p50_ms") {
                let verdict = added <= Self.addedP50Ms ? "ok" : "MISSES"
                report.record(
                    "target_\(row.key)_1c_added_p50_ms", added, decimals: 3, unit: "ms (target ≤ \(Self.addedP50Ms): \(verdict))",
                    label: "\(row.endpoint), 1 client, added p50"
                )
            }
            guard clients > 1, let perSecond = report.value("\(row.key)_\(clients)c_gateway_per_s") else { continue }
            let ceiling = report.value("\(row.key)_\(clients)c_upstream_per_s")
            let verdict = perSecond >= Self.requestsPerSecond ? "ok" : "MISSES"
            let beside = ceiling.map { "; the upstream alone: \(Int($0.rounded())) req/s" } ?? ""
            report.record(
                "target_\(row.key)_\(clients)c_per_s", perSecond, decimals: 0, unit: "req/s (target ≥ \(Int(Self.requestsPerSecond)): \(verdict)\(beside))",
                label: "\(row.endpoint), \(clients) clients"
            )
        }
    }
}
