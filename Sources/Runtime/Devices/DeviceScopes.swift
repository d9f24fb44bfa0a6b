// Sources/Runtime/Devices/DeviceScopes.swift - which scopes a role may hold, and whether a baseline covers a request

/// Scope rules of device pairing (reference/pairing.md §1.2, §2.1).
enum DeviceScopes {
    static let operatorPrefix = "operator."

    /// Scopes a token of `role` may carry: operators keep only `operator.*`, other roles drop them.
    static func filter(_ scopes: [String], role: String) -> [String] {
        let kept = scopes.filter { role == "operator" ? $0.hasPrefix(operatorPrefix) : !$0.hasPrefix(operatorPrefix) }
        return Array(Set(kept)).sorted()
    }

    /// Whether `allowed` covers every scope in `requested`: admin covers every operator scope, write covers read.
    static func allows(_ requested: [String], within allowed: [String]) -> Bool {
        let allowed = Set(allowed)
        return requested.allSatisfy { scope in
            if allowed.contains(scope) { return true }
            if scope.hasPrefix(operatorPrefix) && allowed.contains(Grant.adminScope) { return true }
            return scope == "operator.read" && allowed.contains("operator.write")
        }
    }

    /// The first scope that does not fit any of `roles` (an `operator.*` scope without the operator role, or
    /// another scope with only the operator role); nil when all fit.
    static func misfit(_ scopes: [String], roles: [String]) -> String? {
        scopes.first { scope in
            scope.hasPrefix(operatorPrefix) ? !roles.contains("operator") : roles.allSatisfy { $0 == "operator" }
        }
    }

    /// Sorted union without duplicates.
    static func merge(_ lhs: [String]?, _ rhs: [String]?) -> [String] {
        Array(Set((lhs ?? []) + (rhs ?? []))).sorted()
    }
}
