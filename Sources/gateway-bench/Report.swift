// Sources/gateway-bench/Report.swift - the numbers: one line each as measured, one JSON line at the end

import Foundation
import Synchronization

/// Collects metrics in the order measured. Each is printed to stdout when recorded; `json` has them all.
final class Report: Sendable {
    private struct Metric {
        var key: String
        var value: Double
        var decimals: Int
    }

    private let metrics = Mutex<[Metric]>([])
    /// Put before every printed label (`reference: ` for the reference server's own numbers).
    private let labelPrefix: String

    init(labelPrefix: String = "") {
        self.labelPrefix = labelPrefix
    }

    /// Records a metric and prints it as `label  value unit`.
    func record(_ key: String, _ value: Double, decimals: Int, unit: String, label: String) {
        metrics.withLock { $0.append(Metric(key: key, value: value, decimals: decimals)) }
        let number = String(format: "%.\(decimals)f", value)
        let padded = String(repeating: " ", count: max(0, 12 - number.count)) + number
        emit((labelPrefix + label).padding(toLength: 48, withPad: " ", startingAt: 0) + padded + (unit.isEmpty ? "" : " " + unit))
    }

    /// Records a duration in milliseconds.
    func recordMs(_ key: String, _ duration: Duration, label: String) {
        record(key, duration.milliseconds, decimals: 3, unit: "ms", label: label)
    }

    /// The value recorded under `key`, if any.
    func value(_ key: String) -> Double? {
        metrics.withLock { $0.last { $0.key == key }?.value }
    }

    /// `{"key":value,...}` in recording order.
    var json: String {
        let members = metrics.withLock { metrics in
            metrics.map { "\"\($0.key)\":\(String(format: "%.\($0.decimals)f", $0.value))" }
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// Order statistics of a sample of durations.
struct Percentiles {
    private let sorted: [Duration]

    init(_ samples: [Duration]) {
        precondition(!samples.isEmpty, "no samples")
        sorted = samples.sorted()
    }

    /// The nearest-rank percentile, `p` in 0...100.
    func callAsFunction(_ p: Double) -> Duration {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    var max: Duration { sorted[sorted.count - 1] }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    var seconds: Double { milliseconds / 1000 }
}

/// Writes a line of the report to stdout, unbuffered.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Progress and diagnostics go to stderr, so stdout holds only the report.
func log(_ message: String) {
    FileHandle.standardError.write(Data("gateway-bench: \(message)\n".utf8))
}
