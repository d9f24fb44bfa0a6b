// Sources/Runtime/Devices/PairingRequirement.swift - does a signed connect need (re-)approval, and why

import Generated

/// Why a signed device must be approved before it may connect (`details.reason` of NOT_PAIRED).
enum PairingReason: String, Sendable {
    case notPaired = "not-paired"
    case metadataUpgrade = "metadata-upgrade"
    case roleUpgrade = "role-upgrade"
    case scopeUpgrade = "scope-upgrade"

    /// What is missing, as the v4 message says it (`pairing required: <requirement>`; upstream's words, which
    /// clients match).
    var requirement: String {
        switch self {
        case .notPaired: "device is not approved yet"
        case .roleUpgrade: "device is asking for a higher role than currently approved"
        case .scopeUpgrade: "device is asking for more scopes than currently approved"
        case .metadataUpgrade: "device identity changed and must be re-approved"
        }
    }

    /// What the operator should do (`details.remediationHint`, v4).
    var remediationHint: String {
        switch self {
        case .notPaired: "Approve this device's pending request (openclaw devices approve <requestId>)."
        case .roleUpgrade: "Review the requested role, then approve the pending request."
        case .scopeUpgrade: "Review the requested scopes, then approve the pending request."
        case .metadataUpgrade: "Review the device's new platform details, then approve the pending request."
        }
    }
}

/// What a connecting device claims, as the pairing checks see it.
struct DeviceClaim: Sendable {
    var deviceId: String
    var publicKey: String
    var displayName: String?
    var platform: String?
    var deviceFamily: String?
    var clientId: String
    var clientMode: String
    var role: String
    var scopes: [String]
    /// Absent for local clients, as upstream records it.
    var remoteIp: String?
}

/// Upstream's triggers in upstream's order: identity, metadata, role, scopes (reference/pairing.md §1.2).
enum PairingRequirement {
    /// - Returns: nil when `record` already covers the claim.
    static func reason(for claim: DeviceClaim, record: PairedDevice?) -> PairingReason? {
        guard let record, record.publicKey == claim.publicKey else { return .notPaired }
        if pinnedDiffers(record.platform, claim.platform) || pinnedDiffers(record.deviceFamily, claim.deviceFamily) {
            return .metadataUpgrade
        }
        guard effectiveRoles(of: record).contains(claim.role) else { return .roleUpgrade }
        if !claim.scopes.isEmpty && !DeviceScopes.allows(claim.scopes, within: baseline(of: record)) { return .scopeUpgrade }
        return nil
    }

    /// Approved roles that still hold a token that is not revoked; tokenless rows have none.
    static func effectiveRoles(of record: PairedDevice) -> Set<String> {
        let approved = Set(record.roles ?? []).union(record.role.map { [$0] } ?? [])
        return approved.filter { role in record.tokens?[role].map { $0.revokedAtMs == nil } ?? false }
    }

    /// The scopes new requests are checked against.
    static func baseline(of record: PairedDevice) -> [String] {
        record.approvedScopes ?? record.scopes ?? []
    }

    /// A pinned value (trimmed, lowercased) that the claim does not repeat.
    private static func pinnedDiffers(_ pinned: String?, _ claimed: String?) -> Bool {
        let pin = DevicePayload.normalize(pinned)
        return !pin.isEmpty && pin != DevicePayload.normalize(claimed)
    }
}
