// Sources/Runtime/HTTP/HTTPGatewayAuth.swift - the gateway's shared secret on HTTP routes

import Foundation
import Generated
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
        // The bearer value stands for whichever secret the mode uses, checked as `connect` checks it.
        let presented = Self.bearer(request.headers)
        guard let reason = SharedSecretAuth(policy: hub.settings.auth).check(ConnectAuth(token: presented, password: presented)) else {
            limiter.recordSuccess(address: caller.ip)
            return nil
        }
        // The failure that reaches the limit is still answered 401 (as `connect` and upstream's HTTP auth answer
        // it); the lockout shows from the next attempt on.
        if reason.countsAsFailure { limiter.recordFailure(address: caller.ip, isLoopback: caller.isDirectLoopback) }
        return .unauthorized
    }

    /// The credential of `Authorization: Bearer …` (scheme case-insensitive).
    static func bearer(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
