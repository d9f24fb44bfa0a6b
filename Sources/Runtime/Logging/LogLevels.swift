// Sources/Runtime/Logging/LogLevels.swift - upstream's level names (silent…trace) against swift-log's levels

import Generated
import Logging

/// A threshold: upstream's level names, where `silent` lets nothing through.
public enum LogThreshold: String, Sendable, CaseIterable, Comparable {
    case silent, fatal, error, warn, info, debug, trace

    /// Parses `silent|fatal|error|warn|info|debug|trace` (case-insensitive; `warning` is accepted too).
    public init?(name: String) {
        let lowered = name.trimmingCharacters(in: .whitespaces).lowercased()
        self.init(rawValue: lowered == "warning" ? "warn" : lowered)
    }

    /// Whether a record at `level` passes.
    public func allows(_ level: Logger.Level) -> Bool {
        guard let least = leastLevel else { return false }
        return level >= least
    }

    /// The least severe swift-log level that passes, or nil for `silent`.
    public var leastLevel: Logger.Level? {
        switch self {
        case .silent: nil
        case .fatal: .critical
        case .error: .error
        case .warn: .warning
        case .info: .info
        case .debug: .debug
        case .trace: .trace
        }
    }

    /// More verbose compares greater, so `max` raises a threshold.
    public static func < (lhs: LogThreshold, rhs: LogThreshold) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension Logger.Level {
    /// The name upstream writes in the file log and on the console.
    public var upstreamName: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error: "error"
        case .critical: "fatal"
        }
    }
}
