// Sources/ProtocolGenCore/Translator/translateConfig.swift - config keys → model, key table, reload rules, defaults

import Foundation

/// Translates the spec's config keys into `Config.swift`.
struct ConfigTranslator {
    let spec: Spec

    static let rootName = "OpenClawConfig"

    func translate() -> SwiftFile {
        var declarations: [SwiftDecl] = [object(path: nil, doc: "The whole config file (`openclaw.json`, JSON5).")]
        for key in spec.configKeys where key.type == .object {
            declarations.append(object(path: key.path, doc: key.doc))
            if let accounts = children(of: key.path).first(where: { $0.type == .accounts }) {
                declarations.append(accountObject(section: key, accounts: accounts))
            }
        }
        for key in spec.configKeys {
            if case .enumeration(let values) = key.type { declarations.append(enumeration(key, values)) }
        }
        declarations.append(scalarLookup())
        declarations.append(schema())
        declarations.append(jsonSchema())
        declarations.append(defaults())
        declarations.append(reloadActions())
        declarations.append(reloadRuleAction())
        declarations.append(paths())
        return SwiftFile(name: "Config.swift", imports: ["ProtocolSupport"], declarations: declarations)
    }

    static func structName(_ path: String) -> String { SwiftNames.typeName(path) + "Config" }

    /// The struct of one `accounts` entry of the section at `path`, e.g. `ChannelsIrcAccountConfig`.
    static func accountStructName(_ path: String) -> String { SwiftNames.typeName(path) + "AccountConfig" }

    private func children(of path: String?) -> [ConfigKey] { spec.configKeys(below: path) }

    private func swiftType(_ key: ConfigKey) -> String {
        switch key.type {
        case .object: Self.structName(key.path)
        case .passthrough, .any: "JSONValue"
        case .string: "Swift.String"
        case .int: "Swift.Int"
        case .number: "Swift.Double"
        case .bool: "Swift.Bool"
        case .stringArray: "[Swift.String]"
        case .stringMap: "[Swift.String: Swift.String]"
        case .accounts: "[Swift.String: " + Self.accountStructName(key.components.dropLast().joined(separator: ".")) + "]"
        case .enumeration: SwiftNames.typeName(key.path)
        }
    }

    /// One `accounts` entry of `section`: the section's keys except the `accounts` key itself and those
    /// marked `perAccount: false`, with the section's open/closed rule.
    private func accountObject(section: ConfigKey, accounts: ConfigKey) -> SwiftDecl {
        object(
            path: section.path,
            doc: "One entry of `\(accounts.path)`: the keys of `\(section.path)` for one account id, each overriding the section-level one.",
            name: Self.accountStructName(section.path), remark: Spec.remark(accounts.location, accounts.path),
            keys: children(of: section.path).filter { $0.perAccount && $0.type != .accounts }
        )
    }

    private func object(path: String?, doc: String) -> SwiftDecl {
        object(
            path: path, doc: doc, name: path.map(Self.structName) ?? Self.rootName,
            remark: location(of: path).map { Spec.remark($0, path!) }, keys: children(of: path)
        )
    }

    private func object(path: String?, doc: String, name: String, remark: String?, keys: [ConfigKey]) -> SwiftDecl {
        var members: [SwiftDecl] = keys.map { key in
            .property(
                doc: SwiftDoc(keyDoc(key), remark: Spec.remark(key.location, key.path)), modifiers: ["public"], keyword: "var",
                name: SwiftNames.identifier(key.components.last!), type: swiftType(key) + "?", value: nil
            )
        }
        members.append(.function(doc: SwiftDoc("An empty config: every key at its default."), attributes: [], signature: "public init()", body: []))
        members.append(.codingKeys(keys.map { key in (SwiftNames.identifier(key.components.last!), key.components.last!) }))
        // Without keys nothing reads the containers, but opening them still rejects every key and encodes `{}`.
        // An open object reads its listed keys and ignores the others; a closed one rejects them.
        let isOpen = path.flatMap { path in spec.configKeys.first { $0.path == path }?.open } ?? false
        let opener = isOpen ? "decoder.container(keyedBy: CodingKeys.self)" : "decoder.strictContainer(keyedBy: CodingKeys.self)"
        var decode = [(keys.isEmpty ? "_" : "let container") + " = try " + opener]
        var encode = [(keys.isEmpty ? "_" : "var container") + " = encoder.container(keyedBy: CodingKeys.self)"]
        for key in keys {
            let ident = SwiftNames.identifier(key.components.last!)
            decode.append("self.\(ident) = try container.decodeOptionalField(\(swiftType(key)).self, forKey: .\(ident))")
            if let range = key.range {
                decode.append("try container.checkBounds(self.\(ident), forKey: .\(ident), minimum: \(range.lowerBound), maximum: \(range.upperBound))")
            }
            encode.append("try container.encodeIfPresent(self.\(ident), forKey: .\(ident))")
        }
        members.append(.function(doc: nil, attributes: [], signature: "public init(from decoder: any Swift.Decoder) throws", body: decode))
        members.append(.function(doc: nil, attributes: [], signature: "public func encode(to encoder: any Swift.Encoder) throws", body: encode))
        return .type(
            SwiftTypeDecl(
                .struct, name, doc: SwiftDoc(doc, remark: remark),
                conformances: ["Swift.Codable", "Swift.Hashable", "Swift.Sendable"], members: members
            )
        )
    }

