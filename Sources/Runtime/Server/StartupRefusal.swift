// Sources/Runtime/Server/StartupRefusal.swift - why `gateway run` will not start, in upstream's words

/// A start-up refusal: the lines to print and the exit status (reference/ops.md §5).
public struct StartupRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var lines: [String]
    public var exitCode: Int32

    public init(_ lines: [String], exitCode: Int32 = 1) {
        self.lines = lines
        self.exitCode = exitCode
    }

    public var description: String { lines.joined(separator: "\n") }

    static let invalidPort = StartupRefusal(["Invalid port"])
    static let invalidBind = StartupRefusal([#"Invalid --bind (use "loopback", "lan", "tailnet", "auto", or "custom")"#])
    static let invalidAuth = StartupRefusal([#"Invalid --auth (use "none", "token", "password", or "trusted-proxy")"#])
    static let passwordTwice = StartupRefusal(["Use either --password or --password-file."])
    static let missingConfig = StartupRefusal(
        ["Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured)."]
    )

    static func missingMode(auditPath: String) -> StartupRefusal {
        StartupRefusal([
            "Gateway start blocked: existing config is missing gateway.mode. Treat this as suspicious or clobbered config. Re-run `openclaw onboard --mode local` or `openclaw setup`, set gateway.mode=local manually, or pass --allow-unconfigured.",
            "Config write audit: \(auditPath)",
        ])
    }

    static func wrongMode(_ mode: String, auditPath: String) -> StartupRefusal {
        StartupRefusal([
            "Gateway start blocked: set gateway.mode=local (current: \(mode)) or pass --allow-unconfigured.",
            "Config write audit: \(auditPath)",
        ])
    }

    static let passwordMissing = StartupRefusal([
        "Gateway auth is set to password, but no password is configured.",
        "Set gateway.auth.password (or OPENCLAW_GATEWAY_PASSWORD), or pass --password.",
    ])

    static func refusingBind(_ bind: String, hints: [String]) -> StartupRefusal {
        StartupRefusal(
            [
                "Refusing to bind gateway to \(bind) without auth.",
                "Set gateway.auth.token/password (or OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD) or pass --token/--password.",
            ] + hints
        )
    }

    /// A non-loopback bind with the Control UI on must name the browser origins it trusts (reference/http.md §5).
    static let controlUiNeedsOrigins = StartupRefusal([
        "Gateway failed to start: Error: non-loopback Control UI requires gateway.controlUi.allowedOrigins (set explicit origins), or set gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback=true to use Host-header origin fallback mode"
    ])

    /// Another process holds the port. Exit 0 so supervisors do not crash-loop, as upstream.
    static func alreadyListening(host: String, port: Int) -> StartupRefusal {
        StartupRefusal(
            [
                "Gateway failed to start: GatewayLockError: another gateway instance is already listening on ws://\(URLHost.format(host)):\(port)",
                "If the gateway is supervised, stop it with: openclaw gateway stop",
            ],
            exitCode: 0
        )
    }

    static func failed(_ message: String) -> StartupRefusal {
        StartupRefusal(["Gateway failed to start: \(message)"])
    }
}

/// Formats hosts for URLs (`[::1]`).
enum URLHost {
    static func format(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
