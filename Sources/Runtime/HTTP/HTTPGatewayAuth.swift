// Sources/Runtime/HTTP/HTTPGatewayAuth.swift - the gateway's shared secret on HTTP routes

import Foundation
import HTTPTypes
import Hummingbird

/// Why an HTTP request was not let in; each route renders it in its own error shape.
struct HTTPAuthDenial: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var message: String
    var type: String
    /// Seconds, for `Retry-After` on 429.
    var retryAfter: Int?

    static let unauthorized = HTTPAuthDenial(status: .unauthorized, message: "Unauthorized", type: "unauthorized")

    static func rateLimited(afterMs: Int) -> HTTPAuthDenial {
        HTTPAuthDenial(
            status: .tooManyRequests, message: "Too many failed authentication attempts. Please try again later.", type: "rate_limited",
            retryAfter: max(1, (afterMs + 999) / 1000)
        )
    }
}

/// `Authorization: Bearer <token or password>` against `gateway.auth`, compared in constant time,
/// with the same failed-attempt limiter as WebSocket connects (only wrong secrets count).
struct HTTPGatewayAuth: Sendable {
    let hub: GatewayHub

    func check(_ request: Request, context: GatewayRequestContext) -> HTTPAuthDenial? {
        let caller = HTTPCaller.resolve(request, context: context, trustedProxies: hub.trustedProxies)
        let limiter = hub.authLimiter
        if let wait = limiter.retryAfterMs(address: caller.ip, isLoopback: caller.isDirectLoopback) {
            return .rateLimited(afterMs: wait)
        }
        let presented = Self.bearer(request.headers)
        let expected: String
        switch hub.settings.auth {
        case .none:
            return nil
        case .trustedProxy:
            return .unauthorized
        case .token(let token): expected = token
        case .password(let password): expected = password
        }
        guard let presented, !presented.isEmpty, !expected.isEmpty else { return .unauthorized }
        guard SharedSecretAuth.constantTimeEquals(presented, expected) else {
            limiter.recordFailure(address: caller.ip, isLoopback: caller.isDirectLoopback)
            if let wait = limiter.retryAfterMs(address: caller.ip, isLoopback: caller.isDirectLoopback) { return .rateLimited(afterMs: wait) }
            return .unauthorized
        }
        limiter.recordSuccess(address: caller.ip)
        return nil
    }

    /// The credential of `Authorization: Bearer …` (scheme case-insensitive).
    static func bearer(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
