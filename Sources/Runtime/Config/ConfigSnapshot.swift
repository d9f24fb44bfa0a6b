// Sources/Runtime/Config/ConfigSnapshot.swift - the redacted view of the config file that `config.get` and `openclaw config get` show

import Crypto
import Foundation
import Generated

/// Secrets (keys flagged `secret` in the spec, `ConfigSchema.secretPaths`) never leave the gateway:
/// they are replaced by `sentinel`, and a write that sends the sentinel back keeps the stored value.
public enum ConfigRedaction {
    /// Upstream's marker for a redacted value.
    public static let sentinel = "__OPENCLAW_REDACTED__"

    /// The tree with every secret path that holds a value replaced by the sentinel.
    public static func redact(_ tree: JSONValue, paths: Set<String> = ConfigSchema.secretPaths) -> JSONValue {
        var out = tree
        for path in paths { out = replacing(at: components(path)[...], in: out) { _ in .string(sentinel) } }
        return out
    }

    /// The text with every string value found at a secret path of `trees` replaced by the sentinel,
    /// so `raw` can be shown without parsing it again (comments and layout stay). Quoted literals are
    /// always replaced; bare occurrences (e.g. in a comment) only for values of 8+ characters, so a
    /// short secret cannot mangle unrelated text.
    public static func redact(text: String, trees: [JSONValue], paths: Set<String> = ConfigSchema.secretPaths) -> String {
        var secrets: Set<String> = []
        for tree in trees {
            for path in paths {
                // A secret is a string, or an object of strings (`diagnostics.otel.headers`).
                guard let found = value(at: path, in: tree) else { continue }
                for case .string(let value) in [found] + (found.objectValue.map { Array($0.values) } ?? []) where !value.isEmpty && value != sentinel {
                    secrets.insert(value)
                }
            }
        }
        var out = text
        // Longest first, so a secret that contains another is replaced whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            let escaped = (try? String(decoding: JSONEncoder().encode(secret), as: UTF8.self).dropFirst().dropLast()).map(String.init) ?? secret
            for form in Set([secret, escaped]) {
                out = out.replacingOccurrences(of: "\"" + form + "\"", with: "\"" + sentinel + "\"")
                out = out.replacingOccurrences(of: "'" + form + "'", with: "'" + sentinel + "'")
                if form.count >= 8 { out = out.replacingOccurrences(of: form, with: sentinel) }
            }
        }
        return out
    }

    /// Puts stored values back wherever the new tree carries the sentinel.
    /// - Throws: the dotted path of a sentinel that has no stored value to restore.
    public static func restore(_ tree: JSONValue, from stored: JSONValue, prefix: String = "") throws(RestoreError) -> JSONValue {
        switch tree {
        case .string(sentinel):
            guard let original = value(at: prefix, in: stored), original != .string(sentinel) else { throw RestoreError(path: prefix) }
            return original
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, value) in members { out[key] = try restore(value, from: stored, prefix: prefix.isEmpty ? key : prefix + "." + key) }
            return .object(out)
        default:
            return tree
        }
    }

    public struct RestoreError: Error, Sendable {
        public var path: String
    }

    public static func value(at path: String, in tree: JSONValue) -> JSONValue? {
        var node: JSONValue? = tree
        for key in components(path) { node = node?[key] }
        return node
    }

    private static func components(_ path: String) -> [String] { path.split(separator: ".").map(String.init) }

    private static func replacing(at path: ArraySlice<String>, in tree: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard let key = path.first else {
            if case .null = tree { return tree }
            return transform(tree)
        }
        guard case .object(var members) = tree, let child = members[key] else { return tree }
        members[key] = replacing(at: path.dropFirst(), in: child, transform)
        return .object(members)
    }
}

/// Reads the config file into the shape of `config.get`.
public struct ConfigSnapshotReader: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    /// sha256 hex of the file bytes, the `hash`/`baseHash` of the config RPC.
    public static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The file's bytes, or nil when there is no file.
    public static func read(_ path: String) -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return FileManager.default.contents(atPath: path)
    }

    /// Parses JSON5 text into a tree (no `${VAR}` substitution), or nil.
    public static func parseTree(_ data: Data) -> JSONValue? {
        try? JSON5Text.decode(data.isEmpty ? Data("{}".utf8) : data)
    }

    /// The redacted snapshot of the file at `path`.
    public func snapshot(path: String) -> ConfigSnapshot {
        guard let data = Self.read(path) else {
            return ConfigSnapshot(
                path: path, exists: false, raw: nil, parsed: .object([:]), valid: true, config: .object([:]), hash: nil,
                issues: [], warnings: [], legacyIssues: []
            )
        }
        let parsed = Self.parseTree(data)
        var issues: [ConfigIssue] = []
        var config: JSONValue = .object([:])
        var resolved: JSONValue?
        do {
            let loaded = try ConfigLoader(environment: environment).parse(data, path: path)
            resolved = loaded.tree
            if let encoded = try? JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(loaded.config))) { config = encoded }
        } catch {
            issues = error.issues.map(Self.issue)
        }
        let text = String(decoding: data, as: UTF8.self)
        let raw = ConfigRedaction.redact(text: text, trees: [parsed, resolved].compactMap { $0 })
        return ConfigSnapshot(
            path: path, exists: true, raw: raw, parsed: parsed.map { ConfigRedaction.redact($0) } ?? .null, valid: issues.isEmpty,
            config: ConfigRedaction.redact(config), hash: Self.hash(data), issues: issues, warnings: [], legacyIssues: []
        )
    }

    /// `gateway.port: must be …` → `{path: "gateway.port", message: "must be …"}`.
    public static func issue(_ line: String) -> ConfigIssue {
        guard let range = line.range(of: ": ") else { return ConfigIssue(path: "<root>", message: line) }
        return ConfigIssue(path: String(line[..<range.lowerBound]), message: String(line[range.upperBound...]))
    }
}
