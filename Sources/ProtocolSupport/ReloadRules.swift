// Sources/ProtocolSupport/ReloadRules.swift - classifying a changed config path by the generated rule table

/// How a change at a config path is applied.
public enum ReloadKind: String, Sendable, Hashable {
    /// Consumers re-read the value live; nothing to do.
    case none
    /// Applied in process by a named action.
    case hot
    /// Needs a gateway restart.
    case restart
}

/// One rule: a config path prefix and what a change below it needs.
public struct ReloadRule: Sendable, Hashable {
    public var prefix: String
    public var kind: ReloadKind
    public var action: String?

    public init(prefix: String, kind: ReloadKind, action: String? = nil) {
        self.prefix = prefix
        self.kind = kind
        self.action = action
    }

    /// The prefix equals the path or is followed in it by a `.`.
    public func matches(_ path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix) && path.dropFirst(prefix.count).first == "."
    }
}

extension Array where Element == ReloadRule {
    /// The longest matching prefix wins; an unmatched path needs a restart.
    public func classify(_ path: String) -> ReloadRule {
        var best: ReloadRule?
        for rule in self where rule.matches(path) {
            if best == nil || rule.prefix.count > best!.prefix.count { best = rule }
        }
        return best ?? ReloadRule(prefix: path, kind: .restart)
    }
}
