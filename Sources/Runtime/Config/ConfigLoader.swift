// Sources/Runtime/Config/ConfigLoader.swift - file → JSON5 → $include → ${VAR} → strict validation → OpenClawConfig

import Foundation
import Generated

/// A config file as loaded: whether it exists, its raw tree, and the validated model.
public struct LoadedConfig: Sendable {
    public var path: String
    public var exists: Bool
    /// The parsed tree after `${VAR}` substitution (what validation saw).
    public var tree: JSONValue
    public var config: OpenClawConfig
    /// Every file this load read: the config itself, then its `$include`s (what the reloader watches).
    public var files: [String] = []

    public static func missing(at path: String) -> LoadedConfig {
        LoadedConfig(path: path, exists: false, tree: .object([:]), config: OpenClawConfig())
    }
}

/// Why a config could not be used. `description` is upstream's text.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    /// `- <path>: <message>` lines.
    public var issues: [String]

    public var description: String {
        "Invalid config at \(path).\n" + issues.map { "- \($0)" }.joined(separator: "\n") + "\nRun \"openclaw doctor\" to repair, then retry."
    }
}

/// Loads and validates config files.
public struct ConfigLoader: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Loads `path`; a missing file is not an error (the caller decides whether that may start a gateway).
    public func load(path: String) throws(ConfigError) -> LoadedConfig {
        guard FileManager.default.fileExists(atPath: path) else { return .missing(at: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(path: path, issues: ["<root>: cannot read file: \(error.localizedDescription)"])
        }
        return try parse(data, path: path)
    }

    /// Parses JSON5 text, substitutes `${VAR}`, and validates against the generated model.
    public func parse(_ data: Data, path: String) throws(ConfigError) -> LoadedConfig {
        let raw: JSONValue
        do {
            raw = try JSON5Text.decode(data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw ConfigError(path: path, issues: ["<root>: JSON5 parse error: \(Self.describe(error))"])
        }
        guard case .object = raw else { throw ConfigError(path: path, issues: ["<root>: must be object"]) }
        var includes = ConfigIncludes(configPath: path)
        let merged: JSONValue
        do {
            merged = try includes.resolve(raw, file: path)
        } catch {
            throw ConfigError(path: path, issues: ["<root>: \(error.file): \(error.message)"])
        }
        guard case .object = merged else { throw ConfigError(path: path, issues: ["<root>: must be object"]) }
        let tree: JSONValue
        do {
            tree = try EnvSubstitution(environment: environment).apply(merged)
        } catch {
            throw ConfigError(path: path, issues: ["\(error.path.isEmpty ? "<root>" : error.path): Missing env var \"\(error.name)\" referenced in config"])
        }
        do {
            let config = try JSONDecoder().decode(OpenClawConfig.self, from: Data(WireJSON.encode(tree)))
            return LoadedConfig(path: path, exists: true, tree: tree, config: config, files: includes.files)
        } catch {
            let issue = ValidationIssue(error)
            let where_ = issue.pointer.isEmpty ? "<root>" : issue.pointer.dropFirst().replacingOccurrences(of: "/", with: ".")
            throw ConfigError(path: path, issues: ["\(where_): \(issue.message)"])
        }
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
