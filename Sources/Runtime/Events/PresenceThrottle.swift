// Sources/Runtime/Events/PresenceThrottle.swift - how often presence lists go out on a busy gateway

import Generated

/// Presence broadcasts go out at once when quiet, then at most once per interval (the latest list wins).
public enum PresenceThrottle {
    /// `presenceThrottleMs`, growing by `presenceThrottlePerConnectionMs` per socket (a connect storm sends a few
    /// lists, not one per socket to every socket), at most `presenceThrottleMaxMs`.
    public static func intervalMs(connections: Int) -> Int {
        min(
            max(ProtocolLimits.presenceThrottleMs, connections * ProtocolLimits.presenceThrottlePerConnectionMs),
            ProtocolLimits.presenceThrottleMaxMs
        )
    }
}
