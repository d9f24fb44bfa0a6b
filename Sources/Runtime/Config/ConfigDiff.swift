// Sources/Runtime/Config/ConfigDiff.swift - which config paths changed between two trees (reference/ops.md §4.2)

import Generated

/// Leaf paths that differ between two config trees, as upstream's reloader computes them: recursive over
/// objects; arrays compared element by element, any difference marking the whole array's path; a replaced
/// root is `<root>`.
public enum ConfigDiff {
    public static func changedPaths(_ old: JSONValue, _ new: JSONValue) -> [String] {
        var paths: [String] = []
        walk(old, new, prefix: "", into: &paths)
        return paths
    }

    private static func walk(_ old: JSONValue?, _ new: JSONValue?, prefix: String, into paths: inout [String]) {
        if old == new { return }
        if case .object(let before)? = old, case .object(let after)? = new {
            for key in Set(before.keys).union(after.keys).sorted() {
                walk(before[key], after[key], prefix: prefix.isEmpty ? key : prefix + "." + key, into: &paths)
            }
            return
        }
        paths.append(prefix.isEmpty ? "<root>" : prefix)
    }
}
