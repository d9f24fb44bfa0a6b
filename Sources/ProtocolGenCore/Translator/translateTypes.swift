// Sources/ProtocolGenCore/Translator/translateTypes.swift - named types → Codable structs and enums

import Foundation

/// Translates the spec's named types into `Types.swift`.
struct TypesTranslator {
    let spec: Spec
    private let versioned: Set<String>

    init(spec: Spec) {
        self.spec = spec
        self.versioned = spec.versionedTypes
    }

    private var versions: [Int] { spec.protocolInfo.versions }

    /// `VersionRange(since: 4)` for a field that exists in some versions only, else nil.
    private func range(_ field: Field) -> String? {
        guard field.versions(of: versions).count != versions.count else { return nil }
        let parts = [field.since > 0 ? "since: \(field.since)" : nil, field.until.map { "until: \($0)" }].compactMap { $0 }
        return "VersionRange(\(parts.joined(separator: ", ")))"
    }

    func translate() -> SwiftFile {
        SwiftFile(
            name: "Types.swift", imports: ["ProtocolSupport"],
            declarations: spec.types.map { type in
                switch type.kind {
                case .object(let fields, _): translateObject(type, fields)
                case .enumeration(let values, let open): open ? translateOpenEnum(type, values) : translateClosedEnum(type, values)
                }
            }
        )
    }

    private func doc(_ type: TypeDecl) -> SwiftDoc {
        SwiftDoc(type.doc, remark: Spec.remark(type.location, type.name))
    }

    private func fieldType(_ field: Field) -> String {
        if field.patch { return "Patch<\(field.type.swift)>" }
        return field.optional ? field.type.swift + "?" : field.type.swift
    }

    func translateObject(_ type: TypeDecl, _ fields: [Field]) -> SwiftDecl {
        let stored = fields.filter { $0.constant == nil }
        var members: [SwiftDecl] = stored.map { field in
            return .property(
                doc: SwiftDoc(field.doc + versionNote(field)), modifiers: ["public"], keyword: "var", name: SwiftNames.identifier(field.name),
                type: fieldType(field), value: nil
            )
        }
        let parameters = stored.map { field in
            let (label, local) = parameterNames(field)
            let declared = local == SwiftNames.identifier(field.name) ? label : "\(label) \(local)"
            return "\(declared): \(fieldType(field))\(field.patch ? " = .absent" : field.optional ? " = nil" : "")"
        }
        members.append(
            .function(
                doc: SwiftDoc("Creates a value from its fields."), attributes: [],
                signature: "public init(\(parameters.joined(separator: ", ")))",
                body: stored.map { field in "self.\(SwiftNames.identifier(field.name)) = \(parameterNames(field).local)" }
            )
        )
        members.append(.codingKeys(fields.map { (SwiftNames.identifier($0.name), $0.name) }))
        members.append(.function(doc: nil, attributes: [], signature: "public init(from decoder: any Swift.Decoder) throws", body: decodeBody(fields)))
        members.append(.function(doc: nil, attributes: [], signature: "public func encode(to encoder: any Swift.Encoder) throws", body: encodeBody(fields)))
        let conformances = ["Swift.Codable", "Swift.Hashable", "Swift.Sendable"] + (versioned.contains(type.name) ? ["VersionedWire"] : [])
        members += wireVersions(type)
        return .type(SwiftTypeDecl(.struct, type.name, doc: doc(type), conformances: conformances, members: members))
    }

    /// The memberwise init's argument label (the field's Swift name, unescaped) and the name its body reads.
    ///
    /// A parameter named `self` would hide `self` in the body (`self.other = other` would read the parameter),
    /// so that one is read through a distinct local name.
    private func parameterNames(_ field: Field) -> (label: String, local: String) {
        let name = SwiftNames.identifier(field.name)
        let label = name.trimmingCharacters(in: ["`"])
        return (label, label == "self" ? "_self" : name)
    }

    /// The doc comment's note on which versions have the field.
    private func versionNote(_ field: Field) -> String {
        var notes: [String] = []
        if range(field) != nil {
            let have = field.versions(of: versions)
            notes.append("Only in protocol \(have.map(String.init).joined(separator: ", ")).")
        } else if field.since > 0 {
            notes.append("Since protocol \(field.since).")
        }
        if let required = field.requiredSince { notes.append("Required from protocol \(required).") }
        return notes.isEmpty ? "" : "\n\n" + notes.joined(separator: " ")
    }