    private func location(of path: String?) -> SourceLocation? {
        spec.configKeys.first { $0.path == path }?.location
    }

    private func keyDoc(_ key: ConfigKey) -> String {
        var text = key.doc
        if let value = key.defaultValue { text += "\n\nDefault: `\(value)`." }
        if key.secret { text += "\n\nSecret: redacted in `config.get` and logs." }
        return text
    }

    private func enumeration(_ key: ConfigKey, _ values: [String]) -> SwiftDecl {
        TypesTranslator(spec: spec).translateClosedEnum(
            TypeDecl(name: SwiftNames.typeName(key.path), doc: "", kind: .enumeration(values: values, open: false), location: key.location),
            values, doc: SwiftDoc("Values of `\(key.path)`.", remark: Spec.remark(key.location, key.path))
        )
    }

    private var scalarKeys: [ConfigKey] {
        spec.configKeys.filter {
            switch $0.type {
            case .object, .passthrough, .any, .stringArray, .stringMap, .accounts: false
            default: true
            }
        }
    }

    private func scalarLookup() -> SwiftDecl {
        var body = ["switch path {"]
        for key in scalarKeys {
            let parts = key.components.map { SwiftNames.identifier($0) }
            let access = "self." + parts.joined(separator: "?.")
            let text: String
            switch key.type {
            case .int, .number, .bool: text = "\(access).map { Swift.String($0) }"
            case .enumeration: text = "\(access)?.rawValue"
            default: text = access
            }
            body.append("case \(SwiftNames.stringLiteral(key.path)): \(text)")
        }
        body += ["default: nil", "}"]
        return .type(
            SwiftTypeDecl(
                .extension, Self.rootName,
                members: [
                    .function(
                        doc: SwiftDoc("The text of a scalar key as set in the file (no default), for precedence chains."), attributes: [],
                        signature: "public func scalarValue(atPath path: Swift.String) -> Swift.String?", body: body
                    )
                ]
            )
        )
    }

    private func typeText(_ type: ConfigKey.ValueType) -> String {
        switch type {
        case .object: "object"
        case .passthrough: "passthrough"
        case .any: "any"
        case .string: "string"
        case .int: "int"
        case .number: "number"
        case .bool: "bool"
        case .stringArray: "[string]"
        case .stringMap: "[string: string]"
        case .accounts: "accounts"
        case .enumeration(let values): "enum(\(values.joined(separator: "|")))"
        }
    }

