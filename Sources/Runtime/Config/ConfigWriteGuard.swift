// Sources/Runtime/Config/ConfigWriteGuard.swift - base-hash checks, the config write rate limit, and write serialisation

import Foundation
import Synchronization

/// What every gateway-initiated config write must pass before it touches the file.
public enum ConfigWriteGuard {
    /// Upstream's limit: 30 writes per 60 s per client (device id, else connection, plus IP).
    public static let limit = 30
    public static let windowMs = 60_000

    private static let windows = Mutex<[String: [Int]]>([:])
    private static let writeLock = Mutex<Void>(())

    /// Records one write for `key` at `nowMs`; returns how long to wait when over the limit, else nil.
    public static func admit(key: String, nowMs: Int, limit: Int = limit, windowMs: Int = windowMs) -> Int? {
        windows.withLock { windows in
            var stamps = (windows[key] ?? []).filter { $0 > nowMs - windowMs }
            defer { windows[key] = stamps }
            if stamps.count >= limit { return max(1, stamps[0] + windowMs - nowMs) }
            stamps.append(nowMs)
            return nil
        }
    }

    public enum HashCheck: Equatable, Sendable {
        case ok
        case required
        case stale
    }

    /// `baseHash` is required once the file exists and must match its current bytes.
    public static func check(baseHash: String?, currentHash: String?) -> HashCheck {
        guard let currentHash else { return .ok }
        guard let baseHash = baseHash?.trimmingCharacters(in: .whitespaces), !baseHash.isEmpty else { return .required }
        return baseHash.lowercased() == currentHash ? .ok : .stale
    }

    public static let hashRequiredMessage = "config base hash required; re-run config.get and retry"
    public static let staleHashMessage = "config changed since last load; re-run config.get and retry"

    /// Runs check-then-write as one step, so two writers with the same base hash cannot both win.
    public static func serialised<T>(_ body: () throws -> T) rethrows -> T {
        try writeLock.withLock { _ in try body() }
    }
}
