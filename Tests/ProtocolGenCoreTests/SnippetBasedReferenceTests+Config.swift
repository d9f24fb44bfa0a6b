// Tests/ProtocolGenCoreTests/SnippetBasedReferenceTests+Config.swift - config keys, precedence chains and CLI commands: YAML in, Swift out

import ProtocolGenCore
import Testing

@Suite("Snippets: config, precedence and CLI")
struct SnippetConfigTests {
    static let config = """
        $schema: {type: string, doc: "Editor hint.", reload: none}
        gateway: {type: object, doc: "The gateway.", reload: restart}
        gateway.port: {type: int, range: [1, 65535], default: 18789, doc: "The port."}
        gateway.bind: {type: enum, values: [loopback, lan], default: loopback, doc: "Where to listen."}
        gateway.auth: {type: object, doc: "Auth.", reload: hot}
        gateway.auth.token: {type: string, secret: true, doc: "The token.", reload: hot}
        gateway.auth.allowTailscale: {type: bool, default: false, doc: "Tailscale.", reload: hot}
        gateway.trustedProxies: {type: "[string]", doc: "Proxies."}
        channels: {type: passthrough, doc: "Channels.", reload: hot, action: restart-channels}
        """
    static let reload = """
        restart-channels: "Restart the channels."
        """

