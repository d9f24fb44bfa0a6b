// Sources/Runtime/Diagnostics/GatewayLockInfo.swift - the gateway lock file as diagnostics see it (reference/ops.md §5.1)

import Foundation

/// The lock a running gateway holds for its config path, read without taking it.
///
/// Path and staleness come from `GatewayLock`, so `status` and `doctor` judge a lock exactly as a starting
/// gateway would before reclaiming it.
public struct GatewayLockInfo: Sendable, Equatable {
    public var path: String
    /// Nil when the file cannot be read as a lock.
    public var owner: GatewayLock.Owner?

    public var pid: Int32? { owner?.pid }

    /// `$TMPDIR/openclaw-<uid>/gateway.<sha256(configPath)[0:8]>.lock`.
    public static func path(configPath: String, environment: [String: String]) -> String {
        GatewayLock.path(configPath: configPath, environment: environment)
    }

    /// The lock for `configPath`, or nil when no lock file exists.
    public static func read(configPath: String, environment: [String: String]) -> GatewayLockInfo? {
        let path = path(configPath: configPath, environment: environment)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return GatewayLockInfo(path: path, owner: GatewayLock.readOwner(at: path))
    }

    /// Whether a starting gateway would take the lock over: owner dead, pid reused, not a gateway, or unreadable and old.
    public var isStale: Bool {
        GatewayLock.isStale(path: path, owner: owner)
    }
}