    private func schema() -> SwiftDecl {
        let rows = spec.configKeys.map { key in
            "ConfigKeyInfo(path: \(SwiftNames.stringLiteral(key.path)), type: \(SwiftNames.stringLiteral(typeText(key.type))), doc: \(SwiftNames.stringLiteral(key.doc)), defaultValue: \(key.defaultValue.map(SwiftNames.stringLiteral) ?? "nil"), reload: .\(key.reload.rawValue), action: \(key.action.map(SwiftNames.stringLiteral) ?? "nil"), secret: \(key.secret))"
        }
        let rules = spec.configKeys.map { key in
            "ReloadRule(prefix: \(SwiftNames.stringLiteral(key.path)), kind: .\(key.reload.rawValue), action: \(key.action.map(SwiftNames.stringLiteral) ?? "nil"))"
        }
        return .type(
            SwiftTypeDecl(
                .enum, "ConfigSchema", doc: SwiftDoc("Every config key the spec declares, and the reload rule each implies."),
                members: [
                    .property(
                        doc: SwiftDoc("Every key, in spec order."), modifiers: ["public", "static"], keyword: "let", name: "keys", type: "[ConfigKeyInfo]",
                        value: arrayLiteral(rows)),
                    .property(
                        doc: SwiftDoc("Reload rules: the longest matching prefix wins; an unmatched path restarts."), modifiers: ["public", "static"],
                        keyword: "let", name: "reloadRules", type: "[ReloadRule]", value: arrayLiteral(rules)),
                    .property(
                        doc: SwiftDoc("Paths of keys whose values are secrets."), modifiers: ["public", "static"], keyword: "let", name: "secretPaths",
                        type: "Swift.Set<Swift.String>",
                        value: "[" + spec.configKeys.filter(\.secret).map { SwiftNames.stringLiteral($0.path) }.joined(separator: ", ") + "]"),
                ]
            )
        )
    }

    /// The JSON Schema text in its own extension, so the key tables above stay readable.
    private func jsonSchema() -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .extension, "ConfigSchema",
                members: [
                    .property(
                        doc: SwiftDoc("The config file's JSON Schema (draft-07), as in `docs/config.schema.json`; served by `config.schema`."),
                        modifiers: ["public", "static"], keyword: "let", name: "jsonSchema", type: "Swift.String",
                        value: SwiftNames.stringLiteral((try? ConfigSchemaRenderer(spec: spec).render()) ?? "{}")
                    )
                ]
            )
        )
    }

    /// One element per line, for long tables; `[]` when there are none.
    private func arrayLiteral(_ elements: [String]) -> String {
        elements.isEmpty ? "[]" : "[\n        " + elements.joined(separator: ",\n        ") + ",\n    ]"
    }

    /// `ReloadAction`: the actions `config/reload.yaml` declares, so the reloader switches over cases.
    private func reloadActions() -> SwiftDecl {
        let cases: [SwiftDecl] = spec.reloadActions.map { action in
            let name = SwiftNames.identifier(action.name)
            return .enumCase(
                doc: SwiftDoc(action.doc, remark: Spec.remark(action.location, action.name)), name: name,
                rawValue: name.trimmingCharacters(in: ["`"]) == action.name ? nil : action.name, associated: nil
            )
        }
        return .type(
            .stringEnum(
                "ReloadAction", doc: SwiftDoc("What the gateway does in process when a key naming the action changes (`action:` in the spec)."),
                conformances: ["Swift.CaseIterable", "Swift.Sendable"], members: cases
            )
        )
    }

    private func reloadRuleAction() -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .extension, "ReloadRule",
                members: [
                    .function(
                        doc: SwiftDoc("The rule's action, typed."), attributes: [], signature: "public var reloadAction: ReloadAction?",
                        body: ["action.flatMap(ReloadAction.init(rawValue:))"]
                    )
                ]
            )
        )
    }

    /// `ConfigPath`: every key's dotted path, so code that names a key (a hint, a write) names a constant.
    private func paths() -> SwiftDecl {
        let members: [SwiftDecl] = spec.configKeys.map { key in
            .property(
                doc: SwiftDoc("`\(key.path)`."), modifiers: ["public", "static"], keyword: "let",
                name: SwiftNames.identifier(key.path), type: "Swift.String", value: SwiftNames.stringLiteral(key.path)
            )
        }
        return .type(SwiftTypeDecl(.enum, "ConfigPath", doc: SwiftDoc("The dotted path of every config key the spec declares."), members: members))
    }

    private func defaults() -> SwiftDecl {
        let members: [SwiftDecl] = spec.configKeys.compactMap { key in
            guard let value = key.defaultValue else { return nil }
            let literal: String
            switch key.type {
            case .int, .bool: literal = value
            case .number: literal = Double(value).map { "\($0)" } ?? value
            case .enumeration: literal = "." + SwiftNames.identifier(value)
            default: literal = SwiftNames.stringLiteral(value)
            }
            return .property(
                doc: SwiftDoc("Default of `\(key.path)`."), modifiers: ["public", "static"], keyword: "let",
                name: SwiftNames.identifier(key.path), type: swiftType(key), value: literal
            )
        }
        return .type(SwiftTypeDecl(.enum, "ConfigDefaults", doc: SwiftDoc("The default of every key that has one."), members: members))
    }
}
