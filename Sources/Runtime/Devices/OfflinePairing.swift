// Sources/Runtime/Devices/OfflinePairing.swift - `openclaw devices list|approve` on the gateway's machine with the gateway down

import Foundation
import Generated

/// The pairing store read and edited in place, for an operator on the gateway host when no gateway answers.
///
/// The store has one writer at a time: a running gateway owns it. So this is used only when no gateway for this
/// config can be running: no live lock (the one `gateway run` takes before binding) and nothing listening on the
/// resolved port. Approval needs no approver scope here: whoever can write `<stateDir>/devices` is the operator.
public struct OfflinePairing: Sendable {
    public let stateDir: String

    public init(stateDir: String) {
        self.stateDir = stateDir
    }

    /// `<stateDir>/devices`, named in the CLI's notice.
    public var directory: String { PairingFiles(stateDir: stateDir).directory }

    /// Whether a gateway using this machine's config may be running (and so owns the store).
    public static func gatewayMayBeRunning(environment: [String: String]) -> Bool {
        let local = LocalResolution(environment: environment)
        if let lock = GatewayLockInfo.read(configPath: local.paths.configPath, environment: environment), !lock.isStale { return true }
        return !ProcessTable.listeners(port: local.port.value).isEmpty || !ProcessTable.listeningAddresses(port: local.port.value).isEmpty
    }

    /// What `device.pair.list` would return.
    public func list() async throws -> DevicePairListResult {
        try await DevicePairingStore(stateDir: stateDir).list()
    }

    /// Approves `requestId`, or the newest pending request when it is nil.
    /// - Returns: nil when there is no such (or no) pending request.
    public func approve(requestId: String?) async throws -> DevicePairApproveResult? {
        let store = DevicePairingStore(stateDir: stateDir)
        var id = requestId
        if id == nil { id = try await store.list().pending.max { $0.ts < $1.ts }?.requestId }
        guard let id else { return nil }
        guard let approved = try await store.approve(id) else { return nil }
        return DevicePairApproveResult(requestId: id, device: approved.device.summary)
    }
}
