// Sources/ProtocolGenCore/Layers/Spec.swift - the parsed, validated spec every stage after the parser reads

import Foundation

/// The whole protocol and operator surface, as written under `spec/`.
public struct Spec: Sendable {
    public var protocolInfo: ProtocolInfo
    public var limits: [Limit]
    public var errorCodes: [NamedDoc]
    public var detailCodes: [NamedDoc]
    /// The `error.details` type each detail code is sent with (code → type name), where the spec declares one.
    public var detailShapes: [String: String] = [:]
    public var closeCodes: [CloseCode]
    /// Error texts that differ between protocol versions.
    public var messages: [VersionedMessage] = []
    public var types: [TypeDecl]
    public var methods: [MethodDecl]
    public var events: [EventDecl]
    public var configKeys: [ConfigKey]
    public var chains: [PrecedenceChain]
    public var commands: [CommandDecl]
    public var tools: [ToolDecl]
    /// `environment.yaml`: every `OPENCLAW_*` variable, named once.
    public var environmentVariables: [NamedDoc] = []
    /// `config/reload.yaml`: every hot-reload action a config key's `action:` may name.
    public var reloadActions: [NamedDoc] = []

    public init(
        protocolInfo: ProtocolInfo = .init(), limits: [Limit] = [], errorCodes: [NamedDoc] = [],
        detailCodes: [NamedDoc] = [], closeCodes: [CloseCode] = [], types: [TypeDecl] = [],
        methods: [MethodDecl] = [], events: [EventDecl] = [], configKeys: [ConfigKey] = [],
        chains: [PrecedenceChain] = [], commands: [CommandDecl] = [], tools: [ToolDecl] = []
    ) {
        self.protocolInfo = protocolInfo
        self.limits = limits
        self.errorCodes = errorCodes
        self.detailCodes = detailCodes
        self.closeCodes = closeCodes
        self.types = types
        self.methods = methods
        self.events = events
        self.configKeys = configKeys
        self.chains = chains
        self.commands = commands
        self.tools = tools
    }

    public func type(named name: String) -> TypeDecl? { types.first { $0.name == name } }

    /// The config keys directly below `path` (the top-level keys for nil), in spec order.
    public func configKeys(below path: String?) -> [ConfigKey] {
        let depth = path.map { $0.split(separator: ".").count } ?? 0
        return configKeys.filter { key in
            let parts = key.components
            guard parts.count == depth + 1 else { return false }
            return path == nil || parts.dropLast().joined(separator: ".") == path
        }
    }
}

/// The protocol's version numbers.
public struct ProtocolInfo: Sendable {
    public var doc = ""
    /// Every version the server speaks, oldest first; a connection gets the highest one inside its client's range.
    public var versions = [3]
    public var minProbeVersion = 3
    /// The newest version.
    public var version: Int { versions.last ?? 3 }
    /// The oldest version.
    public var minClientVersion: Int { versions.first ?? 3 }
    /// Method name prefixes that always need `operator.admin`, whatever the method table says.
    public var adminPrefixes: [String] = []
    /// Methods only role `node` may call (and operators may not).
    public var nodeMethods: [String] = []
    public init() {}
}

/// A named number every handler and client reads instead of a literal.
public struct Limit: Sendable {
    public var name: String
    public var value: Int
    public var doc: String
    public var location: SourceLocation
}

/// A name with its documentation (error codes, detail codes).
public struct NamedDoc: Sendable {
    public var name: String
    public var doc: String
    public var location: SourceLocation
}

/// An error message and close reason whose wording depends on the connection's protocol version; `{name}`
/// placeholders become parameters of the generated function.
public struct VersionedMessage: Sendable {
    public struct Wording: Sendable {
        public var version: Int
        public var message: String
        public var closeReason: String?
    }

    public var name: String
    public var doc: String
    /// Oldest version first; a version uses the newest wording at or below it.
    public var wordings: [Wording]
    public var location: SourceLocation

    /// Every `{placeholder}` in every wording, in first-seen order.
    public var placeholders: [String] {
        var seen: [String] = []
        for text in wordings.flatMap({ [$0.message, $0.closeReason ?? ""] }) {
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let name = String(rest[rest.index(after: open)..<close])
                if !seen.contains(name) { seen.append(name) }
                rest = rest[rest.index(after: close)...]
            }
        }
        return seen
    }
}

/// A WebSocket close code with its fixed reason.
public struct CloseCode: Sendable {
    public var name: String
    public var code: Int
    public var reason: String?
    public var doc: String
    public var location: SourceLocation
}

