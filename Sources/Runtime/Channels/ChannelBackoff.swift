// Sources/Runtime/Channels/ChannelBackoff.swift - reconnect delays shared by channel plugins

/// Exponential reconnect delay with jitter: 1 s, 2 s, 4 s … capped at `maximum`. Plugins keep one per
/// account, call `next()` before each retry and `reset()` once connected.
public struct ChannelBackoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var factor: Double
    /// Fraction of the delay added or removed at random (0.2 = ±20 %).
    public var jitter: Double
    public private(set) var attempt = 0

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60), factor: Double = 2, jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
    }

    /// The delay before the next attempt; counts the attempt.
    public mutating func next() -> Duration {
        let base = min(seconds(initial) * pow2(factor, attempt), seconds(maximum))
        attempt += 1
        let spread = base * jitter
        let delay = spread > 0 ? base + Double.random(in: -spread...spread) : base
        return .milliseconds(Int(max(0, delay) * 1000))
    }

    public mutating func reset() { attempt = 0 }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func pow2(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 32) { result *= base }
        return result
    }
}
