// Sources/Runtime/ControlUI/ControlUIHeaders.swift - the security headers on every Control UI answer

import HTTPTypes

/// The headers upstream puts on the UI: no framing (CSP `frame-ancestors 'none'` and
/// `X-Frame-Options: DENY`), scripts and styles from this origin only, sockets to any ws/wss.
enum ControlUIHeaders {
    static let contentSecurityPolicy = [
        "default-src 'self'", "base-uri 'self'", "object-src 'none'", "frame-ancestors 'none'", "script-src 'self'",
        "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'", "connect-src 'self' ws: wss:", "worker-src 'self'",
        "form-action 'none'",
    ].joined(separator: "; ")

    static let fields: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
        HTTPField.Name("X-Frame-Options")!: "DENY",
    ]
}