/// A named type: an object with fields, or an enum of strings.
public struct TypeDecl: Sendable {
    public enum Kind: Sendable {
        case object(fields: [Field], frame: String?)
        /// `open` enums decode unknown values into `unrecognized`; closed ones reject them.
        case enumeration(values: [String], open: Bool)
    }

    public var name: String
    public var doc: String
    public var kind: Kind
    public var location: SourceLocation
    /// Enum values that exist from a later protocol version on (value → first version).
    public var valueSince: [String: Int] = [:]
    /// What each enum value means, where the spec says (error codes).
    public var valueDocs: [String: String] = [:]

    /// The versions of `all` that have the enum value `value`.
    public func versions(ofValue value: String, among all: [Int]) -> [Int] {
        all.filter { $0 >= (valueSince[value] ?? 0) }
    }

    public var fields: [Field] {
        if case .object(let fields, _) = kind { return fields }
        return []
    }
}

/// One field of an object type.
public struct Field: Sendable {
    public var name: String
    public var type: TypeRef
    /// The key may be absent.
    public var optional: Bool
    /// The key, when present, may hold `null`; a nullable field is always encoded (as null when nil).
    public var nullable: Bool
    /// The field must hold exactly this string.
    public var constant: String?
    public var doc: String
    public var minLength: Int?
    public var minimum: Int?
    public var maximum: Int?
    /// The protocol version this field first exists in (0: every version).
    public var since: Int
    public var location: SourceLocation
    /// The last protocol version this field exists in (nil: every version from `since`).
    public var until: Int? = nil
    /// From this version on, an optional field is required (`hello-ok.auth` in v4).
    public var requiredSince: Int? = nil
    /// A patch field (`patch: true`): absent leaves the value, `null` clears it, a value sets it. Generated as
    /// `Patch<T>`, so the three cannot be confused; such a field is optional and nullable.
    public var patch: Bool = false

    /// The versions of `all` in which the field exists.
    public func versions(of all: [Int]) -> [Int] { all.filter { $0 >= since && $0 <= (until ?? Int.max) } }

    /// Whether the field's presence or optionality depends on the connection's version.
    public func isVersioned(among all: [Int]) -> Bool {
        versions(of: all).count != all.count || requiredSince.map { $0 > (all.first ?? 0) } == true
    }

    /// Whether the field must be present in `version`.
    public func isRequired(in version: Int) -> Bool {
        !optional || requiredSince.map { version >= $0 } == true
    }
}

/// Who may call a method: `none`, `read`, `write`, `admin`, `approvals`, `pairing` or `node`.
public enum MethodScope: String, Sendable, CaseIterable {
    case none, read, write, admin, approvals, pairing, node
}

/// One RPC method.
public struct MethodDecl: Sendable {
    public var name: String
    public var doc: String
    public var scope: MethodScope
    public var params: String?
    public var result: TypeRef
    public var resultOptional: Bool
    public var since: Int
    /// The last version the method exists in (nil: every version from `since`).
    public var until: Int? = nil
    /// Answered by the connection itself during the handshake, never dispatched or advertised.
    public var handshake: Bool
    /// Answers twice with one request id: `{status: "accepted"}` at once, then the final answer.
    public var twoPhase: Bool = false
    /// The whole error message for params that fail validation, where upstream words it by hand
    /// instead of naming the failing field.
    public var invalidParams: String? = nil
    /// Runs at most once per idempotency key; nil for methods without one.
    public var idempotency: Idempotency? = nil
    public var location: SourceLocation
}

/// A method's `idempotency:`: which param is the key, and what a retry with a known key is answered.
/// The generated dispatcher looks the key up before the handler runs and records the handler's answer,
/// so a handler only says when the request is valid enough to claim the key.
public struct Idempotency: Sendable, Equatable {
    /// What a retry gets while the first attempt still runs.
    public enum WhileRunning: String, Sendable, CaseIterable {
        /// The interim answer the handler recorded when it claimed the key (`agent`'s accepted ack).
        case interim
        /// The first attempt's final answer, once it has one (`send`).
        case wait
    }

    /// What happens to the key when the handler throws after claiming it.
    public enum OnError: String, Sendable, CaseIterable {
        /// The error is the key's answer: a retry gets it again.
        case replay
        /// The key is forgotten: a retry runs again.
        case retry
    }

    /// The params field (a required string) holding the key.
    public var key: String
    /// The prefix of the key in the shared dedupe map (`agent:<k>`); defaults to the method name.
    public var namespace: String
    public var whileRunning: WhileRunning
    public var errors: OnError

