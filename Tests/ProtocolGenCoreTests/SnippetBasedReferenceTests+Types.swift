// Tests/ProtocolGenCoreTests/SnippetBasedReferenceTests+Types.swift - named types: YAML in, Swift out

import ProtocolGenCore
import Testing

@Suite("Snippets: types")
struct SnippetTypesTests {
    @Test("An object type becomes a strict Codable struct")
    func objectType() throws {
        let types = try Snippet.swift(
            "Types.swift",
            [
                "spec/types/sample.yaml": #"""
                Sample:
                  doc: A sample object.
                  fields:
                    type: {const: sample, doc: "Always `sample`."}
                    id: {type: string, minLength: 1, doc: "The id."}
                    protocol: {type: int, minimum: 1, maximum: 9, doc: "A keyword-named field."}
                    note: {type: string?, doc: "An optional note."}
                    retryAfterMs: {type: int?, nullable: true, minimum: 0, doc: "Null when not retrying."}
                    tags: {type: "[string: [int]]?", since: 2, doc: "Tags."}
                    kind: Kind
                    display-name: {type: string?, doc: "A dashed wire name."}
                Kind:
                  doc: Kinds.
                  enum: [a, b]
                """#
            ]
        )
        #expect(
            try requireDeclaration("struct Sample", in: types) == #"""
                /// A sample object.
                ///
                /// - Remark: Generated from spec/types/sample.yaml#/Sample
                public struct Sample: Swift.Codable, Swift.Hashable, Swift.Sendable {
                    /// The id.
                    public var id: Swift.String

                    /// A keyword-named field.
                    public var `protocol`: Swift.Int

                    /// An optional note.
                    public var note: Swift.String?

                    /// Null when not retrying.
                    public var retryAfterMs: Swift.Int?

                    /// Tags.
                    ///
                    /// Since protocol 2.
                    public var tags: [Swift.String: [Swift.Int]]?

                    public var kind: Kind

                    /// A dashed wire name.
                    public var displayName: Swift.String?

                    /// Creates a value from its fields.
                    public init(id: Swift.String, protocol: Swift.Int, note: Swift.String? = nil, retryAfterMs: Swift.Int? = nil, tags: [Swift.String: [Swift.Int]]? = nil, kind: Kind, displayName: Swift.String? = nil) {
                        self.id = id
                        self.`protocol` = `protocol`
                        self.note = note
                        self.retryAfterMs = retryAfterMs
                        self.tags = tags
                        self.kind = kind
                        self.displayName = displayName
                    }

                    public enum CodingKeys: Swift.String, Swift.CodingKey, Swift.CaseIterable {
                        case type
                        case id
                        case `protocol`
                        case note
                        case retryAfterMs
                        case tags
                        case kind
                        case displayName = "display-name"
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                        try container.decodeConstant("sample", forKey: .type)
                        self.id = try container.decodeField(Swift.String.self, forKey: .id)
                        try container.checkLength(self.id, forKey: .id, minLength: 1)
                        self.`protocol` = try container.decodeField(Swift.Int.self, forKey: .`protocol`)
                        try container.checkBounds(self.`protocol`, forKey: .`protocol`, minimum: 1, maximum: 9)
                        self.note = try container.decodeOptionalField(Swift.String.self, forKey: .note)
                        self.retryAfterMs = try container.decodeOptionalField(Swift.Int.self, forKey: .retryAfterMs, nullable: true)
                        try container.checkBounds(self.retryAfterMs, forKey: .retryAfterMs, minimum: 0)
                        self.tags = try container.decodeOptionalField([Swift.String: [Swift.Int]].self, forKey: .tags)
                        self.kind = try container.decodeField(Kind.self, forKey: .kind)
                        self.displayName = try container.decodeOptionalField(Swift.String.self, forKey: .displayName)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encode("sample", forKey: .type)
                        try container.encode(self.id, forKey: .id)
                        try container.encode(self.`protocol`, forKey: .`protocol`)
                        try container.encodeIfPresent(self.note, forKey: .note)
                        try container.encode(self.retryAfterMs, forKey: .retryAfterMs)
                        try container.encodeIfPresent(self.tags, forKey: .tags)
                        try container.encode(self.kind, forKey: .kind)
                        try container.encodeIfPresent(self.displayName, forKey: .displayName)
                    }
                }
                """#
        )
    }

    @Test("A closed enum has raw values only where the Swift name differs, and rejects unknown values")
    func closedEnum() throws {
        let types = try Snippet.swift(
            "Types.swift",
            [
                "spec/types/client.yaml": """
                ClientId:
                  doc: Known client ids.
                  enum: [webchat-ui, cli, default, NOT_LINKED, 2fa]
                """
            ]
        )
        #expect(
            try requireDeclaration("enum ClientId", in: types) == """
                /// Known client ids.
                ///
                /// - Remark: Generated from spec/types/client.yaml#/ClientId
                public enum ClientId: Swift.String, ClosedStringEnum {
                    case webchatUi = "webchat-ui"
                    case cli
                    case `default`
                    case notLinked = "NOT_LINKED"
                    case _2fa = "2fa"

                    public init(from decoder: any Swift.Decoder) throws {
                        try self.init(closedFrom: decoder)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        try self.encodeRawValue(to: encoder)
                    }
                }
                """
        )
    }

    @Test("An open enum keeps unknown values in `unrecognized`")
    func openEnum() throws {
        let types = try Snippet.swift(
            "Types.swift",
            [
                "spec/types/system.yaml": """
                HeartbeatStatus:
                  doc: Heartbeat outcomes.
                  enum: [sent, ok-empty, default]
                  open: true
                """
            ]
        )
        #expect(
            try requireDeclaration("enum HeartbeatStatus", in: types) == """
                /// Heartbeat outcomes.
                ///
                /// - Remark: Generated from spec/types/system.yaml#/HeartbeatStatus
                public enum HeartbeatStatus: OpenStringEnum {
                    case sent
                    case okEmpty
                    case `default`

                    /// A value this build does not know.
                    case unrecognized(Swift.String)

                    /// Every value the spec lists.
                    public static let knownCases: [HeartbeatStatus] = [.sent, .okEmpty, .`default`]

                    public init(rawValue: Swift.String) {
                        switch rawValue {
                        case "sent": self = .sent
                        case "ok-empty": self = .okEmpty
                        case "default": self = .`default`
                        default: self = .unrecognized(rawValue)
                        }
                    }

                    public var rawValue: Swift.String {
                        switch self {
                        case .sent: "sent"
                        case .okEmpty: "ok-empty"
                        case .`default`: "default"
                        case .unrecognized(let value): value
                        }
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        try self.init(openFrom: decoder)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        try self.encodeRawValue(to: encoder)
                    }
                }
                """
        )
    }

    @Test("Error codes become the open `ErrorCode` type, detail codes the closed `ErrorDetailCode` with their details types; close codes constants")
    func errorCodes() throws {
        let files = try Snippet.swift([
            "spec/errors.yaml": """
            codes:
              NOT_LINKED: A channel is not linked.
              INVALID_REQUEST: The request is malformed.
            detailCodes:
              AUTH_TOKEN_MISSING: No token was sent.
              UNKNOWN_AGENT_ID: {doc: No such agent., details: UnknownAgentIdDetails}
            closeCodes:
              normal:
                code: 1000
                doc: Closed without a reason.
              serviceRestart:
                code: 1012
                reason: service restart
                doc: The gateway is restarting.
            """,
            "spec/types/errors.yaml": """
            UnknownAgentIdDetails:
              doc: Details of UNKNOWN_AGENT_ID.
              fields:
                code: {const: UNKNOWN_AGENT_ID, doc: Always UNKNOWN_AGENT_ID.}
            """,
            "spec/protocol.yaml": """
            protocol:
              doc: The protocol.
              versions: [3, 4]
              minProbeVersion: 4
            limits:
              maxPayload:
                value: 1024
                doc: Largest frame.
            """,
        ])
        let types = try #require(files["Types.swift"])
        let constants = try #require(files["Constants.swift"])
        #expect(
            try requireDeclaration("enum ErrorCode", in: types).hasPrefix(
                """
                /// Error codes carried in `ErrorShape.code`.
                ///
                /// - Remark: Generated from spec/errors.yaml#/ErrorCode
                public enum ErrorCode: OpenStringEnum {
                    /// A channel is not linked.
                    case notLinked

                    /// The request is malformed.
                    case invalidRequest

                    /// A value this build does not know.
                    case unrecognized(Swift.String)
                """))
        #expect(
            try requireDeclaration("enum ProtocolVersion", in: constants) == """
                /// The protocol.
                public enum ProtocolVersion {
                    /// Every version this server speaks, oldest first; each connection gets the highest one its client's range allows.
                    public static let supported: [Swift.Int] = [3, 4]

                    /// The newest version this server speaks.
                    public static let current: Swift.Int = 4

                    /// The oldest version this server speaks: a client range must reach it.
                    public static let minimumClient: Swift.Int = 3

                    /// The lowest version a probe-mode client range may reach.
                    public static let minimumProbe: Swift.Int = 4
                }
                """
        )
        #expect(
            try requireDeclaration("enum ProtocolLimits", in: constants) == """
                /// Every limit the protocol names; handlers read these, never literals.
                public enum ProtocolLimits {
                    /// Largest frame.
                    ///
                    /// - Remark: Generated from spec/protocol.yaml#/limits/maxPayload
                    public static let maxPayload: Swift.Int = 1024
                }
                """
        )
        #expect(
            try requireDeclaration("enum ErrorDetailCode", in: types) == """
                /// Structured `error.details.code` values.
                ///
                /// - Remark: Generated from spec/errors.yaml#/ErrorDetailCode
                public enum ErrorDetailCode: Swift.String, ClosedStringEnum {
                    /// No token was sent.
                    case authTokenMissing = "AUTH_TOKEN_MISSING"

                    /// No such agent.
                    case unknownAgentId = "UNKNOWN_AGENT_ID"

                    public init(from decoder: any Swift.Decoder) throws {
                        try self.init(closedFrom: decoder)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        try self.encodeRawValue(to: encoder)
                    }
                }
                """
        )
        #expect(
            try requireDeclaration("extension ErrorDetailCode", in: constants) == """
                extension ErrorDetailCode {
                    /// The type `error.details` has when it carries this code; nil when the spec declares none.
                    public var detailsType: (any ErrorDetails.Type)? {
                        switch self {
                        case .unknownAgentId: UnknownAgentIdDetails.self
                        default: nil
                        }
                    }
                }
                """
        )
        #expect(constants.contains("extension UnknownAgentIdDetails: ErrorDetails {"))
        #expect(
            try requireDeclaration("enum CloseCodes", in: constants) == """
                /// WebSocket close codes and their fixed reasons.
                public enum CloseCodes {
                    /// Closed without a reason.
                    ///
                    /// - Remark: Generated from spec/errors.yaml#/closeCodes/normal
                    public static let normal: CloseCodeInfo = CloseCodeInfo(code: 1000, reason: nil)

                    /// The gateway is restarting.
                    ///
                    /// - Remark: Generated from spec/errors.yaml#/closeCodes/serviceRestart
                    public static let serviceRestart: CloseCodeInfo = CloseCodeInfo(code: 1012, reason: "service restart")
                }
                """
        )
    }

    @Test("A patch field is a `Patch<T>`: absent, null or a value, each decoded and encoded as itself")
    func patchField() throws {
        let types = try Snippet.swift(
            "Types.swift",
            [
                "spec/types/a.yaml":
                    "P: {doc: P., fields: {key: string, label: {type: string?, patch: true, doc: L.}, n: {type: int?, patch: true, minimum: 1, doc: N.}}}\n"
            ]
        )
        let type = try requireDeclaration("struct P", in: types)
        #expect(type.contains("    public var label: Patch<Swift.String>\n"))
        #expect(type.contains("public init(key: Swift.String, label: Patch<Swift.String> = .absent, n: Patch<Swift.Int> = .absent)"))
        #expect(type.contains("        self.label = try container.decodePatchField(Swift.String.self, forKey: .label)\n"))
        #expect(type.contains("        try container.checkBounds(self.n.value, forKey: .n, minimum: 1)\n"))
        #expect(type.contains("        try container.encodePatch(self.label, forKey: .label)\n"))
    }

    @Test("A field named `self` does not shadow `self` in the memberwise init")
    func fieldNamedSelf() throws {
        let types = try Snippet.swift(
            "Types.swift", ["spec/types/a.yaml": "A: {doc: A., fields: {self: int, other: int}}\n"]
        )
        let type = try requireDeclaration("struct A", in: types)
        #expect(type.contains("    public var `self`: Swift.Int\n"))
        #expect(type.contains("        case `self`\n"))
        // In `init(self: Swift.Int, other: Swift.Int)`, `self.other = other` would be a member access on the `Swift.Int`
        // parameter ("value of type 'Int' has no member 'other'"), so the parameter keeps its label but not its name.
        #expect(!type.contains("public init(self: "))
        #expect(
            type.contains(
                """
                    /// Creates a value from its fields.
                    public init(self _self: Swift.Int, other: Swift.Int) {
                        self.`self` = _self
                        self.other = other
                    }
                """))
    }

    @Test("An object type without fields renders a struct that compiles")
    func emptyObjectType() throws {
        // Upstream has several params objects without properties (`{}` with additionalProperties false).
        let types = try Snippet.swift(
            "Types.swift",
            [
                "spec/types/empty.yaml": """
                NoParams:
                  doc: Takes nothing.
                  fields: {}
                """
            ]
        )
        let empty = try requireDeclaration("struct NoParams", in: types)
        #expect(compileBlockers(in: empty) == [])
        // Without a raw type the enum's synthesized `init?(stringValue:)` is always nil, so every key is rejected.
        #expect(
            empty.hasSuffix(
                """
                    public enum CodingKeys: Swift.CodingKey, Swift.CaseIterable {
                    }

                    public init(from decoder: any Swift.Decoder) throws {
                        _ = try decoder.strictContainer(keyedBy: CodingKeys.self)
                    }

                    public func encode(to encoder: any Swift.Encoder) throws {
                        _ = encoder.container(keyedBy: CodingKeys.self)
                    }
                }
                """)
        )
    }
}
