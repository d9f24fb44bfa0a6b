// Sources/Runtime/Auth/ScopePolicy.swift - who may call what (reference/protocol.md §7)

import Generated

/// The role and scopes a connection holds, and the rules that decide a call.
struct Grant: Sendable, Equatable {
    var role: String
    var scopes: Set<String>

    static let adminScope = "operator.admin"

    /// - Returns: nil when allowed, else the denial message.
    func authorize(method name: String) -> String? {
        if name == GatewayMethod.health.rawValue { return nil }
        if role == "node" {
            return ScopeRules.nodeMethods.contains(name) ? nil : "unauthorized role: node"
        }
        if ScopeRules.nodeMethods.contains(name) { return "unauthorized role: \(role)" }
        if scopes.contains(Self.adminScope) { return nil }
        let required: MethodScope
        if ScopeRules.adminPrefixes.contains(where: name.hasPrefix) {
            required = .admin
        } else {
            required = GatewayMethod(rawValue: name)?.scope ?? .admin
        }
        return allows(required) ? nil : "missing scope: \(required.operatorScope ?? Self.adminScope)"
    }

    /// Whether the grant satisfies a scope (admin satisfies all; write satisfies read).
    func allows(_ scope: MethodScope) -> Bool {
        switch scope {
        case .none: return true
        case .node: return role == "node"
        case .read: return scopes.contains("operator.read") || scopes.contains("operator.write") || scopes.contains(Self.adminScope)
        default: return scopes.contains(Self.adminScope) || scope.operatorScope.map(scopes.contains) == true
        }
    }

    /// Whether an event with this gate may reach the connection (nodes never get operator-gated events).
    func receives(_ event: GatewayEvent) -> Bool {
        switch event.scope {
        case .none: return true
        case .node: return role == "node"
        default: return role != "node" && allows(event.scope)
        }
    }
}
