// Sources/Runtime/HTTP/Hooks/HooksAuth.swift - the hooks' own token and failed-attempt limiter

import HTTPTypes
import Hummingbird

/// Hooks authenticate with `hooks.token`, not the gateway's secret: `Authorization: Bearer`
/// (when non-empty) else `X-OpenClaw-Token`, compared in constant time. Failures are limited per
/// client IP by a limiter of their own (20 in 60 s → 60 s lockout; loopback counts too, because
/// webhook senders are often local relays), and a success clears the count.
struct HooksAuth: Sendable {
    static let limit = AuthRateLimit(maxAttempts: 20, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false)

    let limiter: AuthRateLimiter

    init() {
        limiter = AuthRateLimiter(limit: Self.limit)
    }

    /// nil when the request may proceed, else the 401/429 to send.
    func check(_ request: Request, token: String, caller: HTTPCaller) -> Response? {
        if let wait = limiter.retryAfterMs(address: caller.ip, isLoopback: caller.isDirectLoopback) {
            return HooksResponse.tooManyRequests(retryAfterMs: wait)
        }
        guard let presented = Self.presented(request.headers), SharedSecretAuth.constantTimeEquals(presented, token) else {
            limiter.recordFailure(address: caller.ip, isLoopback: caller.isDirectLoopback)
            return HooksResponse.unauthorized
        }
        limiter.recordSuccess(address: caller.ip)
        return nil
    }

    static func presented(_ headers: HTTPFields) -> String? {
        if let bearer = HTTPGatewayAuth.bearer(headers), !bearer.isEmpty { return bearer }
        let header = headers[HTTPField.Name("X-OpenClaw-Token")!]?.trimmingCharacters(in: .whitespaces)
        return header?.isEmpty == false ? header : nil
    }
}
