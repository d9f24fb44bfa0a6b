// Sources/Runtime/Diagnostics/Doctor.swift - runs the `openclaw doctor` checks in order; repairs only with --fix

import Foundation
import Generated

/// What `openclaw doctor` was asked to do.
public struct DoctorRequest: Sendable {
    public var environment: [String: String]
    /// `--fix`, `--repair` or `--yes`: apply repairs. Without it nothing is written.
    public var fix: Bool
    /// `--generate-gateway-token`: with `fix`, write a new `gateway.auth.token` when token auth has none.
    public var generateGatewayToken: Bool
    /// `--non-interactive`: only safe repairs (the service file is not rewritten).
    public var nonInteractive: Bool

    public init(environment: [String: String], fix: Bool = false, generateGatewayToken: Bool = false, nonInteractive: Bool = false) {
        self.environment = environment
        self.fix = fix
        self.generateGatewayToken = generateGatewayToken
        self.nonInteractive = nonInteractive
    }
}

/// The checks of reference/ops.md §6.4 that apply to this gateway.
public struct Doctor: Sendable {
    public var options: DoctorRequest

    public init(options: DoctorRequest) {
        self.options = options
    }

    /// Runs every check (config first: later checks resolve through the possibly repaired config).
    public func run() async -> [DoctorCheck] {
        var checks = [checkConfig()]
        let local = LocalResolution(environment: options.environment)
        checks.append(checkGatewayToken(local))
        checks.append(await checkService(local))
        checks.append(checkPort(local))
        checks.append(checkStateDir(local))
        checks.append(checkLock(local))
        return checks
    }

    /// `{ok, checks:[…]}`; ok is false while an error remains.
    public static func json(_ checks: [DoctorCheck]) -> JSONValue {
        .object(["ok": .bool(!checks.contains { $0.isOutstandingError }), "checks": .array(checks.map { $0.json() })])
    }
}
