// Sources/Runtime/Channels/IRC/IRCTokenBucket.swift - outbound flood control

/// A token bucket for outbound lines: `burst` lines may go at once, then one per `interval`.
///
/// Why: servers disconnect ("Excess Flood") or delay clients that send faster than a few lines a
/// second; a multi-line answer must trickle out instead. Pure value type, driven by the caller's clock.
public struct IRCTokenBucket: Sendable {
    public var burst: Int
    public var interval: Duration
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    public init(burst: Int, interval: Duration, now: ContinuousClock.Instant = .now) {
        self.burst = max(burst, 1)
        self.interval = interval
        self.tokens = Double(max(burst, 1))
        self.updated = now
    }

    /// Takes one token: returns how long the caller must wait before sending (zero when one was free).
    public mutating func take(now: ContinuousClock.Instant = .now) -> Duration {
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return interval * (-tokens)
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard interval > .zero else {
            tokens = Double(burst)
            updated = now
            return
        }
        let elapsed = now - updated
        if elapsed > .zero {
            tokens = min(Double(burst), tokens + elapsed / interval)
            updated = now
        }
    }
}
