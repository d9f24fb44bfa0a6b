// Sources/Runtime/Config/ConfigIncludes.swift - `$include` in config files (reference/ops.md §1.3)

import Foundation
import Generated

/// Resolves `{"$include": "./x.json5"}` (or an array of paths, deep-merged in order) in a parsed config tree.
/// Sibling keys override the included object. Paths resolve relative to the including file and must stay inside
/// the top-level config's directory; nesting stops at `maxDepth`. Runs before `${VAR}` substitution.
struct ConfigIncludes {
    static let key = "$include"
    static let maxDepth = 10

    /// The top-level config's directory: every include must resolve inside it.
    let root: String
    /// Every file read, the top-level config first (the reloader watches them all).
    private(set) var files: [String]

    struct Failure: Error, Equatable {
        /// The file the problem is in (the including file, or the included one for parse errors).
        var file: String
        var message: String
    }

    init(configPath: String) {
        let standardized = URL(fileURLWithPath: configPath).standardizedFileURL.path
        root = (standardized as NSString).deletingLastPathComponent
        files = [standardized]
    }

    /// `value` was read from `file`; `chain` is the include chain that led there (for cycle errors).
    mutating func resolve(_ value: JSONValue, file: String, chain: [String] = []) throws(Failure) -> JSONValue {
        let file = URL(fileURLWithPath: file).standardizedFileURL.path
        let chain = chain.isEmpty ? [file] : chain
        switch value {
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try resolve(item, file: file, chain: chain)) }
            return .array(out)
        case .object(var members):
            guard let include = members.removeValue(forKey: Self.key) else {
                var out: [String: JSONValue] = [:]
                for (key, member) in members { out[key] = try resolve(member, file: file, chain: chain) }
                return .object(out)
            }
            let targets: [String]
            switch include {
            case .string(let path): targets = [path]
            case .array(let paths):
                targets = try paths.map { (path) throws(Failure) -> String in
                    guard case .string(let path) = path else { throw Failure(file: file, message: "$include entries must be strings") }
                    return path
                }
            default: throw Failure(file: file, message: "$include must be a path or an array of paths")
            }
            var merged: JSONValue?
            for target in targets {
                let included = try load(target, from: file, chain: chain)
                merged = merged.map { Self.deepMerge($0, included) } ?? included
            }
            var siblings: [String: JSONValue] = [:]
            for (key, member) in members { siblings[key] = try resolve(member, file: file, chain: chain) }
            guard let merged else { return .object(siblings) }
            if siblings.isEmpty { return merged }
            guard case .object = merged else {
                throw Failure(file: file, message: "$include with sibling keys must yield an object")
            }
            return Self.deepMerge(merged, .object(siblings))
        default:
            return value
        }
    }

    private mutating func load(_ target: String, from file: String, chain: [String]) throws(Failure) -> JSONValue {
        let base = (file as NSString).deletingLastPathComponent
        let resolved = URL(fileURLWithPath: target.hasPrefix("/") ? target : base + "/" + target).standardizedFileURL.path
        guard resolved.hasPrefix(root + "/") else {
            throw Failure(file: file, message: "$include \"\(target)\" resolves outside the config directory \(root)")
        }
        if chain.contains(resolved) {
            throw Failure(file: file, message: "$include cycle: " + (chain + [resolved]).joined(separator: " -> "))
        }
        guard chain.count <= Self.maxDepth else {
            throw Failure(file: file, message: "$include nested deeper than \(Self.maxDepth) levels: " + (chain + [resolved]).joined(separator: " -> "))
        }
        if !files.contains(resolved) { files.append(resolved) }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw Failure(file: file, message: "$include file not found: \(resolved)")
        }
        let parsed: JSONValue
        do {
            parsed = try JSON5Text.decode(data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw Failure(file: resolved, message: "JSON5 parse error in included file \(resolved): \(ConfigLoader.describe(error))")
        }
        return try resolve(parsed, file: resolved, chain: chain + [resolved])
    }

    /// Objects merge key by key (recursively); anything else is replaced by `overlay`.
    static func deepMerge(_ base: JSONValue, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var merged) = base, case .object(let top) = overlay else { return overlay }
        for (key, value) in top {
            merged[key] = merged[key].map { deepMerge($0, value) } ?? value
        }
        return .object(merged)
    }
}
