// Sources/Runtime/Auth/SharedSecretAuth.swift - token / password checks and upstream's failure wording

import Crypto
import Foundation
import Generated

/// Why a shared-secret check failed (upstream's `reason` values).
enum AuthFailureReason: String, Sendable {
    case tokenMissing = "token_missing"
    case tokenMismatch = "token_mismatch"
    case tokenMissingConfig = "token_missing_config"
    case passwordMissing = "password_missing"
    case passwordMismatch = "password_mismatch"
    case passwordMissingConfig = "password_missing_config"
    case rateLimited = "rate_limited"
    case unauthorized = "unauthorized"
    /// An explicit `auth.deviceToken` that is not the device's live token for the role.
    case deviceTokenMismatch = "device_token_mismatch"

    var detailCode: ErrorDetailCode {
        switch self {
        case .tokenMissing: .authTokenMissing
        case .tokenMismatch: .authTokenMismatch
        case .tokenMissingConfig: .authTokenNotConfigured
        case .passwordMissing: .authPasswordMissing
        case .passwordMismatch: .authPasswordMismatch
        case .passwordMissingConfig: .authPasswordNotConfigured
        case .rateLimited: .authRateLimited
        case .unauthorized: .authUnauthorized
        case .deviceTokenMismatch: .authDeviceTokenMismatch
        }
    }

    /// What the client should do next (`details.recommendedNextStep`).
    var recommendedNextStep: String {
        switch self {
        case .tokenMissing, .tokenMissingConfig, .passwordMissing, .passwordMissingConfig: "update_auth_configuration"
        case .tokenMismatch, .passwordMismatch, .deviceTokenMismatch: "update_auth_credentials"
        case .rateLimited: "wait_then_retry"
        case .unauthorized: "review_auth_configuration"
        }
    }

    /// Counts toward the failed-attempt limit (a wrong secret does; a missing one does not).
    var countsAsFailure: Bool { self == .tokenMismatch || self == .passwordMismatch || self == .deviceTokenMismatch }
}

/// Checks the shared secret a client sent.
struct SharedSecretAuth {
    let policy: AuthPolicy

    /// - Returns: nil when the client may proceed.
    func check(_ auth: ConnectAuth?) -> AuthFailureReason? {
        switch policy {
        case .none:
            return nil
        case .trustedProxy:
            return .unauthorized
        case .token(let expected):
            guard !expected.isEmpty else { return .tokenMissingConfig }
            guard let token = auth?.token, !token.isEmpty else { return .tokenMissing }
            return Self.constantTimeEquals(token, expected) ? nil : .tokenMismatch
        case .password(let expected):
            guard !expected.isEmpty else { return .passwordMissingConfig }
            guard let password = auth?.password, !password.isEmpty else { return .passwordMissing }
            return Self.constantTimeEquals(password, expected) ? nil : .passwordMismatch
        }
    }

    /// Compares SHA-256 digests so the time taken does not depend on where the inputs differ, or on their lengths.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        SHA256.hash(data: Data(lhs.utf8)) == SHA256.hash(data: Data(rhs.utf8))
    }

    /// Upstream's message, with the hint that fits the client.
    static func message(for reason: AuthFailureReason, client: ConnectClient) -> String {
        let isCli = client.mode == .cli
        let isBrowser = client.id == .openclawControlUi || client.id == .webchatUi || client.mode == .webchat
        let tokenHint =
            isCli
            ? "set gateway.remote.token to match gateway.auth.token"
            : isBrowser ? "open the dashboard URL and paste the token in Control UI settings" : "provide gateway auth token"
        let passwordHint =
            isCli
            ? "set gateway.remote.password to match gateway.auth.password"
            : isBrowser ? "enter the password in Control UI settings" : "provide gateway auth password"
        switch reason {
        case .tokenMissing: return "unauthorized: gateway token missing (\(tokenHint))"
        case .tokenMismatch: return "unauthorized: gateway token mismatch (\(tokenHint))"
        case .tokenMissingConfig: return "unauthorized: gateway token not configured on gateway (set gateway.auth.token)"
        case .passwordMissing: return "unauthorized: gateway password missing (\(passwordHint))"
        case .passwordMismatch: return "unauthorized: gateway password mismatch (\(passwordHint))"
        case .passwordMissingConfig: return "unauthorized: gateway password not configured on gateway (set gateway.auth.password)"
        case .rateLimited: return "unauthorized: too many failed authentication attempts (retry later)"
        case .unauthorized: return "unauthorized"
        case .deviceTokenMismatch: return "unauthorized: device token mismatch (rotate/reissue device token)"
        }
    }
}
