// Sources/Runtime/Devices/DevicePairingStore.swift - the one writer of the pairing files

import Foundation
import Generated

/// Pending requests, paired devices and their tokens (reference/pairing.md §1–§2). An actor so that
/// every read-modify-write of the files is one step. What is on disk is the truth (a restart, or an operator
/// editing them, loses nothing): `paired.json`, read on every signed connect, is decoded again only when its
/// `FileStamp` changed. Pending
/// requests older than `devicePairingPendingTtlMs` are dropped whenever the files are read.
actor DevicePairingStore {
    private let files: PairingFiles
    private let now: @Sendable () -> Int
    /// `paired.json` as last read or written, with the stamp the file had then.
    private var pairedCache: (stamp: FileStamp, rows: [String: PairedDevice])?

    init(stateDir: String, now: @escaping @Sendable () -> Int = { Int(Clock.nowMs) }) {
        self.files = PairingFiles(stateDir: stateDir)
        self.now = now
    }

    // MARK: - Reading

    private func readPaired() throws -> [String: PairedDevice] {
        let stamp = FileStamp(path: files.pairedPath)
        if let stamp, let cache = pairedCache, cache.stamp == stamp { return cache.rows }
        let rows = try files.readPaired()
        pairedCache = stamp.map { ($0, rows) }
        return rows
    }

    private func writePaired(_ rows: [String: PairedDevice]) throws {
        try files.writePaired(rows)
        pairedCache = FileStamp(path: files.pairedPath).map { ($0, rows) }
    }

    func pairedDevice(_ deviceId: String) throws -> PairedDevice? {
        try readPaired()[deviceId]
    }

    func pendingRequest(_ requestId: String) throws -> DevicePairingRequest? {
        try loadPending()[requestId]
    }

    /// Pending requests newest first; paired devices most recently approved first, without token secrets.
    func list() throws -> DevicePairListResult {
        let pending = try loadPending().values.sorted { ($0.ts, $0.requestId) > ($1.ts, $1.requestId) }
        let paired = try readPaired().values.sorted { ($0.approvedAtMs, $0.deviceId) > ($1.approvedAtMs, $1.deviceId) }
        return DevicePairListResult(pending: pending, paired: paired.map(\.summary))
    }

    // MARK: - Requests

    /// Files a request for `claim`, or refreshes the device's open one (v3-mid): the same key, role(s) and
    /// scopes bump `ts` in place (`created: false`); anything else replaces all of the device's rows with one
    /// new request carrying the merged roles and scopes; the rows it replaced come back as `superseded`.
    func request(
        _ claim: DeviceClaim, silent: Bool, isRepair: Bool
    ) throws -> (request: DevicePairingRequest, created: Bool, superseded: [DevicePairingRequest]) {
        var pending = try loadPending()
        let existing = pending.values.filter { $0.deviceId == claim.deviceId }
        let roles = [claim.role]
        let scopes = Array(Set(claim.scopes)).sorted()
        if let same = existing.first(where: {
            $0.publicKey == claim.publicKey && $0.role == claim.role && Set($0.roles ?? []) == Set(roles) && Set($0.scopes ?? []) == Set(scopes)
        }) {
            var refreshed = same
            refreshed.ts = now()
            refreshed.silent = (same.silent ?? false) && silent
            refreshed.displayName = claim.displayName ?? same.displayName
            refreshed.remoteIp = claim.remoteIp
            pending[same.requestId] = refreshed
            try files.writePending(pending)
            return (refreshed, false, [])
        }
        let sameKey = existing.filter { $0.publicKey == claim.publicKey }
        for row in existing { pending[row.requestId] = nil }
        let request = DevicePairingRequest(
            requestId: UUID().uuidString.lowercased(), deviceId: claim.deviceId, publicKey: claim.publicKey, displayName: claim.displayName,
            platform: claim.platform, deviceFamily: claim.deviceFamily, clientId: claim.clientId, clientMode: claim.clientMode, role: claim.role,
            roles: sameKey.reduce(roles) { DeviceScopes.merge($0, $1.roles) },
            scopes: sameKey.reduce(scopes) { DeviceScopes.merge($0, $1.scopes) },
            remoteIp: claim.remoteIp, silent: silent, isRepair: isRepair, ts: now()
        )
        pending[request.requestId] = request
        try files.writePending(pending)
        return (request, true, existing)
    }

    /// Approves a pending request: roles merge, the scope baseline grows by the requested scopes, and every
    /// requested role gets a fresh token (an existing one keeps `createdAtMs` and gets `rotatedAtMs`).
    /// `check` may refuse the request before anything changes.
    /// - Returns: nil for an unknown (or expired) request.
    func approve(
        _ requestId: String, check: @Sendable (DevicePairingRequest) throws -> Void = { _ in }
    ) throws -> (request: DevicePairingRequest, device: PairedDevice)? {
        var pending = try loadPending()
        guard let request = pending[requestId] else { return nil }
        try check(request)
        var paired = try readPaired()
        let timestamp = now()
        let previous = paired[request.deviceId].flatMap { $0.publicKey == request.publicKey ? $0 : nil }
        let requestedRoles = DeviceScopes.merge(request.roles, request.role.map { [$0] })
        let roles = DeviceScopes.merge(previous.map { DeviceScopes.merge($0.roles, $0.role.map { [$0] }) }, requestedRoles)
        let baseline = DeviceScopes.merge(previous.map(PairingRequirement.baseline(of:)), request.scopes)
        var tokens = previous?.tokens ?? [:]
        for role in requestedRoles {
            let old = tokens[role]
            tokens[role] = DeviceAuthToken(
                token: DeviceTokens.mint(), role: role, scopes: DeviceScopes.filter(request.scopes ?? [], role: role),
                createdAtMs: old?.createdAtMs ?? timestamp, rotatedAtMs: old == nil ? nil : timestamp, lastUsedAtMs: old?.lastUsedAtMs
            )
        }
        let device = PairedDevice(
            deviceId: request.deviceId, publicKey: request.publicKey, displayName: request.displayName ?? previous?.displayName,
            platform: request.platform, deviceFamily: request.deviceFamily, clientId: request.clientId, clientMode: request.clientMode,
            role: request.role, roles: roles, scopes: baseline, approvedScopes: baseline, remoteIp: request.remoteIp, tokens: tokens,
            createdAtMs: previous?.createdAtMs ?? timestamp, approvedAtMs: timestamp
        )
        paired[device.deviceId] = device
        pending[requestId] = nil
        try writePaired(paired)
        try files.writePending(pending)
        return (request, device)
    }

    /// - Returns: the dropped request, or nil when it was unknown.
    func reject(_ requestId: String) throws -> DevicePairingRequest? {
        var pending = try loadPending()
        guard let request = pending.removeValue(forKey: requestId) else { return nil }
        try files.writePending(pending)
        return request
    }

    /// Forgets a paired device and its tokens. - Returns: nil when it was not paired.
    func remove(_ deviceId: String) throws -> PairedDevice? {
        var paired = try readPaired()
        guard let device = paired.removeValue(forKey: deviceId) else { return nil }
        try writePaired(paired)
        return device
    }

    /// Records a connect that needed no approval: only the name, client and address follow the device.
    func recordConnect(_ claim: DeviceClaim) throws {
        var paired = try readPaired()
        guard let before = paired[claim.deviceId] else { return }
        var device = before
        device.displayName = claim.displayName ?? device.displayName
        device.clientId = claim.clientId
        device.clientMode = claim.clientMode
        device.remoteIp = claim.remoteIp
        guard device != before else { return }
        paired[claim.deviceId] = device
        try writePaired(paired)
    }

    // MARK: - Tokens

    /// Why a presented device token does not authenticate (upstream's `verifyDeviceToken` reasons).
    enum TokenFailure: String, Error {
        case deviceNotPaired = "device-not-paired"
        case roleMissing = "role-missing"
        case tokenMissing = "token-missing"
        case tokenRevoked = "token-revoked"
        case tokenMismatch = "token-mismatch"
        case scopeMismatch = "scope-mismatch"
    }

    /// Checks `token` for the device and role; on success records `lastUsedAtMs`.
    func verifyToken(deviceId: String, publicKey: String, role: String, token: String, scopes: [String]) throws -> TokenFailure? {
        var paired = try readPaired()
        guard var device = paired[deviceId], device.publicKey == publicKey else { return .deviceNotPaired }
        guard var stored = device.tokens?[role] else {
            return approvedRoles(of: device).contains(role) ? .tokenMissing : .roleMissing
        }
        guard stored.revokedAtMs == nil else { return .tokenRevoked }
        guard DeviceTokens.matches(token, stored.token) else { return .tokenMismatch }
        guard DeviceScopes.allows(stored.scopes, within: PairingRequirement.baseline(of: device)),
            DeviceScopes.allows(scopes, within: stored.scopes)
        else { return .scopeMismatch }
        // `lastUsedAtMs` to the minute: a reconnect storm must not rewrite (and fsync) paired.json per connect.
        let time = now()
        if let last = stored.lastUsedAtMs, time - last < Self.lastUsedResolutionMs { return nil }
        stored.lastUsedAtMs = time
        device.tokens?[role] = stored
        paired[deviceId] = device
        try writePaired(paired)
        return nil
    }

    /// How stale `lastUsedAtMs` may get before a successful token check writes it again.
    static let lastUsedResolutionMs = 60_000

    /// The token to hand out in `hello-ok`: the current one when it is live, inside the baseline and covers
    /// `scopes`, else a new one. - Returns: nil when the device is not paired for the role or the scopes.
    func ensureToken(deviceId: String, role: String, scopes: [String]) throws -> DeviceAuthToken? {
        var paired = try readPaired()
        guard var device = paired[deviceId], approvedRoles(of: device).contains(role) else { return nil }
        let baseline = PairingRequirement.baseline(of: device)
        guard DeviceScopes.allows(scopes, within: baseline) else { return nil }
        let existing = device.tokens?[role]
        if let existing, existing.revokedAtMs == nil, DeviceScopes.allows(existing.scopes, within: baseline),
            DeviceScopes.allows(scopes, within: existing.scopes)
        {
            return existing
        }
        let timestamp = now()
        let token = DeviceAuthToken(
            token: DeviceTokens.mint(), role: role, scopes: DeviceScopes.filter(scopes, role: role), createdAtMs: existing?.createdAtMs ?? timestamp,
            rotatedAtMs: existing == nil ? nil : timestamp
        )
        device.tokens = (device.tokens ?? [:]).merging([role: token]) { $1 }
        paired[deviceId] = device
        try writePaired(paired)
        return token
    }

    /// Replaces the token of an approved role; `scopes` (default: the current token's) must stay in the baseline.
    /// - Returns: the new token, or nil when the device, role or scopes do not allow it.
    func rotate(deviceId: String, role: String, scopes: [String]?) throws -> DeviceAuthToken? {
        var paired = try readPaired()
        guard var device = paired[deviceId], approvedRoles(of: device).contains(role) else { return nil }
        let existing = device.tokens?[role]
        let wanted = DeviceScopes.filter(scopes ?? existing?.scopes ?? [], role: role)
        guard DeviceScopes.allows(wanted, within: PairingRequirement.baseline(of: device)) else { return nil }
        let timestamp = now()
        let token = DeviceAuthToken(
            token: DeviceTokens.mint(), role: role, scopes: wanted, createdAtMs: existing?.createdAtMs ?? timestamp, rotatedAtMs: timestamp,
            lastUsedAtMs: existing?.lastUsedAtMs
        )
        device.tokens = (device.tokens ?? [:]).merging([role: token]) { $1 }
        paired[deviceId] = device
        try writePaired(paired)
        return token
    }

    /// Marks the role's token revoked (the role then needs re-approval). - Returns: nil when there is no token.
    func revoke(deviceId: String, role: String) throws -> DeviceAuthToken? {
        var paired = try readPaired()
        guard var device = paired[deviceId], var token = device.tokens?[role] else { return nil }
        token.revokedAtMs = now()
        device.tokens?[role] = token
        paired[deviceId] = device
        try writePaired(paired)
        return token
    }

    // MARK: - Support

    private func approvedRoles(of device: PairedDevice) -> Set<String> {
        Set(device.roles ?? []).union(device.role.map { [$0] } ?? [])
    }

    /// The pending file without expired rows (written back only by the next change).
    private func loadPending() throws -> [String: DevicePairingRequest] {
        let cutoff = now() - ProtocolLimits.devicePairingPendingTtlMs
        return try files.readPending().filter { $0.value.ts >= cutoff }
    }
}

extension PairedDevice {
    /// The device as methods return it: tokens without secrets, sorted by role; no approved baseline.
    var summary: PairedDeviceSummary {
        PairedDeviceSummary(
            deviceId: deviceId, publicKey: publicKey, displayName: displayName, platform: platform, deviceFamily: deviceFamily, clientId: clientId,
            clientMode: clientMode, role: role, roles: roles, scopes: scopes, remoteIp: remoteIp,
            tokens: tokens.map { tokens in
                tokens.values.sorted { $0.role < $1.role }.map {
                    DeviceTokenSummary(
                        role: $0.role, scopes: $0.scopes, createdAtMs: $0.createdAtMs, rotatedAtMs: $0.rotatedAtMs, revokedAtMs: $0.revokedAtMs,
                        lastUsedAtMs: $0.lastUsedAtMs
                    )
                }
            },
            createdAtMs: createdAtMs, approvedAtMs: approvedAtMs
        )
    }
}
