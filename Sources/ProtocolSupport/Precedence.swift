// Sources/ProtocolSupport/Precedence.swift - resolving a setting through its generated precedence chain

import Foundation

/// One link of a precedence chain, highest first.
public enum SettingSource: Hashable, Sendable, CustomStringConvertible {
    case flag(String)
    case env(String)
    case config(String)
    case rule(String)
    case defaultValue(String)

    /// How `gateway status` names it: `--port`, `env OPENCLAW_GATEWAY_PORT`, `config gateway.port`, `default`.
    public var description: String {
        switch self {
        case .flag(let name): "--\(name)"
        case .env(let name): "env \(name)"
        case .config(let path): "config \(path)"
        case .rule(let name): "rule \(name)"
        case .defaultValue: "default"
        }
    }
}

/// A value and the source it came from.
public struct Resolved<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    public var source: SettingSource

    public init(value: Value, source: SettingSource) {
        self.value = value
        self.source = source
    }
}

/// What a chain reads: CLI flags given, the environment, config values by dotted path, and runtime rules.
public struct PrecedenceInputs: Sendable {
    public var flags: [String: String]
    public var environment: [String: String]
    public var config: @Sendable (String) -> String?
    public var rules: [String: @Sendable () -> String?]

    public init(
        flags: [String: String] = [:], environment: [String: String] = [:],
        config: @escaping @Sendable (String) -> String? = { _ in nil }, rules: [String: @Sendable () -> String?] = [:]
    ) {
        self.flags = flags
        self.environment = environment
        self.config = config
        self.rules = rules
    }
}

/// A value a chain can produce from text.
public protocol ChainValue: Sendable, Equatable {
    init?(chainText: String)
}

extension String: ChainValue {
    public init?(chainText: String) { self = chainText }
}

extension Int: ChainValue {
    /// Accepts positive integers only, as upstream's port and timeout parsing does.
    public init?(chainText: String) {
        guard let value = Int(chainText.trimmingCharacters(in: [" ", "\t"])), value > 0 else { return nil }
        self = value
    }
}

/// Thrown when an explicit flag holds a value the chain cannot use (upstream exits with `Invalid port`).
public struct InvalidFlagValue: Error, Sendable, Equatable {
    public var flag: String
    public var value: String

    public init(flag: String, value: String) {
        self.flag = flag
        self.value = value
    }
}

/// A generated precedence chain.
public struct PrecedenceChain<Value: ChainValue>: Sendable {
    public let name: String
    public let sources: [SettingSource]

    public init(name: String, sources: [SettingSource]) {
        self.name = name
        self.sources = sources
    }

    /// Walks the chain. Empty strings count as unset; an unusable env value is skipped;
    /// an unusable flag value is an error.
    public func resolve(_ inputs: PrecedenceInputs) throws(InvalidFlagValue) -> Resolved<Value>? {
        for source in sources {
            let raw: String?
            switch source {
            case .flag(let name): raw = inputs.flags[name]
            case .env(let name): raw = inputs.environment[name]
            case .config(let path): raw = inputs.config(path)
            case .rule(let name): raw = inputs.rules[name]?()
            case .defaultValue(let value): raw = value
            }
            guard let raw, !raw.isEmpty else { continue }
            guard let value = Value(chainText: raw) else {
                if case .flag(let name) = source { throw InvalidFlagValue(flag: name, value: raw) }
                continue
            }
            return Resolved(value: value, source: source)
        }
        return nil
    }
}
