// Sources/ProtocolGenCore/Validator/SpecValidator.swift - cross-reference checks over the parsed spec

/// Checks what the parser cannot see one file at a time: references, duplicates, defaults, versions.
public struct SpecValidator {
    public init() {}

    /// - Returns: warnings, when there are no errors.
    /// - Throws: `SpecErrors` with every error found.
    @discardableResult
    public func validate(_ spec: Spec) throws(SpecErrors) -> [Diagnostic] {
        var out = DiagnosticCollector()
        let typeNames = Set(spec.types.map(\.name))
        checkDuplicates(spec.types.map { ($0.name, $0.location) }, kind: "type", into: &out)
        checkDuplicates(spec.methods.map { ($0.name, $0.location) }, kind: "method", into: &out)
        checkDuplicates(spec.events.map { ($0.name, $0.location) }, kind: "event", into: &out)
        checkDuplicates(spec.configKeys.map { ($0.path, $0.location) }, kind: "config key", into: &out)
        checkDuplicates(spec.chains.map { ($0.name, $0.location) }, kind: "precedence chain", into: &out)
        checkDuplicates(spec.environmentVariables.map { ($0.name, $0.location) }, kind: "environment variable", into: &out)
        // An `OPENCLAW_*` name a command or a chain reads must be declared in environment.yaml (when the spec has one).
        if !spec.environmentVariables.isEmpty {
            let declared = Set(spec.environmentVariables.map(\.name))
            for command in spec.commands {
                for variable in command.env where variable.name.hasPrefix("OPENCLAW_") && !declared.contains(variable.name) {
                    out.error("command '\(command.name)' reads \(variable.name), which environment.yaml does not declare", at: variable.location)
                }
            }
            for chain in spec.chains {
                for case .env(let name) in chain.sources where name.hasPrefix("OPENCLAW_") && !declared.contains(name) {
                    out.error("chain '\(chain.name)' reads \(name), which environment.yaml does not declare", at: chain.location)
                }
            }
        }

        func checkRef(_ type: TypeRef, at location: SourceLocation, _ what: String) {
            for name in type.namedReferences where !typeNames.contains(name) {
                out.error("\(what) refers to unknown type '\(name)'", at: location)
            }
        }
        func checkSince(_ since: Int, until: Int? = nil, at location: SourceLocation) {
            if since > spec.protocolInfo.version {
                out.error("since \(since) is newer than protocol version \(spec.protocolInfo.version)", at: location)
            }
            if let until, until < max(since, spec.protocolInfo.minClientVersion) || until >= spec.protocolInfo.version {
                out.error("until \(until) must lie between since and the newest version \(spec.protocolInfo.version) (exclusive)", at: location)
            }
        }
        let versions = spec.protocolInfo.versions
        if versions.isEmpty || versions != versions.sorted() || Set(versions).count != versions.count {
            out.error("protocol versions must be a non-empty ascending list", at: nil)
        }
        for message in spec.messages {
            if message.wordings.first?.version ?? Int.max > spec.protocolInfo.minClientVersion {
                out.error("message '\(message.name)' needs a wording for version \(spec.protocolInfo.minClientVersion) or older", at: message.location)
            }
        }

        for type in spec.types {
            switch type.kind {
            case .object(let fields, _):
                checkDuplicates(fields.map { ($0.name, $0.location) }, kind: "field of \(type.name)", into: &out)
                for field in fields {
                    checkRef(field.type, at: field.location, "field '\(type.name).\(field.name)'")
                    checkSince(field.since, until: field.until, at: field.location)
                    if field.versions(of: versions).count != versions.count, !field.optional {
                        out.error("field '\(field.name)' exists in some protocol versions only, so it must be optional (`T?`)", at: field.location)
                    }
                    if let requiredSince = field.requiredSince, !field.optional || requiredSince > spec.protocolInfo.version {
                        out.error(
                            "field '\(field.name)' has requiredSince, so it must be optional (`T?`) and the version one the server speaks", at: field.location)
                    }
                    if field.constant != nil && field.type != .string {
                        out.error("field '\(field.name)' has a const, so its type must be string", at: field.location)
                    }
                    if field.patch && (!field.optional || field.requiredSince != nil || field.constant != nil) {
                        out.error("patch field '\(field.name)' must be optional (`T?`): absent is one of its three states", at: field.location)
                    } else if field.nullable && !field.optional {
                        out.error("nullable field '\(field.name)' must also be optional (`T?`)", at: field.location)
                    }
                    if (field.minimum != nil || field.maximum != nil) && field.type != .int {
                        out.error("field '\(field.name)' has a minimum or maximum, so its type must be int, not \(field.type)", at: field.location)
                    }
                    if field.minLength != nil && field.type != .string {
                        out.error("field '\(field.name)' has a minLength, so its type must be string, not \(field.type)", at: field.location)
                    }
                }
            case .enumeration(let values, _):
                if values.isEmpty { out.error("enum '\(type.name)' has no values", at: type.location) }
                for (value, since) in type.valueSince.sorted(by: { $0.key < $1.key }) {
                    if !values.contains(value) { out.error("'since' names '\(value)', which is not a value of \(type.name)", at: type.location) }
                    checkSince(since, at: type.location)
                }
                checkDuplicates(values.map { ($0, type.location) }, kind: "value of \(type.name)", into: &out)
            }
        }
        checkFrames(spec.types, into: &out)
        for method in spec.methods {
            checkRef(method.result, at: method.location, "result of '\(method.name)'")
            checkSince(method.since, until: method.until, at: method.location)
            if let params = method.params {
                if let decl = spec.type(named: params) {
                    if case .enumeration = decl.kind { out.error("params of '\(method.name)' must be an object type", at: method.location) }
                } else {
                    out.error("params of '\(method.name)' refers to unknown type '\(params)'", at: method.location)
                }
            }
            if let idempotency = method.idempotency {
                let field = method.params.flatMap { spec.type(named: $0) }?.fields.first { $0.name == idempotency.key }
                if field?.type != .string || field?.optional != false {
                    out.error(
                        "idempotency key '\(idempotency.key)' of '\(method.name)' must be a required string field of its params", at: method.location)
                }
            }
        }
        for code in spec.detailCodes {
            guard let name = spec.detailShapes[code.name] else { continue }
            guard let type = spec.type(named: name), case .object(let fields, _) = type.kind else {
                out.error("details of detail code '\(code.name)' must name an object type, not '\(name)'", at: code.location)
                continue
            }
            // The details say which code they carry: that very code, or any (a shape several codes share).
            let field = fields.first { $0.name == "code" }
            let fits = field.map { $0.constant == code.name || ($0.constant == nil && $0.type == .named("ErrorDetailCode") && !$0.optional) } ?? false
            if !fits {
                out.error(
                    "details type '\(name)' of detail code '\(code.name)' needs a field `code: {const: \(code.name)}` or `code: {type: ErrorDetailCode}`",
                    at: code.location)
            }
        }
        for event in spec.events {
            if !typeNames.contains(event.payload) {
                out.error("payload of event '\(event.name)' refers to unknown type '\(event.payload)'", at: event.location)
            }
            checkSince(event.since, until: event.until, at: event.location)
        }
        checkDuplicates(spec.tools.map { ($0.name, $0.location) }, kind: "tool", into: &out)
        for tool in spec.tools {
            if tool.name.isEmpty || !tool.name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) {
                out.error("tool name '\(tool.name)' must be lowercase letters, digits and underscores", at: tool.location)
            }
            if tool.doc.isEmpty { out.error("tool '\(tool.name)' needs a doc: it is what the model is told", at: tool.location) }
            for (role, name) in [("params", tool.params), ("result", tool.result)] {
                if let decl = spec.type(named: name) {
                    if case .enumeration = decl.kind { out.error("\(role) of tool '\(tool.name)' must be an object type", at: tool.location) }
                } else {
                    out.error("\(role) of tool '\(tool.name)' refers to unknown type '\(name)'", at: tool.location)
                }
            }
        }
        validateConfig(spec, into: &out)
        validateChains(spec, into: &out)
        validateGeneratedNames(spec, into: &out)
        if out.hasErrors { throw SpecErrors(diagnostics: out.diagnostics) }
        return out.diagnostics
    }

    private func validateConfig(_ spec: Spec, into out: inout DiagnosticCollector) {
        let byPath = Dictionary(spec.configKeys.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        checkDuplicates(spec.reloadActions.map { ($0.name, $0.location) }, kind: "reload action", into: &out)
        let actions = Set(spec.reloadActions.map(\.name))
        for key in spec.configKeys {
            if let action = key.action, !actions.contains(action) {
                out.error("config key '\(key.path)' names reload action '\(action)', which config/reload.yaml does not declare", at: key.location)
            }
            let parts = key.components
            if parts.count > 1 {
                let parent = parts.dropLast().joined(separator: ".")
                if byPath[parent]?.type != .object {
                    out.error("config key '\(key.path)' needs its parent '\(parent)' declared with type object", at: key.location)
                }
            }
            if key.range != nil && key.type != .int && key.type != .number {
                out.error("config key '\(key.path)' has a range, so its type must be int or number", at: key.location)
            }
            if key.open && key.type != .object {
                out.error("config key '\(key.path)' is open, so its type must be object", at: key.location)
            }
            if key.type == .enumeration([]) {
                out.error("enum key '\(key.path)' has no values", at: key.location)
            }
            if !key.perAccount {
                let parent = parts.dropLast().joined(separator: ".")
                if !spec.configKeys(below: parent).contains(where: { $0.type == .accounts }) {
                    out.error("config key '\(key.path)' has perAccount: false, but '\(parent)' has no key of type accounts", at: key.location)
                }
            }
            guard let value = key.defaultValue else { continue }
            switch key.type {
            case .int:
                if let number = Int(value) {
                    if let range = key.range, !range.contains(number) {
                        out.error("default \(number) of '\(key.path)' is outside \(range)", at: key.location)
                    }
                } else {
                    out.error("default '\(value)' of '\(key.path)' is not an integer", at: key.location)
                }
            case .number:
                if let number = Double(value) {
                    if let range = key.range, number < Double(range.lowerBound) || number > Double(range.upperBound) {
                        out.error("default \(value) of '\(key.path)' is outside \(range)", at: key.location)
                    }
                } else {
                    out.error("default '\(value)' of '\(key.path)' is not a number", at: key.location)
                }
            case .bool:
                if value != "true" && value != "false" { out.error("default '\(value)' of '\(key.path)' is not a bool", at: key.location) }
            case .enumeration(let values):
                if !values.contains(value) { out.error("default '\(value)' of '\(key.path)' is not one of \(values)", at: key.location) }
            case .object, .passthrough, .any, .stringArray, .stringMap, .accounts:
                out.error("'\(key.path)' of type \(key.type) cannot have a default", at: key.location)
            case .string:
                break
            }
        }
    }

    private func validateChains(_ spec: Spec, into out: inout DiagnosticCollector) {
        let paths = Set(spec.configKeys.map(\.path))
        for chain in spec.chains {
            if chain.sources.isEmpty { out.error("chain '\(chain.name)' is empty", at: chain.location) }
            for (index, source) in chain.sources.enumerated() {
                switch source {
                case .config(let path) where !paths.contains(path):
                    out.error("chain '\(chain.name)' reads unknown config key '\(path)'", at: chain.location)
                case .defaultValue where index != chain.sources.count - 1:
                    out.error("chain '\(chain.name)' has a default before its last source", at: chain.location)
                case .defaultValue(let value) where chain.type == .int && Int(value) == nil:
                    out.error("chain '\(chain.name)' default '\(value)' is not an integer", at: chain.location)
                default:
                    break
                }
            }
        }
    }

    /// Each `frame` discriminator names one type: it keys the JSON Schema's discriminator mapping.
    private func checkFrames(_ types: [TypeDecl], into out: inout DiagnosticCollector) {
        var claimed: [String: TypeDecl] = [:]
        for type in types {
            guard case .object(_, let frame?) = type.kind else { continue }
            if let first = claimed[frame] {
                out.error("frame '\(frame)' of '\(type.name)' is already the frame of '\(first.name)' (declared at \(first.location))", at: type.location)
            } else {
                claimed[frame] = type
            }
        }
    }

    private func checkDuplicates(_ names: [(String, SourceLocation)], kind: String, into out: inout DiagnosticCollector) {
        var seen: [String: SourceLocation] = [:]
        for (name, location) in names {
            if let first = seen[name] {
                out.error("duplicate \(kind) '\(name)' (first declared at \(first))", at: location)
            } else {
                seen[name] = location
            }
        }
    }
}
