// Sources/ProtocolGenCore/Translator/translateEvents.swift - the event table and typed event constructors

import Foundation

/// Translates the spec's events into `Events.swift`.
struct EventsTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        SwiftFile(name: "Events.swift", imports: ["ProtocolSupport"], declarations: [table(), outbound(), constructors()])
    }

    private func caseName(_ event: EventDecl) -> String { SwiftNames.identifier(event.name) }

    private func property(_ name: String, _ type: String, _ doc: String, _ value: (EventDecl) -> String) -> SwiftDecl {
        .function(
            doc: SwiftDoc(doc), attributes: [], signature: "public var \(name): \(type)",
            body: ["switch self {"] + spec.events.map { "case .\(caseName($0)): \(value($0))" } + ["}"]
        )
    }

    private func table() -> SwiftDecl {
        var members: [SwiftDecl] = spec.events.map { event in
            .enumCase(
                doc: SwiftDoc(event.doc, remark: Spec.remark(event.location, event.name)), name: caseName(event),
                rawValue: caseName(event).trimmingCharacters(in: ["`"]) == event.name ? nil : event.name, associated: nil
            )
        }
        members.append(property("delivery", "EventDelivery", "Broadcast with `seq`, or targeted without.") { ".\($0.delivery.rawValue)" })
        members.append(property("scope", "MethodScope", "The scope a connection needs to receive it.") { ".\($0.scope.rawValue)" })
        members.append(property("isDroppable", "Swift.Bool", "May be dropped for a slow consumer instead of closing it.") { "\($0.droppable)" })
        members.append(property("carriesStateVersion", "Swift.Bool", "Carries the server's `stateVersion`.") { "\($0.stateVersion)" })
        members.append(
            property("versions", "VersionRange", "The protocol versions it exists in.") {
                "VersionRange(since: \($0.since)\($0.until.map { ", until: \($0)" } ?? ""))"
            })
        members.append(
            .function(
                doc: SwiftDoc("What `hello-ok.features.events` lists for a connection speaking `version`."), attributes: [],
                signature: "public static func advertised(in version: Swift.Int) -> [GatewayEvent]",
                body: ["advertised.filter { $0.versions.contains(version) }"]
            )
        )
        members.append(
            .property(
                doc: SwiftDoc("Events as `hello-ok.features.events` lists them."), modifiers: ["public", "static"], keyword: "let",
                name: "advertised", type: "[GatewayEvent]", value: "[" + spec.events.map { ".\(caseName($0))" }.joined(separator: ", ") + "]"
            )
        )
        return .type(
            .stringEnum(
                "GatewayEvent", doc: SwiftDoc("Every event the spec declares."),
                conformances: ["Swift.CaseIterable", "Swift.Sendable"], members: members
            )
        )
    }

    private func outbound() -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .struct, "OutboundEvent", doc: SwiftDoc("An event and its encoded payload, built only through the typed constructors below."),
                conformances: ["Swift.Sendable"],
                members: [
                    .property(doc: nil, modifiers: ["public"], keyword: "let", name: "event", type: "GatewayEvent", value: nil),
                    .property(doc: nil, modifiers: ["public"], keyword: "let", name: "payload", type: "EncodedJSON", value: nil),
                    .function(
                        doc: nil, attributes: [], signature: "init(event: GatewayEvent, payload: EncodedJSON)",
                        body: ["self.event = event", "self.payload = payload"]),
                ]
            )
        )
    }

    private func constructors() -> SwiftDecl {
        var members: [SwiftDecl] = []
        for event in spec.events {
            let name = caseName(event)
            members.append(
                .function(
                    doc: SwiftDoc("A `\(event.name)` event.", remark: Spec.remark(event.location, event.name)), attributes: [],
                    signature: "public static func \(name)(_ payload: \(event.payload)) throws -> OutboundEvent",
                    body: ["OutboundEvent(event: .\(name), payload: try Payload(payload).erased)"]
                )
            )
            members.append(
                .function(
                    doc: SwiftDoc("A `\(event.name)` event with a payload encoded earlier."), attributes: [],
                    signature: "public static func \(name)(_ payload: Payload<\(event.payload)>) -> OutboundEvent",
                    body: ["OutboundEvent(event: .\(name), payload: payload.erased)"]
                )
            )
        }
        return .type(SwiftTypeDecl(.extension, "OutboundEvent", members: members))
    }
}
