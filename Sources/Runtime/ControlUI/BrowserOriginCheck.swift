// Sources/Runtime/ControlUI/BrowserOriginCheck.swift - may this browser page open a Control UI socket?

import Foundation

/// Upstream's browser-origin rule for every socket whose upgrade carries a browser `Origin`: the page's
/// origin must be in `gateway.controlUi.allowedOrigins` (or `*` is), or be the gateway's own private/loopback
/// host, or be a loopback origin while the socket itself comes straight from loopback, or (only with
/// `dangerouslyAllowHostHeaderOriginFallback`) match the `Host` header.
struct BrowserOriginCheck {
    /// Upstream's refusal text; the handshake sends it as the error and the 1008 close reason.
    static let refusal = "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)"

    var allowedOrigins: [String]
    /// Whether the socket's peer is loopback with no forwarding headers.
    var isLocalClient: Bool
    /// `gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback`: an origin whose host is the `Host` header passes.
    var allowHostHeaderFallback = false

    /// The `Origin` of a browser page, or nil when the upgrade has none. `ws://`/`wss://` origins are not
    /// browsers' (no page has one): WebSocket libraries such as swift-websocket send them on their own.
    static func browserOrigin(_ raw: String?) -> String? {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty else { return nil }
        let scheme = text.prefix { $0 != ":" }.lowercased()
        return scheme == "ws" || scheme == "wss" ? nil : text
    }

    /// Nil when allowed, else why not (`origin missing or invalid`, `origin not allowed`).
    func failure(origin rawOrigin: String?, host rawHost: String?) -> String? {
        guard let origin = Self.parse(rawOrigin) else { return "origin missing or invalid" }
        let allow = Set(allowedOrigins.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        if allow.contains("*") || allow.contains(origin.origin) { return nil }
        let host = rawHost?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if !host.isEmpty && origin.host == host && Self.isTrustedSameOriginHost(origin.hostname, isLocalClient: isLocalClient) { return nil }
        if isLocalClient && Self.isLoopback(origin.hostname) { return nil }
        if allowHostHeaderFallback && !host.isEmpty && origin.host == host { return nil }
        return "origin not allowed"
    }

    struct Origin: Equatable {
        var origin: String
        var host: String
        var hostname: String
    }

    /// `scheme://host[:port]`, lowercased; nil for a missing, `null` or unparsable origin.
    static func parse(_ raw: String?) -> Origin? {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty, text != "null", let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            let hostname = url.host?.lowercased(), !hostname.isEmpty
        else { return nil }
        let bracketed = hostname.contains(":") && !hostname.hasPrefix("[") ? "[\(hostname)]" : hostname
        let host = url.port.map { "\(bracketed):\($0)" } ?? bracketed
        return Origin(origin: "\(scheme)://\(host)", host: host, hostname: hostname.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
    }

    static func isLoopback(_ hostname: String) -> Bool {
        hostname == "localhost" || hostname == "::1" || hostname.hasPrefix("127.") || hostname.hasSuffix(".localhost")
    }

    /// Same-origin pages are trusted on loopback (from a local client), private IPs, `.local` and `.ts.net`.
    static func isTrustedSameOriginHost(_ hostname: String, isLocalClient: Bool) -> Bool {
        if isLoopback(hostname) { return isLocalClient }
        let octets = hostname.split(separator: ".").compactMap { UInt8($0) }
        if octets.count == 4 {
            return octets[0] == 10 || (octets[0] == 172 && (16...31).contains(octets[1])) || (octets[0] == 192 && octets[1] == 168)
        }
        if hostname.contains(":") { return hostname.hasPrefix("fc") || hostname.hasPrefix("fd") || hostname.hasPrefix("fe80") }
        return hostname.hasSuffix(".local") || hostname.hasSuffix(".ts.net")
    }
}
