// Sources/Runtime/Logging/RateLimitedLogHandler.swift - one line per message per interval, for noisy background failures

import Logging
import Synchronization

/// Passes each distinct message on at most once per `interval`, and says how many repeats it swallowed in between.
/// Made for the OTLP exporters' own diagnostics: with the collector down they fail on every flush (every few
/// seconds), which would otherwise fill the gateway's log with the same warning.
struct RateLimitedLogHandler: LogHandler {
    private struct Window {
        var lastWritten: ContinuousClock.Instant
        var suppressed: Int
    }

    /// Shared by copies of this handler (a `Logger` copies its handler), so every copy counts against one budget.
    private final class Windows: Sendable {
        let byMessage = Mutex<[String: Window]>([:])
    }

    private var base: any LogHandler
    private let interval: Duration
    private let windows = Windows()

    init(wrapping base: any LogHandler, interval: Duration) {
        self.base = base
        self.interval = interval
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        let key = event.message.description
        let now = ContinuousClock.now
        let suppressed = windows.byMessage.withLock { windows -> Int? in
            if var window = windows[key], now - window.lastWritten < interval {
                window.suppressed += 1
                windows[key] = window
                return nil
            }
            let previous = windows[key]?.suppressed ?? 0
            windows[key] = Window(lastWritten: now, suppressed: 0)
            // Forget messages not seen for a while, so the table stays small.
            if windows.count > 64 { windows = windows.filter { now - $0.value.lastWritten < interval } }
            return previous
        }
        guard let suppressed else { return }
        var event = event
        var extra: Logger.Metadata = [:]
        // The gateway's handlers print metadata, not `LogEvent.error`: keep the cause visible.
        if let error = event.error, event.metadata?["error"] == nil { extra["error"] = "\(error)" }
        if suppressed > 0 { extra["repeated"] = "\(suppressed) more since the last report" }
        if !extra.isEmpty { event.metadata = (event.metadata ?? [:]).merging(extra) { _, new in new } }
        base.log(event: event)
    }
}
