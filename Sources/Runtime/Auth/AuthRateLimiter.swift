// Sources/Runtime/Auth/AuthRateLimiter.swift - failed shared-secret attempts per client address

import Foundation
import Synchronization

/// Counts failed attempts per client address in a sliding window and locks an address out past the limit.
/// The browser-origin instance never exempts loopback: a page on the operator's machine must not brute-force
/// the token from localhost.
final class AuthRateLimiter: Sendable {
    private struct Entry {
        var failures: [UInt64] = []
        var lockedUntil: UInt64 = 0
    }

    private let limits: Mutex<AuthRateLimit>
    private let entries = Mutex<[String: Entry]>([:])
    private static let maxEntries = 10_000
    /// False for browser-origin sockets: `exemptLoopback` does not apply to them.
    private let honoursLoopbackExemption: Bool
    /// Where failures and lockouts are counted (`GET /metrics`).
    private let metrics: MetricsRecorder?

    init(limit: AuthRateLimit, honoursLoopbackExemption: Bool = true, metrics: MetricsRecorder? = nil) {
        self.limits = Mutex(limit)
        self.honoursLoopbackExemption = honoursLoopbackExemption
        self.metrics = metrics
    }

    /// The limits in force; a hot config reload swaps them (existing lockouts stay until they expire).
    var limit: AuthRateLimit { limits.withLock { $0 } }

    func reconfigure(_ limit: AuthRateLimit) {
        limits.withLock { $0 = limit }
    }

    /// - Returns: ms until the address may try again, or nil when it may try now.
    func retryAfterMs(address: String, isLoopback: Bool, now: UInt64 = Clock.nowMs) -> Int? {
        if isLoopback && limit.exemptLoopback && honoursLoopbackExemption { return nil }
        return entries.withLock { entries in
            guard let entry = entries[address], entry.lockedUntil > now else { return nil }
            return Int(entry.lockedUntil - now)
        }
    }

    /// Records a failure; locks the address when the window holds `maxAttempts` failures.
    func recordFailure(address: String, isLoopback: Bool, now: UInt64 = Clock.nowMs) {
        let limit = self.limit
        metrics?.authFailed()
        if isLoopback && limit.exemptLoopback && honoursLoopbackExemption { return }
        let lockedOut = entries.withLock { entries -> Bool in
            if entries.count >= Self.maxEntries { entries = entries.filter { $0.value.lockedUntil > now } }
            var entry = entries[address] ?? Entry()
            let windowStart = now > UInt64(limit.windowMs) ? now - UInt64(limit.windowMs) : 0
            entry.failures = entry.failures.filter { $0 > windowStart } + [now]
            let locks = entry.failures.count >= limit.maxAttempts
            if locks {
                entry.lockedUntil = now + UInt64(limit.lockoutMs)
                entry.failures = []
            }
            entries[address] = entry
            return locks
        }
        if lockedOut { metrics?.authLockedOut() }
    }

    /// Forgets an address after a successful attempt.
    func recordSuccess(address: String) {
        _ = entries.withLock { $0.removeValue(forKey: address) }
    }
}

/// Wall-clock milliseconds, as the protocol's `ts` fields use.
enum Clock {
    static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
}