    public init(key: String, namespace: String, whileRunning: WhileRunning = .interim, errors: OnError = .retry) {
        self.key = key
        self.namespace = namespace
        self.whileRunning = whileRunning
        self.errors = errors
    }
}

/// A built-in tool the agent runtime offers models: its arguments and result are spec types, so
/// the JSON Schema the model sees and the decoder that checks what it sends come from one place.
public struct ToolDecl: Sendable {
    /// The name models call it by (`current_time`).
    public var name: String
    /// What the model is told the tool does.
    public var doc: String
    public var params: String
    public var result: String
    public var location: SourceLocation
}

/// One server-to-client event.
public struct EventDecl: Sendable {
    public enum Delivery: String, Sendable {
        /// To every eligible connection, stamped with that connection's own `seq`.
        case broadcast
        /// To chosen connections, without `seq`.
        case targeted
    }

    public var name: String
    public var doc: String
    public var payload: String
    public var delivery: Delivery
    public var scope: MethodScope
    /// May be dropped for a slow consumer instead of closing it.
    public var droppable: Bool
    /// Carries the server's `stateVersion`.
    public var stateVersion: Bool
    public var since: Int
    public var location: SourceLocation
    /// The last version the event exists in (nil: every version from `since`).
    public var until: Int? = nil
}

/// How a config change at a path is applied.
public enum ReloadClass: String, Sendable {
    case none
    case hot
    case restart
}

/// One config key or section.
public struct ConfigKey: Sendable {
    public enum ValueType: Sendable, Equatable {
        case object
        /// Accepted as any object; validated by the subsystem that owns it.
        case passthrough
        /// Any JSON value (a string or an object, a list); its subsystem validates it.
        case any
        case string
        case int
        /// A JSON number (`sampleRate: 0.25`); its `range`, when given, bounds it like an int's.
        case number
        case bool
        case stringArray
        /// An object of string values (`headers: { "x-tenant": "acme" }`): any key, each value a string.
        case stringMap
        /// Accounts by id (`channels.irc.accounts`): each value an object with the same keys as the
        /// parent section, except those marked `perAccount: false`; each key overrides the parent's.
        case accounts
        case enumeration([String])
    }

    /// Dotted path, e.g. `gateway.auth.token`.
    public var path: String
    public var type: ValueType
    public var doc: String
    public var defaultValue: String?
    public var range: ClosedRange<Int>?
    public var reload: ReloadClass
    /// A named action for hot reloads (e.g. `restart-channels`).
    public var action: String?
    public var secret: Bool
    public var location: SourceLocation
    /// An object that also accepts keys the spec does not list (upstream sections whose other keys
    /// this gateway does not use yet): its listed keys are typed and checked, the rest are ignored.
    public var open: Bool = false
    /// Repeated in the parent's `accounts` entries (the default); `false` for section-level keys such
    /// as `defaultAccount`.
    public var perAccount: Bool = true

    public var components: [String] { path.split(separator: ".").map(String.init) }
}

/// Where a resolved setting comes from, highest first.
public struct PrecedenceChain: Sendable {
    public enum Source: Sendable, Equatable {
        case flag(String)
        case env(String)
        case config(String)
        /// A runtime-supplied rule, e.g. "password if one is set".
        case rule(String)
        case defaultValue(String)
    }

    public var name: String
    public var doc: String
    public var type: TypeRef
    public var sources: [Source]
    public var location: SourceLocation
}

/// A CLI command's (or option group's) flags.
public struct CommandDecl: Sendable {
    public struct Option: Sendable {
        public var name: String
        public var type: TypeRef
        public var defaultValue: String?
        public var doc: String
        public var location: SourceLocation
        /// A one-letter alias (`-m` for `--message`).
        public var short: Character? = nil
    }

    public struct Flag: Sendable {
        public var name: String
        public var doc: String
        public var location: SourceLocation
        public var short: Character? = nil
    }

    /// A positional argument (`<path>`), in command-line order.
    public struct Argument: Sendable {
        public var name: String
        public var type: TypeRef
        public var optional: Bool
        public var doc: String
        public var location: SourceLocation
    }

    public var name: String
    public var doc: String
    public var options: [Option]
    public var flags: [Flag]
    public var env: [NamedDoc]
    public var location: SourceLocation
    public var arguments: [Argument] = []
    /// The words after `openclaw` that run it (`["gateway", "install"]`); nil for an option group shared by commands
    /// (`connection`), which is no command of its own.
    public var path: [String]? = nil
    /// Other words that run the same command (`cron rm` is also `cron remove` and `cron delete`).
    public var aliases: [String] = []
}
