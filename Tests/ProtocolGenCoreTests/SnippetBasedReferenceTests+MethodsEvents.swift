// Tests/ProtocolGenCoreTests/SnippetBasedReferenceTests+MethodsEvents.swift - the method and event tables: YAML in, Swift out

import ProtocolGenCore
import Testing

@Suite("Snippets: methods and events")
struct SnippetMethodsEventsTests {
    static let types = """
        Params:
          doc: Some params.
          fields:
            probe: {type: bool?, doc: "Refresh now."}
        Summary:
          doc: A result.
          fields:
            ok: {type: bool, doc: "Whether all is well."}
        """

    static let methods = """
        connect:
          doc: The handshake.
          handshake: true
          params: Params
          result: Summary
        health:
          doc: The health summary.
          params: Params
          result: Summary
        system-presence:
          doc: The presence list.
          scope: read
          result: "[Summary]"
        last-heartbeat:
          doc: The last beat, or null.
          scope: admin
          since: 2
          result: Summary?
        """

    @Test("A method becomes a table case, a handler requirement and a dispatch case")
    func methods() throws {
        let text = try Snippet.swift(
            "Methods.swift", ["spec/types/t.yaml": Self.types, "spec/methods/system.yaml": Self.methods]
        )
        #expect(
            try requireDeclaration("enum GatewayMethod", in: text) == """
                /// Every RPC method the spec declares.
                public enum GatewayMethod: Swift.String, Swift.CaseIterable, Swift.Sendable {
                    /// The handshake.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/connect
                    case connect

                    /// The health summary.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/health
                    case health

                    /// The presence list.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/system-presence
                    case systemPresence = "system-presence"

                    /// The last beat, or null.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/last-heartbeat
                    case lastHeartbeat = "last-heartbeat"

                    /// Who may call it.
                    public var scope: MethodScope {
                        switch self {
                        case .connect: .none
                        case .health: .none
                        case .systemPresence: .read
                        case .lastHeartbeat: .admin
                        }
                    }

                    /// The protocol versions it exists in.
                    public var versions: VersionRange {
                        switch self {
                        case .connect: VersionRange(since: 0)
                        case .health: VersionRange(since: 0)
                        case .systemPresence: VersionRange(since: 0)
                        case .lastHeartbeat: VersionRange(since: 2)
                        }
                    }

                    /// What `hello-ok.features.methods` lists for a connection speaking `version`.
                    public static func advertised(in version: Swift.Int) -> [GatewayMethod] {
                        advertised.filter { $0.versions.contains(version) }
                    }

                    /// Methods dispatched after the handshake, as `hello-ok.features.methods` lists them.
                    public static let advertised: [GatewayMethod] = [.health, .systemPresence, .lastHeartbeat]
                }
                """
        )
        #expect(
            try requireDeclaration("protocol GatewayMethodHandler", in: text) == """
                /// Implements every method of the table; each requirement is typed by the spec.
                public protocol GatewayMethodHandler: Swift.Sendable {
                    /// Whatever a handler needs to know about the caller.
                    associatedtype Context: Swift.Sendable

                    /// The health summary.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/health
                    func health(_ params: Params, context: Context) async throws -> Payload<Summary>

                    /// The presence list.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/system-presence
                    func systemPresence(context: Context) async throws -> Payload<[Summary]>

                    /// The last beat, or null.
                    ///
                    /// - Remark: Generated from spec/methods/system.yaml#/last-heartbeat
                    func lastHeartbeat(context: Context) async throws -> Payload<Summary?>
                }
                """
        )
        #expect(
            try requireDeclaration("extension GatewayMethod", in: text) == """
                extension GatewayMethod {
                    /// Decodes the params this method takes, calls its handler, and returns the encoded result.
                    /// - Throws: `InvalidParams` when params fail validation, `HandshakeOnlyMethod` for `connect`, or the handler's error.
                    public func call<Handler: GatewayMethodHandler>(_ handler: Handler, params: RequestParams, context: Handler.Context) async throws -> EncodedJSON {
                        switch self {
                        case .connect:
                            throw HandshakeOnlyMethod(method: rawValue)
                        case .health:
                            return try await handler.health(params.decode(Params.self, method: rawValue), context: context).erased
                        case .systemPresence:
                            return try await handler.systemPresence(context: context).erased
                        case .lastHeartbeat:
                            return try await handler.lastHeartbeat(context: context).erased
                        }
                    }
                }
                """
        )
    }

    @Test("A method with `idempotency:` is dispatched through the handler's idempotent wrapper, its rule tabled")
    func idempotentMethod() throws {
        let text = try Snippet.swift(
            "Methods.swift",
            [
                "spec/types/t.yaml": Self.types + "\nSendParams: {doc: P., fields: {idempotencyKey: {type: string, doc: K.}}}\n",
                "spec/methods/m.yaml": """
                send:
                  doc: Sends.
                  params: SendParams
                  result: Summary
                  idempotency: {key: idempotencyKey, whileRunning: wait, errors: replay}
                health:
                  doc: Health.
                  result: Summary
                """,
            ]
        )
        #expect(
            text.contains(
                """
                    public var idempotency: IdempotencyRule? {
                        switch self {
                        case .send: IdempotencyRule(namespace: "send", whileRunning: .wait, errors: .replay)
                        default: nil
                        }
                    }
                """
            )
        )
        #expect(
            text.contains(
                """
                    func idempotent(_ key: IdempotencyKey, context: Context, call: (Context) async throws -> EncodedJSON) async throws -> EncodedJSON
                """
            )
        )
        #expect(
            text.contains(
                """
                        case .send:
                            let decoded = try params.decode(SendParams.self, method: rawValue)
                            let key = IdempotencyKey(decoded.idempotencyKey, rule: IdempotencyRule(namespace: "send", whileRunning: .wait, errors: .replay))
                            return try await handler.idempotent(key, context: context) { context in
                                try await handler.send(decoded, context: context).erased
                            }
                        case .health:
                """
            )
        )
    }

    @Test("A method named like a Swift keyword is escaped everywhere")
    func keywordMethod() throws {
        let text = try Snippet.swift(
            "Methods.swift",
            [
                "spec/types/t.yaml": Self.types,
                "spec/methods/m.yaml": """
                default:
                  doc: A keyword.
                  result: Summary
                """,
            ]
        )
        #expect(text.contains("    case `default`\n"))
        #expect(text.contains("    func `default`(context: Context) async throws -> Payload<Summary>\n"))
        #expect(text.contains("return try await handler.`default`(context: context).erased\n"))
    }

    static let events = """
        connect.challenge:
          doc: The first frame.
          payload: Summary
          delivery: targeted
        tick:
          doc: Liveness.
          payload: Summary
          droppable: true
        presence:
          doc: Presence changed.
          payload: Summary
          scope: read
          stateVersion: true
        """

    @Test("An event becomes a table case with its delivery rules and two typed constructors")
    func events() throws {
        let text = try Snippet.swift("Events.swift", ["spec/types/t.yaml": Self.types, "spec/events/system.yaml": Self.events])
        #expect(
            try requireDeclaration("enum GatewayEvent", in: text) == """
                /// Every event the spec declares.
                public enum GatewayEvent: Swift.String, Swift.CaseIterable, Swift.Sendable {
                    /// The first frame.
                    ///
                    /// - Remark: Generated from spec/events/system.yaml#/connect.challenge
                    case connectChallenge = "connect.challenge"

                    /// Liveness.
                    ///
                    /// - Remark: Generated from spec/events/system.yaml#/tick
                    case tick

                    /// Presence changed.
                    ///
                    /// - Remark: Generated from spec/events/system.yaml#/presence
                    case presence

                    /// Broadcast with `seq`, or targeted without.
                    public var delivery: EventDelivery {
                        switch self {
                        case .connectChallenge: .targeted
                        case .tick: .broadcast
                        case .presence: .broadcast
                        }
                    }

                    /// The scope a connection needs to receive it.
                    public var scope: MethodScope {
                        switch self {
                        case .connectChallenge: .none
                        case .tick: .none
                        case .presence: .read
                        }
                    }

                    /// May be dropped for a slow consumer instead of closing it.
                    public var isDroppable: Swift.Bool {
                        switch self {
                        case .connectChallenge: false
                        case .tick: true
                        case .presence: false
                        }
                    }

                    /// Carries the server's `stateVersion`.
                    public var carriesStateVersion: Swift.Bool {
                        switch self {
                        case .connectChallenge: false
                        case .tick: false
                        case .presence: true
                        }
                    }

                    /// The protocol versions it exists in.
                    public var versions: VersionRange {
                        switch self {
                        case .connectChallenge: VersionRange(since: 0)
                        case .tick: VersionRange(since: 0)
                        case .presence: VersionRange(since: 0)
                        }
                    }

                    /// What `hello-ok.features.events` lists for a connection speaking `version`.
                    public static func advertised(in version: Swift.Int) -> [GatewayEvent] {
                        advertised.filter { $0.versions.contains(version) }
                    }

                    /// Events as `hello-ok.features.events` lists them.
                    public static let advertised: [GatewayEvent] = [.connectChallenge, .tick, .presence]
                }
                """
        )
        #expect(
            try requireDeclaration("extension OutboundEvent", in: text) == """
                extension OutboundEvent {
                    /// A `connect.challenge` event.
                    ///
                    /// - Remark: Generated from spec/events/system.yaml#/connect.challenge
                    public static func connectChallenge(_ payload: Summary) throws -> OutboundEvent {
                        OutboundEvent(event: .connectChallenge, payload: try Payload(payload).erased)
                    }

                    /// A `connect.challenge` event with a payload encoded earlier.
                    public static func connectChallenge(_ payload: Payload<Summary>) -> OutboundEvent {
                        OutboundEvent(event: .connectChallenge, payload: payload.erased)
                    }

                    /// A `tick` event.
                    ///
                    /// - Remark: Generated from spec/events/system.yaml#/tick
                    public static func tick(_ payload: Summary) throws -> OutboundEvent {
                        OutboundEvent(event: .tick, payload: try Payload(payload).erased)
                    }

                    /// A `tick` event with a payload encoded earlier.
                    public static func tick(_ payload: Payload<Summary>) -> OutboundEvent {
                        OutboundEvent(event: .tick, payload: payload.erased)
                    }

                    /// A `presence` event.
                    ///
                    /// - Remark: Generated from spec/events/system.yaml#/presence
                    public static func presence(_ payload: Summary) throws -> OutboundEvent {
                        OutboundEvent(event: .presence, payload: try Payload(payload).erased)
                    }

                    /// A `presence` event with a payload encoded earlier.
                    public static func presence(_ payload: Payload<Summary>) -> OutboundEvent {
                        OutboundEvent(event: .presence, payload: payload.erased)
                    }
                }
                """
        )
        #expect(
            try requireDeclaration("struct OutboundEvent", in: text) == """
                /// An event and its encoded payload, built only through the typed constructors below.
                public struct OutboundEvent: Swift.Sendable {
                    public let event: GatewayEvent
                    public let payload: EncodedJSON

                    init(event: GatewayEvent, payload: EncodedJSON) {
                        self.event = event
                        self.payload = payload
                    }
                }
                """
        )
    }

    @Test("An event named like a Swift keyword gets constructors whose names are escaped")
    func keywordEvent() throws {
        let text = try Snippet.swift(
            "Events.swift",
            [
                "spec/types/t.yaml": Self.types,
                "spec/events/e.yaml": """
                default:
                  doc: A keyword.
                  payload: Summary
                """,
            ]
        )
        #expect(text.contains("    case `default`\n"))
        #expect(text.contains("    public static func `default`(_ payload: Summary) throws -> OutboundEvent {\n"))
        #expect(text.contains("    public static func `default`(_ payload: Payload<Summary>) -> OutboundEvent {\n"))
    }
}
