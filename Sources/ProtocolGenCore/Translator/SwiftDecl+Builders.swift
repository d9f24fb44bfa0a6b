// Sources/ProtocolGenCore/Translator/SwiftDecl+Builders.swift - declaration shapes several translators share

extension SwiftDecl {
    /// A `CodingKeys` enum with one case per key, raw-valued with the wire name where it differs from the case name.
    ///
    /// An enum without cases cannot declare a raw type, so a type without keys gets a plain `CodingKey` enum.
    /// Its synthesized `init?(stringValue:)` is always nil, so `strictContainer` rejects every key.
    static func codingKeys(_ keys: [(name: String, wire: String)]) -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .enum, "CodingKeys", conformances: (keys.isEmpty ? [] : ["Swift.String"]) + ["Swift.CodingKey", "Swift.CaseIterable"],
                members: keys.map { key in
                    .enumCase(doc: nil, name: key.name, rawValue: key.name.trimmingCharacters(in: ["`"]) == key.wire ? nil : key.wire, associated: nil)
                }
            )
        )
    }
}

extension SwiftTypeDecl {
    /// An enum whose raw values are strings.
    ///
    /// An enum without cases cannot declare a raw type, so an empty one (an empty spec section) conforms to
    /// `RawRepresentable` itself: no string is one of its values, and it has no value to ask for a `rawValue`.
    static func stringEnum(_ name: String, doc: SwiftDoc?, conformances: [String], members: [SwiftDecl]) -> SwiftTypeDecl {
        let hasCases = members.contains { member in
            if case .enumCase = member { return true }
            return false
        }
        if hasCases {
            return SwiftTypeDecl(.enum, name, doc: doc, conformances: ["Swift.String"] + conformances, members: members)
        }
        let rawRepresentable: [SwiftDecl] = [
            .function(doc: nil, attributes: [], signature: "public init?(rawValue: Swift.String)", body: ["nil"]),
            .function(doc: nil, attributes: [], signature: "public var rawValue: Swift.String", body: ["switch self {", "}"]),
        ]
        return SwiftTypeDecl(.enum, name, doc: doc, conformances: ["Swift.RawRepresentable"] + conformances, members: rawRepresentable + members)
    }
}
