// Sources/gateway-bench/ReferenceRatios.swift - each WebSocket row as gateway / reference, with its target

/// The rows of the performance issue that have a reference: the same measurement against the Hummingbird
/// reference server (`ReferenceServer`), divided, next to the target. A ratio the target does not allow is
/// marked `MISSES`.
struct ReferenceRatios {
    let gateway: Report
    let reference: Report

    private struct Row {
        var key: String
        var label: String
        /// The gateway's value / the reference's must stay at or below `most` (or at or above `least`).
        var most: Double?
        var least: Double?
    }

    private let rows = [
        Row(key: "handshake_p50_ms", label: "handshake p50", most: 1.2),
        Row(key: "health_64_clients_calls_per_s", label: "health round trips, 64 clients", least: 0.7),
        Row(key: "fanout_p50_ms", label: "broadcast to all clients p50", most: 1.3),
        Row(key: "rss_clients_mb", label: "RSS with the fan-out clients", most: 1.2),
        Row(key: "rss_idle_mb", label: "RSS idle"),
    ]

    /// Records `ratio_<key>` for every row both reports have, and prints whether it meets its target.
    func record(into report: Report) {
        for row in rows {
            guard let ours = gateway.value(row.key), let theirs = reference.value(row.key), theirs > 0 else { continue }
            let ratio = ours / theirs
            var verdict = ""
            if let most = row.most { verdict = ratio <= most ? " (target ≤ \(most): ok)" : " (target ≤ \(most): MISSES)" }
            if let least = row.least { verdict = ratio >= least ? " (target ≥ \(least): ok)" : " (target ≥ \(least): MISSES)" }
            report.record("ratio_\(row.key)", ratio, decimals: 2, unit: "×" + verdict, label: "\(row.label), gateway / reference")
        }
    }
}
