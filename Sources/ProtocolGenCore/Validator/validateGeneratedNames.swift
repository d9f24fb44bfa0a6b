// Sources/ProtocolGenCore/Validator/validateGeneratedNames.swift - spec names that would become the same Swift name

extension SpecValidator {
    /// One name the generator declares for a spec entry.
    struct GeneratedName {
        /// The Swift name, without backticks.
        var swift: String
        /// How a diagnostic names the spec entry: `method 'system.presence'`.
        var entry: String
        var location: SourceLocation

        init(_ swift: String, _ entry: String, at location: SourceLocation) {
            self.swift = swift.trimmingCharacters(in: ["`"])
            self.entry = entry
            self.location = location
        }
    }

    /// Names the generated module declares whatever the spec holds, or refers to in `Swift`, `ProtocolSupport` and
    /// `ArgumentParser`: a spec type of that name would clash with or shadow them.
    static let reservedTypeNames: Set<String> = [
        "Swift", "ProtocolSupport", "ArgumentParser",
        "GatewayMethod", "GatewayMethodHandler", "GatewayEvent", "OutboundEvent", "ProtocolVersion", "ProtocolLimits",
        "CloseCodes", "ScopeRules", "GeneratedAPIVersion", ConfigTranslator.rootName, "ConfigSchema", "ConfigDefaults", "Precedence",
        "Payload", "EncodedJSON", "JSONValue", "MethodScope", "EventDelivery", "CloseCodeInfo", "ConfigKeyInfo", "ReloadRule",
        "PrecedenceChain", "RequestParams", "HandshakeOnlyMethod", "ClosedStringEnum", "OpenStringEnum", "ProtocolGenAPIVersion_1",
        "ParsableArguments",
    ]

    /// Reports spec entries that generate the same Swift name in one scope, such as `system-presence` and
    /// `system.presence` (both `GatewayMethod.systemPresence`), or a config enum named like a spec type.
    func validateGeneratedNames(_ spec: Spec, into out: inout DiagnosticCollector) {
        var types = spec.types.map { GeneratedName($0.name, "type '\($0.name)'", at: $0.location) }
        for key in spec.configKeys {
            switch key.type {
            case .object: types.append(GeneratedName(ConfigTranslator.structName(key.path), "config object '\(key.path)'", at: key.location))
            case .enumeration: types.append(GeneratedName(SwiftNames.typeName(key.path), "config enum '\(key.path)'", at: key.location))
            default: break
            }
        }
        types += spec.commands.map { GeneratedName(SwiftNames.typeName($0.name) + "Options", "command '\($0.name)'", at: $0.location) }
        checkCollisions(types, scope: nil, reserved: Self.reservedTypeNames, into: &out)

        let methods = spec.methods.map { GeneratedName(SwiftNames.identifier($0.name), "method '\($0.name)'", at: $0.location) }
        checkCollisions(methods, scope: "GatewayMethod", reserved: ["advertised"], into: &out)
        let events = spec.events.map { GeneratedName(SwiftNames.identifier($0.name), "event '\($0.name)'", at: $0.location) }
        checkCollisions(events, scope: "GatewayEvent", reserved: ["advertised"], into: &out)

        for type in spec.types {
            switch type.kind {
            case .object(let fields, _):
                let names = fields.map { GeneratedName(SwiftNames.identifier($0.name), "field '\(type.name).\($0.name)'", at: $0.location) }
                checkCollisions(names, scope: type.name, reserved: [], into: &out)
            case .enumeration(let values, let open):
                let names = values.map { GeneratedName(SwiftNames.identifier($0), "value '\($0)' of \(type.name)", at: type.location) }
                checkCollisions(names, scope: type.name, reserved: open ? ["unrecognized", "knownCases"] : [], into: &out)
            }
        }

        var parents = [String: [ConfigKey]]()
        for key in spec.configKeys {
            parents[key.components.dropLast().joined(separator: "."), default: []].append(key)
            if case .enumeration(let values) = key.type {
                let names = values.map { GeneratedName(SwiftNames.identifier($0), "value '\($0)' of '\(key.path)'", at: key.location) }
                checkCollisions(names, scope: SwiftNames.typeName(key.path), reserved: [], into: &out)
            }
        }
        for (parent, keys) in parents.sorted(by: { $0.key < $1.key }) {
            let names = keys.map { GeneratedName(SwiftNames.identifier($0.components.last!), "config key '\($0.path)'", at: $0.location) }
            checkCollisions(names, scope: parent.isEmpty ? ConfigTranslator.rootName : ConfigTranslator.structName(parent), reserved: [], into: &out)
        }
        let defaults = spec.configKeys.filter { $0.defaultValue != nil }
        checkCollisions(
            defaults.map { GeneratedName(SwiftNames.identifier($0.path), "default of config key '\($0.path)'", at: $0.location) },
            scope: "ConfigDefaults", reserved: [], into: &out
        )

        checkCollisions(
            spec.limits.map { GeneratedName(SwiftNames.identifier($0.name), "limit '\($0.name)'", at: $0.location) }, scope: "ProtocolLimits", reserved: [],
            into: &out)
        checkCollisions(
            spec.closeCodes.map { GeneratedName(SwiftNames.identifier($0.name), "close code '\($0.name)'", at: $0.location) }, scope: "CloseCodes",
            reserved: [], into: &out)
        checkCollisions(
            spec.detailCodes.map { GeneratedName(SwiftNames.identifier($0.name), "detail code '\($0.name)'", at: $0.location) },
            scope: "ErrorDetailCode", reserved: [], into: &out
        )
        checkCollisions(
            spec.chains.map { GeneratedName(SwiftNames.identifier($0.name), "precedence chain '\($0.name)'", at: $0.location) }, scope: "Precedence",
            reserved: [], into: &out)
        for command in spec.commands {
            let options = command.options.map { GeneratedName(SwiftNames.identifier($0.name), "option '--\($0.name)' of '\(command.name)'", at: $0.location) }
            let flags = command.flags.map { GeneratedName(SwiftNames.identifier($0.name), "flag '--\($0.name)' of '\(command.name)'", at: $0.location) }
            checkCollisions(options + flags, scope: SwiftNames.typeName(command.name) + "Options", reserved: ["given"], into: &out)
        }
    }

    /// Reports each name after the first that generates the same Swift name in `scope` (nil: the module's top level),
    /// and each that generates a name the generator declares there itself.
    ///
    /// Entries that are literally the same (a duplicated name) are left to the duplicate checks.
    private func checkCollisions(_ names: [GeneratedName], scope: String?, reserved: Set<String>, into out: inout DiagnosticCollector) {
        var seen: [String: GeneratedName] = [:]
        for name in names {
            let qualified = "`" + (scope.map { "\($0)." } ?? "") + name.swift + "`"
            if reserved.contains(name.swift) {
                out.error("\(name.entry) would generate \(qualified), a name the generated code already uses", at: name.location)
            } else if let first = seen[name.swift] {
                if first.entry != name.entry {
                    out.error("\(name.entry) and \(first.entry) (declared at \(first.location)) both generate \(qualified)", at: name.location)
                }
            } else {
                seen[name.swift] = name
            }
        }
    }
}