    private func decodeBody(_ fields: [Field]) -> [String] {
        if fields.isEmpty { return ["_ = try decoder.strictContainer(keyedBy: CodingKeys.self)"] }
        let outside = fields.compactMap { field in range(field).map { (field, $0) } }
        let needsVersion = !outside.isEmpty || fields.contains { $0.requiredSince != nil }
        var lines: [String] = []
        if needsVersion { lines.append("let version = decoder.protocolVersion") }
        if outside.isEmpty {
            lines.append("let container = try decoder.strictContainer(keyedBy: CodingKeys.self)")
        } else {
            lines.append("var outside: [CodingKeys] = []")
            for (field, range) in outside {
                lines.append("if !\(range).contains(version) { outside.append(.\(SwiftNames.identifier(field.name))) }")
            }
            lines.append("let container = try decoder.strictContainer(keyedBy: CodingKeys.self, outside: outside)")
        }
        for field in fields {
            let name = SwiftNames.identifier(field.name)
            if let constant = field.constant {
                lines.append("try container.decodeConstant(\(SwiftNames.stringLiteral(constant)), forKey: .\(name))")
                continue
            }
            if field.patch {
                lines.append("self.\(name) = try container.decodePatchField(\(field.type.swift).self, forKey: .\(name))")
            } else if let required = field.requiredSince {
                lines.append(
                    "self.\(name) = VersionRange(since: \(required)).enforces(version) ? try container.decodeField(\(field.type.swift).self, forKey: .\(name)) : try container.decodeOptionalField(\(field.type.swift).self, forKey: .\(name))"
                )
            } else if field.optional {
                let nullable = field.nullable ? ", nullable: true" : ""
                lines.append("self.\(name) = try container.decodeOptionalField(\(field.type.swift).self, forKey: .\(name)\(nullable))")
            } else {
                lines.append("self.\(name) = try container.decodeField(\(field.type.swift).self, forKey: .\(name))")
            }
            if field.minimum != nil || field.maximum != nil, field.type == .int {
                let bounds = [field.minimum.map { "minimum: \($0)" }, field.maximum.map { "maximum: \($0)" }].compactMap { $0 }
                lines.append("try container.checkBounds(self.\(name)\(field.patch ? ".value" : ""), forKey: .\(name), \(bounds.joined(separator: ", ")))")
            }
            if let minLength = field.minLength, field.type == .string {
                lines.append("try container.checkLength(self.\(name)\(field.patch ? ".value" : ""), forKey: .\(name), minLength: \(minLength))")
            }
        }
        return lines
    }

    private func encodeBody(_ fields: [Field]) -> [String] {
        if fields.isEmpty { return ["_ = encoder.container(keyedBy: CodingKeys.self)"] }
        var lines = ["var container = encoder.container(keyedBy: CodingKeys.self)"]
        if fields.contains(where: { range($0) != nil || $0.requiredSince != nil }) {
            lines.append("let version = encoder.protocolVersion ?? ProtocolVersion.current")
        }
        for field in fields {
            let name = SwiftNames.identifier(field.name)
            let line: String
            if let constant = field.constant {
                line = "try container.encode(\(SwiftNames.stringLiteral(constant)), forKey: .\(name))"
            } else if field.patch {
                line = "try container.encodePatch(self.\(name), forKey: .\(name))"
            } else if let required = field.requiredSince {
                line =
                    "if VersionRange(since: \(required)).enforces(version) { try container.encodeRequired(self.\(name), forKey: .\(name)) } else { try container.encodeIfPresent(self.\(name), forKey: .\(name)) }"
            } else if field.optional && !field.nullable {
                line = "try container.encodeIfPresent(self.\(name), forKey: .\(name))"
            } else {
                line = "try container.encode(self.\(name), forKey: .\(name))"
            }
            lines.append(range(field).map { "if \($0).contains(version) { \(line) }" } ?? line)
        }
        return lines
    }

