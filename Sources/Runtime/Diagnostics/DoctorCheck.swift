// Sources/Runtime/Diagnostics/DoctorCheck.swift - one `openclaw doctor` finding: status, message, fix hint, whether fixed

import Foundation
import Generated

/// One line of `openclaw doctor`.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, warn, error
    }

    /// Stable id for scripts: `config`, `gateway-token`, `service`, `port`, `state-dir`, `lock`.
    public var id: String
    public var status: Status
    public var message: String
    /// What to run (or what `--fix` does) when not ok.
    public var fix: String?
    /// Set when a repair was attempted: true when it succeeded.
    public var fixed: Bool?

    public init(id: String, status: Status, message: String, fix: String? = nil, fixed: Bool? = nil) {
        self.id = id
        self.status = status
        self.message = message
        self.fix = fix
        self.fixed = fixed
    }

    /// Still a problem after this run: an error that was not repaired.
    public var isOutstandingError: Bool { status == .error && fixed != true }

    /// `ok    config: …` plus an indented `fix:` / `fixed:` line.
    public func lines() -> [String] {
        var out = ["\(status.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(id): \(message)"]
        switch fixed {
        case .some(true): out.append("      fixed: " + (fix ?? "repaired"))
        case .some(false): out.append("      fix failed: " + (fix ?? ""))
        case .none: if let fix, status != .ok { out.append("      fix: " + fix) }
        }
        return out
    }

    public func json() -> JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "status": .string(status.rawValue), "message": .string(message)]
        if let fix { members["fix"] = .string(fix) }
        if let fixed { members["fixed"] = .bool(fixed) }
        return .object(members)
    }
}