    @Test("A key of type accounts becomes a map of generated account structs with the section's per-account keys")
    func accountsKey() throws {
        let text = try Snippet.swift(
            "Config.swift",
            [
                "spec/config/channels.yaml": """
                channels: {type: object, open: true, doc: "Channels.", reload: hot}
                channels.chat: {type: object, doc: "A chat.", reload: hot}
                channels.chat.host: {type: string, doc: "Host.", reload: hot}
                channels.chat.port: {type: int, range: [1, 65535], default: 6667, doc: "Port.", reload: hot}
                channels.chat.accounts: {type: accounts, doc: "More accounts.", reload: hot}
                channels.chat.defaultAccount: {type: string, perAccount: false, doc: "The default account.", reload: hot}
                """
            ])
        #expect(text.contains("    public var accounts: [Swift.String: ChannelsChatAccountConfig]?\n"))
        #expect(
            try requireDeclaration("struct ChannelsChatAccountConfig", in: text) == """
                /// One entry of `channels.chat.accounts`: the keys of `channels.chat` for one account id, each overriding the section-level one.
                ///
                /// - Remark: Generated from spec/config/channels.yaml#/channels.chat.accounts
                public struct ChannelsChatAccountConfig: Swift.Codable, Swift.Hashable, Swift.Sendable {
                    /// Host.
                    ///
                    /// - Remark: Generated from spec/config/channels.yaml#/channels.chat.host
                    public var host: Swift.String?

                    /// Port.
                    ///
                    /// Default: `6667`.
                    ///
                    /// - Remark: Generated from spec/config/channels.yaml#/channels.chat.port
                    public var port: Swift.Int?

                    /// An empty config: every key at its default.
                    public init() {
                    }

                    public enum CodingKeys: Swift.String, Swift.CodingKey, Swift.CaseIterable {
                        case host
                        case port
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                        self.host = try container.decodeOptionalField(Swift.String.self, forKey: .host)
                        self.port = try container.decodeOptionalField(Swift.Int.self, forKey: .port)
                        try container.checkBounds(self.port, forKey: .port, minimum: 1, maximum: 65535)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encodeIfPresent(self.host, forKey: .host)
                        try container.encodeIfPresent(self.port, forKey: .port)
                    }
                }
                """
        )
    }

    @Test("A config key tree becomes nested config structs")
    func configStructs() throws {
        let text = try Snippet.swift("Config.swift", ["spec/config/gateway.yaml": Self.config, "spec/config/reload.yaml": Self.reload])
        #expect(
            try requireDeclaration("struct OpenClawConfig", in: text) == """
                /// The whole config file (`openclaw.json`, JSON5).
                public struct OpenClawConfig: Swift.Codable, Swift.Hashable, Swift.Sendable {
                    /// Editor hint.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/$schema
                    public var schema: Swift.String?

                    /// The gateway.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway
                    public var gateway: GatewayConfig?

                    /// Channels.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/channels
                    public var channels: JSONValue?

                    /// An empty config: every key at its default.
                    public init() {
                    }

                    public enum CodingKeys: Swift.String, Swift.CodingKey, Swift.CaseIterable {
                        case schema = "$schema"
                        case gateway
                        case channels
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                        self.schema = try container.decodeOptionalField(Swift.String.self, forKey: .schema)
                        self.gateway = try container.decodeOptionalField(GatewayConfig.self, forKey: .gateway)
                        self.channels = try container.decodeOptionalField(JSONValue.self, forKey: .channels)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encodeIfPresent(self.schema, forKey: .schema)
                        try container.encodeIfPresent(self.gateway, forKey: .gateway)
                        try container.encodeIfPresent(self.channels, forKey: .channels)
                    }
                }
                """
        )
        #expect(
            try requireDeclaration("struct GatewayConfig", in: text) == """
                /// The gateway.
                ///
                /// - Remark: Generated from spec/config/gateway.yaml#/gateway
                public struct GatewayConfig: Swift.Codable, Swift.Hashable, Swift.Sendable {
                    /// The port.
                    ///
                    /// Default: `18789`.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway.port
                    public var port: Swift.Int?

                    /// Where to listen.
                    ///
                    /// Default: `loopback`.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway.bind
                    public var bind: GatewayBind?

                    /// Auth.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway.auth
                    public var auth: GatewayAuthConfig?

                    /// Proxies.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway.trustedProxies
                    public var trustedProxies: [Swift.String]?

                    /// An empty config: every key at its default.
                    public init() {
                    }

                    public enum CodingKeys: Swift.String, Swift.CodingKey, Swift.CaseIterable {
                        case port
                        case bind
                        case auth
                        case trustedProxies
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                        self.port = try container.decodeOptionalField(Swift.Int.self, forKey: .port)
                        try container.checkBounds(self.port, forKey: .port, minimum: 1, maximum: 65535)
                        self.bind = try container.decodeOptionalField(GatewayBind.self, forKey: .bind)
                        self.auth = try container.decodeOptionalField(GatewayAuthConfig.self, forKey: .auth)
                        self.trustedProxies = try container.decodeOptionalField([Swift.String].self, forKey: .trustedProxies)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encodeIfPresent(self.port, forKey: .port)
                        try container.encodeIfPresent(self.bind, forKey: .bind)
                        try container.encodeIfPresent(self.auth, forKey: .auth)
                        try container.encodeIfPresent(self.trustedProxies, forKey: .trustedProxies)
                    }
                }
                """
        )
        #expect(
            try requireDeclaration("struct GatewayAuthConfig", in: text) == """
                /// Auth.
                ///
                /// - Remark: Generated from spec/config/gateway.yaml#/gateway.auth
                public struct GatewayAuthConfig: Swift.Codable, Swift.Hashable, Swift.Sendable {
                    /// The token.
                    ///
                    /// Secret: redacted in `config.get` and logs.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway.auth.token
                    public var token: Swift.String?

                    /// Tailscale.
                    ///
                    /// Default: `false`.
                    ///
                    /// - Remark: Generated from spec/config/gateway.yaml#/gateway.auth.allowTailscale
                    public var allowTailscale: Swift.Bool?

                    /// An empty config: every key at its default.
                    public init() {
                    }

                    public enum CodingKeys: Swift.String, Swift.CodingKey, Swift.CaseIterable {
                        case token
                        case allowTailscale
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                        self.token = try container.decodeOptionalField(Swift.String.self, forKey: .token)
                        self.allowTailscale = try container.decodeOptionalField(Swift.Bool.self, forKey: .allowTailscale)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encodeIfPresent(self.token, forKey: .token)
                        try container.encodeIfPresent(self.allowTailscale, forKey: .allowTailscale)
                    }
                }
                """
        )
    }

    @Test("An enum config key becomes a closed enum named after its path")
    func configEnum() throws {
        let text = try Snippet.swift("Config.swift", ["spec/config/gateway.yaml": Self.config, "spec/config/reload.yaml": Self.reload])
        let bind = try requireDeclaration("enum GatewayBind", in: text)
        #expect(
            bind.hasSuffix(
                """
                public enum GatewayBind: Swift.String, ClosedStringEnum {
                    case loopback
                    case lan

                    public init(from decoder: any Swift.Decoder) throws {
                        try self.init(closedFrom: decoder)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        try self.encodeRawValue(to: encoder)
                    }
                }
                """))
        #expect(
            bind.hasPrefix(
                """
                /// Values of `gateway.bind`.
                ///
                /// - Remark: Generated from spec/config/gateway.yaml#/gateway.bind
                """))
    }

    @Test("Config keys become the scalar lookup, ConfigSchema rows, reload rules and ConfigDefaults")
    func configTables() throws {
        let text = try Snippet.swift("Config.swift", ["spec/config/gateway.yaml": Self.config, "spec/config/reload.yaml": Self.reload])
        #expect(
            try requireDeclaration("extension OpenClawConfig", in: text) == """
                extension OpenClawConfig {
                    /// The text of a scalar key as set in the file (no default), for precedence chains.
                    public func scalarValue(atPath path: Swift.String) -> Swift.String? {
                        switch path {
                        case "$schema": self.schema
                        case "gateway.port": self.gateway?.port.map { Swift.String($0) }
                        case "gateway.bind": self.gateway?.bind?.rawValue
                        case "gateway.auth.token": self.gateway?.auth?.token
                        case "gateway.auth.allowTailscale": self.gateway?.auth?.allowTailscale.map { Swift.String($0) }
                        default: nil
                        }
                    }
                }
                """
        )
        #expect(
            try requireDeclaration("enum ConfigSchema", in: text) == """
                /// Every config key the spec declares, and the reload rule each implies.
                public enum ConfigSchema {
                    /// Every key, in spec order.
                    public static let keys: [ConfigKeyInfo] = [
                        ConfigKeyInfo(path: "$schema", type: "string", doc: "Editor hint.", defaultValue: nil, reload: .none, action: nil, secret: false),
                        ConfigKeyInfo(path: "gateway", type: "object", doc: "The gateway.", defaultValue: nil, reload: .restart, action: nil, secret: false),
                        ConfigKeyInfo(path: "gateway.port", type: "int", doc: "The port.", defaultValue: "18789", reload: .restart, action: nil, secret: false),
                        ConfigKeyInfo(path: "gateway.bind", type: "enum(loopback|lan)", doc: "Where to listen.", defaultValue: "loopback", reload: .restart, action: nil, secret: false),
                        ConfigKeyInfo(path: "gateway.auth", type: "object", doc: "Auth.", defaultValue: nil, reload: .hot, action: nil, secret: false),
                        ConfigKeyInfo(path: "gateway.auth.token", type: "string", doc: "The token.", defaultValue: nil, reload: .hot, action: nil, secret: true),
                        ConfigKeyInfo(path: "gateway.auth.allowTailscale", type: "bool", doc: "Tailscale.", defaultValue: "false", reload: .hot, action: nil, secret: false),
                        ConfigKeyInfo(path: "gateway.trustedProxies", type: "[string]", doc: "Proxies.", defaultValue: nil, reload: .restart, action: nil, secret: false),
                        ConfigKeyInfo(path: "channels", type: "passthrough", doc: "Channels.", defaultValue: nil, reload: .hot, action: "restart-channels", secret: false),
                    ]

                    /// Reload rules: the longest matching prefix wins; an unmatched path restarts.
                    public static let reloadRules: [ReloadRule] = [
                        ReloadRule(prefix: "$schema", kind: .none, action: nil),
                        ReloadRule(prefix: "gateway", kind: .restart, action: nil),
                        ReloadRule(prefix: "gateway.port", kind: .restart, action: nil),
                        ReloadRule(prefix: "gateway.bind", kind: .restart, action: nil),
                        ReloadRule(prefix: "gateway.auth", kind: .hot, action: nil),
                        ReloadRule(prefix: "gateway.auth.token", kind: .hot, action: nil),
                        ReloadRule(prefix: "gateway.auth.allowTailscale", kind: .hot, action: nil),
                        ReloadRule(prefix: "gateway.trustedProxies", kind: .restart, action: nil),
                        ReloadRule(prefix: "channels", kind: .hot, action: "restart-channels"),
                    ]

                    /// Paths of keys whose values are secrets.
                    public static let secretPaths: Swift.Set<Swift.String> = ["gateway.auth.token"]
                }
                """
        )
        #expect(
            try requireDeclaration("enum ConfigDefaults", in: text) == """
                /// The default of every key that has one.
                public enum ConfigDefaults {
                    /// Default of `gateway.port`.
                    public static let gatewayPort: Swift.Int = 18789

                    /// Default of `gateway.bind`.
                    public static let gatewayBind: GatewayBind = .loopback

                    /// Default of `gateway.auth.allowTailscale`.
                    public static let gatewayAuthAllowTailscale: Swift.Bool = false
                }
                """
        )
    }

    @Test("A precedence chain becomes a typed PrecedenceChain constant")
    func precedence() throws {
        let text = try Snippet.swift(
            "Precedence.swift",
            [
                "spec/config/gateway.yaml": Self.config, "spec/config/reload.yaml": Self.reload,
                "spec/config/precedence.yaml": """
                port:
                  doc: The gateway port.
                  type: int
                  chain: [flag port, env OPENCLAW_GATEWAY_PORT, config gateway.port, rule fromLock, default 18789]
                bind:
                  doc: The bind mode.
                  type: string
                  chain: [flag bind, config gateway.bind, default loopback]
                """,
            ]
        )
        #expect(
            try requireDeclaration("enum Precedence", in: text) == """
                /// Where each resolved setting comes from, highest first.
                public enum Precedence {
                    /// The gateway port.
                    ///
                    /// `--port` → `OPENCLAW_GATEWAY_PORT` → `gateway.port` → (fromLock) → `18789`
                    ///
                    /// - Remark: Generated from spec/config/precedence.yaml#/port
                    public static let port: PrecedenceChain<Swift.Int> = PrecedenceChain(name: "port", sources: [.flag("port"), .env("OPENCLAW_GATEWAY_PORT"), .config("gateway.port"), .rule("fromLock"), .defaultValue("18789")])

                    /// The bind mode.
                    ///
                    /// `--bind` → `gateway.bind` → `loopback`
                    ///
                    /// - Remark: Generated from spec/config/precedence.yaml#/bind
                    public static let bind: PrecedenceChain<Swift.String> = PrecedenceChain(name: "bind", sources: [.flag("bind"), .config("gateway.bind"), .defaultValue("loopback")])
                }
                """
        )
    }

    @Test("A CLI command becomes a ParsableArguments struct")
    func command() throws {
        let text = try Snippet.swift(
            "Commands.swift",
            [
                "spec/cli/commands.yaml": #"""
                call:
                  command: gateway call
                  doc: Call one method.
                  options:
                    params: {type: string, default: "{}", doc: "Params as \"JSON\"."}
                    timeout: {type: int, default: 10000, doc: "Timeout in ms."}
                    url: {type: string, doc: "Gateway URL."}
                    max-retries: {type: int, doc: "Retries."}
                  flags:
                    expect-final: {doc: "Wait for the final response."}
                  env:
                    OPENCLAW_GATEWAY_TOKEN: Token when the config has none.
                """#
            ]
        )
        #expect(text.contains("\npublic import ArgumentParser\n"))
        #expect(
            try requireDeclaration("struct CallOptions", in: text) == #"""
                /// Call one method.
                ///
                /// - Remark: Generated from spec/cli/commands.yaml#/call
                public struct CallOptions: ParsableArguments {
                    @Option(name: .customLong("params"), help: "Params as \"JSON\".") public var params: Swift.String = "{}"
                    @Option(name: .customLong("timeout"), help: "Timeout in ms.") public var timeout: Swift.Int = 10000
                    @Option(name: .customLong("url"), help: "Gateway URL.") public var url: Swift.String?
                    @Option(name: .customLong("max-retries"), help: "Retries.") public var maxRetries: Swift.Int?
                    @Flag(name: .customLong("expect-final"), help: "Wait for the final response.") public var expectFinal: Swift.Bool = false

                    public init() {
                    }

                    /// The command's one-line description.
                    public static let helpAbstract: Swift.String = "Call one method."

                    /// The options given on the command line, by spec name, for precedence chains.
                    public var given: [Swift.String: Swift.String] {
                        var flags: [Swift.String: Swift.String] = [:]
                        if let value = self.url { flags["url"] = value }
                        if let value = self.maxRetries { flags["max-retries"] = Swift.String(value) }
                        if self.expectFinal { flags["expect-final"] = "true" }
                        return flags
                    }

                    /// Environment variables the command reads.
                    public static let environment: [(name: Swift.String, doc: Swift.String)] = [("OPENCLAW_GATEWAY_TOKEN", "Token when the config has none.")]

                    /// The word that runs it, after `gateway`.
                    public static let commandName: Swift.String = "call"

                    /// Its ArgumentParser configuration: name and help from the spec; the subcommands are the hand-written types that run.
                    public static func configuration(subcommands: [any ParsableCommand.Type] = [], defaultSubcommand: (any ParsableCommand.Type)? = nil) -> CommandConfiguration {
                        CommandConfiguration(commandName: commandName, abstract: helpAbstract, subcommands: subcommands, defaultSubcommand: defaultSubcommand)
                    }
                }
                """#
        )
    }

    @Test("A list option repeats on the command line and defaults to empty")
    func listOption() throws {
        let text = try Snippet.swift(
            "Commands.swift",
            [
                "spec/cli/commands.yaml": #"""
                rotate:
                  doc: Rotate.
                  options:
                    scope: {type: "[string]", doc: "A scope (repeatable)."}
                """#
            ]
        )
        let declaration = try requireDeclaration("struct RotateOptions", in: text)
        #expect(declaration.contains(#"@Option(name: .customLong("scope"), help: "A scope (repeatable).") public var scope: [Swift.String] = []"#))
        #expect(declaration.contains(#"if !self.scope.isEmpty { flags["scope"] = self.scope.map { Swift.String(describing: $0) }.joined(separator: ",") }"#))
        #expect(compileBlockers(in: text) == [])
    }

    @Test("A spec with only types still renders every file in a form that compiles")
    func minimalSpecRendersCompilableFiles() throws {
        let files = try Snippet.swift([
            "spec/types/t.yaml": """
            Thing:
              doc: A thing.
              fields:
                id: {type: string, doc: "Its id."}
            """
        ])
        #expect(files.count == 9)
        #expect(compileBlockers(in: try #require(files["Types.swift"])) == [])
        #expect(compileBlockers(in: try #require(files["Client.swift"])) == [])
        #expect(compileBlockers(in: try #require(files["Precedence.swift"])) == [])
        #expect(compileBlockers(in: try #require(files["Commands.swift"])) == [])
        // With no config keys, `ConfigSchema.keys` must be `[]` (not `[\n ,\n ]`) and `OpenClawConfig.CodingKeys` has no
        // cases; with no methods, events or error detail codes, `GatewayMethod`, `GatewayEvent` and `ErrorDetailCode` have
        // none either. An enum without cases cannot declare a `Swift.String` raw type, so these state their conformances.
        for name in ["Config.swift", "Constants.swift", "Methods.swift", "Events.swift"] {
            let text = try #require(files[name])
            #expect(compileBlockers(in: text) == [], "\(name)")
        }
        let config = try #require(files["Config.swift"])
        #expect(config.contains("    public static let keys: [ConfigKeyInfo] = []\n"))
        #expect(config.contains("    public static let reloadRules: [ReloadRule] = []\n"))
        #expect(
            try requireDeclaration("enum GatewayMethod", in: try #require(files["Methods.swift"])).hasPrefix(
                """
                /// Every RPC method the spec declares.
                public enum GatewayMethod: Swift.RawRepresentable, Swift.CaseIterable, Swift.Sendable {
                    public init?(rawValue: Swift.String) {
                        nil
                    }

                    public var rawValue: Swift.String {
                        switch self {
                        }
                    }
                """)
        )
    }
}
