// Sources/Runtime/Auth/DeviceTokenAuth.swift - a signed device authenticating with its own device token

import Generated

/// The third auth step of `connect` (reference/pairing.md §2.2): tried only when the shared secret failed and a
/// signed `device` is present. The candidate is `auth.deviceToken` ("explicit"), else `auth.token` (a fallback
/// whose failure keeps the shared-secret reason). Failures count in their own rate-limit bucket.
struct DeviceTokenAuth {
    let hub: GatewayHub
    let peer: PeerAddress

    enum Outcome: Equatable {
        /// No candidate token was sent.
        case notAttempted
        case authenticated
        /// The fallback candidate (`auth.token`) is not a device token either; the shared-secret failure stands.
        case fallbackFailed
        /// An explicit device token failed: `device_token_mismatch`, or `rate_limited` with the wait.
        case failed(AuthFailureReason, retryAfterMs: Int?)
    }

    func check(_ params: ConnectParams, device: ConnectDevice, role: String) async throws -> Outcome {
        let explicit = params.auth?.deviceToken
        guard let candidate = explicit ?? params.auth?.token, !candidate.isEmpty else { return .notAttempted }
        let limiter = hub.deviceTokenLimiter
        if let retryAfter = limiter.retryAfterMs(address: peer.ip, isLoopback: peer.isDirectLoopback) {
            return explicit != nil ? .failed(.rateLimited, retryAfterMs: retryAfter) : .fallbackFailed
        }
        let failure = try await hub.devices.verifyToken(
            deviceId: device.id, publicKey: device.publicKey, role: role, token: candidate, scopes: params.scopes ?? []
        )
        guard let failure else {
            limiter.recordSuccess(address: peer.ip)
            return .authenticated
        }
        hub.logger.debug("device token rejected", metadata: ["deviceId": "\(device.id)", "reason": "\(failure.rawValue)", "explicit": "\(explicit != nil)"])
        guard explicit != nil else { return .fallbackFailed }
        limiter.recordFailure(address: peer.ip, isLoopback: peer.isDirectLoopback)
        return .failed(.deviceTokenMismatch, retryAfterMs: nil)
    }
}
