// Sources/ProtocolGenCore/Parser/YAMLReader.swift - typed reads of Yams nodes with spec-line diagnostics

import Yams

/// Reads one YAML node of one spec file, reporting type errors at the node's line.
struct YAMLReader {
    let node: Node
    let file: String
    /// For a mapping's value, the line of its key: a block-style value starts on the line after the name it belongs to.
    var keyLine: Int? = nil

    var location: SourceLocation { SourceLocation(file: file, line: keyLine ?? node.mark?.line ?? 0) }

    /// The mapping's entries in file order, or an error when the node is not a mapping.
    func entries() throws(Diagnostic) -> [(key: String, value: YAMLReader)] {
        guard case .mapping(let mapping) = node else {
            throw .error("expected a mapping", at: location)
        }
        return try mapping.map { pair throws(Diagnostic) in
            guard let key = pair.key.string else {
                throw .error("mapping keys must be strings", at: YAMLReader(node: pair.key, file: file).location)
            }
            return (key, YAMLReader(node: pair.value, file: file, keyLine: pair.key.mark?.line))
        }
    }

    /// The value of `key`, or nil.
    func child(_ key: String) throws(Diagnostic) -> YAMLReader? {
        try entries().first { $0.key == key }?.value
    }

    /// Fails on any key not in `allowed`, so typos in the spec are caught.
    func expectKeys(_ allowed: Set<String>) throws(Diagnostic) {
        for (key, value) in try entries() where !allowed.contains(key) {
            let known = allowed.sorted().joined(separator: ", ")
            throw .error("unknown key '\(key)' (expected one of: \(known))", at: value.location)
        }
    }

    func string() throws(Diagnostic) -> String {
        guard case .scalar(let scalar) = node else { throw .error("expected a string", at: location) }
        return scalar.string
    }

    func int() throws(Diagnostic) -> Int {
        guard let value = node.int else { throw .error("expected an integer, got '\(node.string ?? "?")'", at: location) }
        return value
    }

    func bool() throws(Diagnostic) -> Bool {
        guard let value = node.bool else { throw .error("expected true or false", at: location) }
        return value
    }

    func strings() throws(Diagnostic) -> [String] {
        guard case .sequence(let sequence) = node else { throw .error("expected a list", at: location) }
        return try sequence.map { item throws(Diagnostic) in try YAMLReader(node: item, file: file).string() }
    }

    func string(_ key: String) throws(Diagnostic) -> String? { try child(key)?.string() }
    func int(_ key: String) throws(Diagnostic) -> Int? { try child(key)?.int() }
    func bool(_ key: String) throws(Diagnostic) -> Bool? { try child(key)?.bool() }

    func requiredString(_ key: String) throws(Diagnostic) -> String {
        guard let value = try string(key) else { throw .error("missing '\(key)'", at: location) }
        return value
    }

    /// Parses a type expression at `key`.
    func typeRef(_ key: String) throws(Diagnostic) -> (type: TypeRef, optional: Bool)? {
        guard let reader = try child(key) else { return nil }
        let text = try reader.string()
        guard let parsed = TypeRef.parse(text) else {
            throw .error(
                "'\(text)' is not a type (string, int, number, bool, any, [T], [string: T], a TypeName, each optionally ending in ?)", at: reader.location)
        }
        return parsed
    }
}