    /// A closed enum; `doc` replaces the type's own doc and remark (a config enum points at its key path).
    func translateClosedEnum(_ type: TypeDecl, _ values: [String], doc typeDoc: SwiftDoc? = nil) -> SwiftDecl {
        var members: [SwiftDecl] = values.map { value in
            let name = SwiftNames.identifier(value)
            return .enumCase(
                doc: type.valueDocs[value].map { SwiftDoc($0) }, name: name, rawValue: name.trimmingCharacters(in: ["`"]) == value ? nil : value,
                associated: nil)
        }
        let checks = valueChecks(type)
        var decode = ["try self.init(closedFrom: decoder)"]
        if !checks.isEmpty {
            // A value of a later version is not one of the allowed values for an older connection.
            decode.append("let version = decoder.protocolVersion")
            decode += checks.map {
                "if case .\($0.name) = self, !\($0.range).contains(version) { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: ValidationMessage.notAllowedValue)) }"
            }
        }
        members.append(.function(doc: nil, attributes: [], signature: "public init(from decoder: any Swift.Decoder) throws", body: decode))
        members.append(.function(doc: nil, attributes: [], signature: "public func encode(to encoder: any Swift.Encoder) throws", body: encodeEnum(checks)))
        members += wireVersions(type)
        return .type(
            .stringEnum(type.name, doc: typeDoc ?? doc(type), conformances: ["ClosedStringEnum"] + (checks.isEmpty ? [] : ["VersionedWire"]), members: members))
    }

    /// Enum values that exist from a later version on: the case name and its `VersionRange`.
    private func valueChecks(_ type: TypeDecl) -> [(name: String, range: String)] {
        type.valueSince.filter { $0.value > (versions.first ?? 0) }.sorted { $0.key < $1.key }.map { value, since in
            (SwiftNames.identifier(value), "VersionRange(since: \(since))")
        }
    }

    /// An enum's encoder: a value the version being written does not have cannot be written (`VersionUnavailable`),
    /// so a payload holding it is not sent to connections of that version.
    private func encodeEnum(_ checks: [(name: String, range: String)]) -> [String] {
        guard !checks.isEmpty else { return ["try self.encodeRawValue(to: encoder)"] }
        return ["let version = encoder.protocolVersion ?? ProtocolVersion.current"]
            + checks.map { "if case .\($0.name) = self, !\($0.range).contains(version) { throw VersionUnavailable(value: rawValue, version: version) }" }
            + ["try self.encodeRawValue(to: encoder)"]
    }

    private func wireVersions(_ type: TypeDecl) -> [SwiftDecl] {
        guard versioned.contains(type.name) else { return [] }
        return [
            .property(
                doc: SwiftDoc("Its JSON differs between these protocol versions."), modifiers: ["public", "static"], keyword: "let",
                name: "wireVersions", type: "[Swift.Int]", value: "ProtocolVersion.supported"
            )
        ]
    }

    func translateOpenEnum(_ type: TypeDecl, _ values: [String]) -> SwiftDecl {
        var members: [SwiftDecl] = values.map {
            .enumCase(doc: type.valueDocs[$0].map { SwiftDoc($0) }, name: SwiftNames.identifier($0), rawValue: nil, associated: nil)
        }
        members.append(.enumCase(doc: SwiftDoc("A value this build does not know."), name: "unrecognized", rawValue: nil, associated: "Swift.String"))
        members.append(
            .property(
                doc: SwiftDoc("Every value the spec lists."), modifiers: ["public", "static"], keyword: "let", name: "knownCases",
                type: "[\(type.name)]", value: "[" + values.map { "." + SwiftNames.identifier($0) }.joined(separator: ", ") + "]"
            )
        )
        var initBody = ["switch rawValue {"]
        var rawBody = ["switch self {"]
        for value in values {
            let name = SwiftNames.identifier(value)
            initBody.append("case \(SwiftNames.stringLiteral(value)): self = .\(name)")
            rawBody.append("case .\(name): \(SwiftNames.stringLiteral(value))")
        }
        initBody += ["default: self = .unrecognized(rawValue)", "}"]
        rawBody += ["case .unrecognized(let value): value", "}"]
        members.append(.function(doc: nil, attributes: [], signature: "public init(rawValue: Swift.String)", body: initBody))
        members.append(.function(doc: nil, attributes: [], signature: "public var rawValue: Swift.String", body: rawBody))
        members.append(
            .function(doc: nil, attributes: [], signature: "public init(from decoder: any Swift.Decoder) throws", body: ["try self.init(openFrom: decoder)"]))
        let checks = valueChecks(type)
        members.append(.function(doc: nil, attributes: [], signature: "public func encode(to encoder: any Swift.Encoder) throws", body: encodeEnum(checks)))
        members += wireVersions(type)
        return .type(
            SwiftTypeDecl(.enum, type.name, doc: doc(type), conformances: ["OpenStringEnum"] + (checks.isEmpty ? [] : ["VersionedWire"]), members: members))
    }
}
