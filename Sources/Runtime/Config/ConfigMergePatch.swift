// Sources/Runtime/Config/ConfigMergePatch.swift - JSON merge patch (RFC 7396) for config.patch

import Generated

/// Merge patches over config trees (`changedPaths` come from `ConfigDiff`, the reloader's own diff).
public enum ConfigMergePatch {
    /// RFC 7396: objects merge recursively, `null` deletes the key, anything else (arrays included) replaces.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var members = target.objectValue ?? [:]
        for (key, value) in changes {
            if case .null = value {
                members.removeValue(forKey: key)
            } else {
                members[key] = apply(value, to: members[key] ?? .null)
            }
        }
        return .object(members)
    }
}
