// Sources/ProtocolGenCore/Parser/SpecParser.swift - YAML files → Spec

import Yams

/// Reads the spec's YAML files into a `Spec`. Structural problems become diagnostics at their line.
public struct SpecParser {
    public init() {}

    public func parse(_ files: [SpecFile]) throws(SpecErrors) -> Spec {
        var spec = Spec()
        var collector = DiagnosticCollector()
        for file in files {
            do {
                guard let node = try compose(file) else { continue }
                let root = YAMLReader(node: node, file: file.path)
                try parse(root, of: file, into: &spec)
            } catch {
                collector.emit(error)
            }
        }
        if collector.hasErrors { throw SpecErrors(diagnostics: collector.diagnostics) }
        return spec
    }

    private func compose(_ file: SpecFile) throws(Diagnostic) -> Node? {
        do {
            return try Yams.compose(yaml: file.text)
        } catch {
            throw .error("not valid YAML: \(error)", at: SourceLocation(file: file.path, line: Self.line(of: error, in: file.text) ?? 1))
        }
    }

    /// The one-based line Yams places a syntax error at, when it gives one.
    static func line(of error: any Error, in text: String) -> Int? {
        switch error as? YamlError {
        case .scanner(_, _, let mark, _)?, .parser(_, _, let mark, _)?, .composer(_, _, let mark, _)?:
            return mark.line
        case .duplicatedKeysInMapping(_, let context)?:
            return context.mark.line
        case .reader(_, let offset?, _, _)?:
            return text.prefix(offset).count(where: \.isNewline) + 1
        default:
            return nil
        }
    }

    private func parse(_ root: YAMLReader, of file: SpecFile, into spec: inout Spec) throws(Diagnostic) {
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        switch (file.section, name) {
        case ("", "protocol.yaml"): try parseProtocol(root, into: &spec)
        case ("", "errors.yaml"): try parseErrors(root, into: &spec)
        case ("", "environment.yaml"):
            spec.environmentVariables += try root.entries().map { entry throws(Diagnostic) in
                NamedDoc(name: entry.key, doc: try entry.value.string(), location: entry.value.location)
            }
        case ("types", _): spec.types += try root.entries().map { entry throws(Diagnostic) in try parseType(entry.key, entry.value) }
        case ("methods", _): spec.methods += try root.entries().map { entry throws(Diagnostic) in try parseMethod(entry.key, entry.value) }
        case ("events", _): spec.events += try root.entries().map { entry throws(Diagnostic) in try parseEvent(entry.key, entry.value) }
        case ("config", "reload.yaml"):
            spec.reloadActions += try root.entries().map { entry throws(Diagnostic) in
                NamedDoc(name: entry.key, doc: try entry.value.string(), location: entry.value.location)
            }
        case ("config", "precedence.yaml"): spec.chains += try root.entries().map { entry throws(Diagnostic) in try parseChain(entry.key, entry.value) }
        case ("config", _): spec.configKeys += try root.entries().map { entry throws(Diagnostic) in try parseConfigKey(entry.key, entry.value) }
        case ("cli", _): spec.commands += try root.entries().map { entry throws(Diagnostic) in try parseCommand(entry.key, entry.value) }
        case ("tools", _): spec.tools += try root.entries().map { entry throws(Diagnostic) in try parseTool(entry.key, entry.value) }
        default:
            throw .error(
                "unexpected spec file (expected protocol.yaml, errors.yaml, environment.yaml, or a file under types/, methods/, events/, config/, cli/, tools/)",
                at: root.location)
        }
    }

    private func parseProtocol(_ root: YAMLReader, into spec: inout Spec) throws(Diagnostic) {
        try root.expectKeys(["protocol", "limits"])
        if let info = try root.child("protocol") {
            try info.expectKeys(["doc", "versions", "minProbeVersion", "adminPrefixes", "nodeMethods"])
            spec.protocolInfo.adminPrefixes = try info.child("adminPrefixes")?.strings() ?? []
            spec.protocolInfo.nodeMethods = try info.child("nodeMethods")?.strings() ?? []
            spec.protocolInfo.doc = try info.string("doc") ?? ""
            if let versions = try info.child("versions") {
                spec.protocolInfo.versions = try versions.strings().map { text throws(Diagnostic) in
                    guard let number = Int(text) else { throw .error("'\(text)' is not a protocol version", at: versions.location) }
                    return number
                }
            }
            spec.protocolInfo.minProbeVersion = try info.int("minProbeVersion") ?? spec.protocolInfo.minClientVersion
        }
        for (name, value) in try root.child("limits")?.entries() ?? [] {
            try value.expectKeys(["value", "doc"])
            guard let number = try value.int("value") else { throw .error("limit '\(name)' needs a value", at: value.location) }
            spec.limits.append(Limit(name: name, value: number, doc: try value.string("doc") ?? "", location: value.location))
        }
    }

    private func parseErrors(_ root: YAMLReader, into spec: inout Spec) throws(Diagnostic) {
        try root.expectKeys(["codes", "detailCodes", "closeCodes", "messages"])
        for (name, value) in try root.child("messages")?.entries() ?? [] {
            try value.expectKeys(["doc", "versions"])
            guard let versions = try value.child("versions") else { throw .error("message '\(name)' needs 'versions'", at: value.location) }
            let wordings = try versions.entries().map { entry throws(Diagnostic) -> VersionedMessage.Wording in
                guard let version = Int(entry.key) else { throw .error("'\(entry.key)' is not a protocol version", at: entry.value.location) }
                try entry.value.expectKeys(["message", "closeReason"])
                return VersionedMessage.Wording(
                    version: version, message: try entry.value.requiredString("message"), closeReason: try entry.value.string("closeReason")
                )
            }
            spec.messages.append(
                VersionedMessage(
                    name: name, doc: try value.string("doc") ?? "", wordings: wordings.sorted { $0.version < $1.version }, location: value.location)
            )
        }
        for (name, value) in try root.child("codes")?.entries() ?? [] {
            spec.errorCodes.append(NamedDoc(name: name, doc: try value.string(), location: value.location))
        }
        if let codes = try root.child("codes") {
            // ErrorShape.code's type: open, so a client survives codes a newer server adds.
            var type = TypeDecl(
                name: "ErrorCode", doc: "Error codes carried in `ErrorShape.code`.",
                kind: .enumeration(values: spec.errorCodes.map(\.name), open: true), location: codes.location
            )
            type.valueDocs = Dictionary(spec.errorCodes.map { ($0.name, $0.doc) }, uniquingKeysWith: { first, _ in first })
            spec.types.append(type)
        }
        // A detail code is its meaning, or `{doc, details: TypeName}` when it carries a typed `error.details`.
        for (name, value) in try root.child("detailCodes")?.entries() ?? [] {
            if case .scalar = value.node {
                spec.detailCodes.append(NamedDoc(name: name, doc: try value.string(), location: value.location))
                continue
            }
            try value.expectKeys(["doc", "details"])
            spec.detailCodes.append(NamedDoc(name: name, doc: try value.string("doc") ?? "", location: value.location))
            spec.detailShapes[name] = try value.string("details")
        }
        if let codes = try root.child("detailCodes") {
            // `error.details.code`'s type, so a details type shared by several codes can declare its `code` field.
            var type = TypeDecl(
                name: "ErrorDetailCode", doc: "Structured `error.details.code` values.",
                kind: .enumeration(values: spec.detailCodes.map(\.name), open: false), location: codes.location
            )
            type.valueDocs = Dictionary(spec.detailCodes.map { ($0.name, $0.doc) }, uniquingKeysWith: { first, _ in first })
            spec.types.append(type)
        }
        for (name, value) in try root.child("closeCodes")?.entries() ?? [] {
            try value.expectKeys(["code", "reason", "doc"])
            guard let code = try value.int("code") else { throw .error("close code '\(name)' needs a code", at: value.location) }
            spec.closeCodes.append(
                CloseCode(name: name, code: code, reason: try value.string("reason"), doc: try value.string("doc") ?? "", location: value.location)
            )
        }
    }

    func parseType(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> TypeDecl {
        try node.expectKeys(["doc", "fields", "frame", "enum", "open", "since"])
        let doc = try node.string("doc") ?? ""
        if let values = try node.child("enum") {
            var type = TypeDecl(
                name: name, doc: doc, kind: .enumeration(values: try values.strings(), open: try node.bool("open") ?? false),
                location: node.location
            )
            // `since: {value: version}`: values a later protocol version added.
            for (value, version) in try node.child("since")?.entries() ?? [] {
                guard let number = Int(try version.string()) else { throw .error("'since' of enum value '\(value)' must be a version", at: version.location) }
                type.valueSince[value] = number
            }
            return type
        }
        guard let fieldsNode = try node.child("fields") else {
            throw .error("type '\(name)' needs 'fields' or 'enum'", at: node.location)
        }
        let fields = try fieldsNode.entries().map { entry throws(Diagnostic) in try parseField(entry.key, entry.value) }
        return TypeDecl(name: name, doc: doc, kind: .object(fields: fields, frame: try node.string("frame")), location: node.location)
    }

    private func parseField(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> Field {
        if case .scalar = node.node {
            guard let parsed = TypeRef.parse(try node.string()) else {
                throw .error("'\(try node.string())' is not a type", at: node.location)
            }
            return Field(
                name: name, type: parsed.type, optional: parsed.optional, nullable: false, constant: nil, doc: "",
                since: 0, location: node.location
            )
        }
        try node.expectKeys(["type", "doc", "const", "nullable", "patch", "minLength", "minimum", "maximum", "since", "until", "requiredSince"])
        let constant = try node.string("const")
        let typed = try node.typeRef("type")
        guard let typed = typed ?? (constant != nil ? (.string, false) : nil) else {
            throw .error("field '\(name)' needs a 'type' or a 'const'", at: node.location)
        }
        let patch = try node.bool("patch") ?? false
        let nullable = try node.bool("nullable") ?? false
        return Field(
            name: name, type: typed.type, optional: typed.optional, nullable: patch || nullable,
            constant: constant, doc: try node.string("doc") ?? "", minLength: try node.int("minLength"),
            minimum: try node.int("minimum"), maximum: try node.int("maximum"), since: try node.int("since") ?? 0,
            location: node.location, until: try node.int("until"), requiredSince: try node.int("requiredSince"), patch: patch
        )
    }

    private func parseScope(_ node: YAMLReader, key: String = "scope") throws(Diagnostic) -> MethodScope {
        guard let text = try node.string(key) else { return .none }
        guard let scope = MethodScope(rawValue: text) else {
            let known = MethodScope.allCases.map(\.rawValue).joined(separator: ", ")
            throw .error("unknown scope '\(text)' (expected one of: \(known))", at: try node.child(key)?.location)
        }
        return scope
    }

    func parseMethod(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> MethodDecl {
        try node.expectKeys(["doc", "scope", "params", "result", "since", "until", "handshake", "twoPhase", "invalidParams", "idempotency"])
        guard let result = try node.typeRef("result") else { throw .error("method '\(name)' needs a result", at: node.location) }
        return MethodDecl(
            name: name, doc: try node.string("doc") ?? "", scope: try parseScope(node), params: try node.string("params"),
            result: result.type, resultOptional: result.optional, since: try node.int("since") ?? 0,
            until: try node.int("until"), handshake: try node.bool("handshake") ?? false, twoPhase: try node.bool("twoPhase") ?? false,
            invalidParams: try node.string("invalidParams"),
            idempotency: try node.child("idempotency").map { node throws(Diagnostic) in try parseIdempotency(name, node) }, location: node.location
        )
    }

    /// `idempotency: {key: idempotencyKey, namespace?, whileRunning?: interim|wait, errors?: retry|replay}`.
    func parseIdempotency(_ method: String, _ node: YAMLReader) throws(Diagnostic) -> Idempotency {
        try node.expectKeys(["key", "namespace", "whileRunning", "errors"])
        var rule = Idempotency(key: try node.requiredString("key"), namespace: try node.string("namespace") ?? method)
        if let text = try node.string("whileRunning") {
            guard let value = Idempotency.WhileRunning(rawValue: text) else {
                let known = Idempotency.WhileRunning.allCases.map(\.rawValue).joined(separator: ", ")
                throw .error("unknown whileRunning '\(text)' (expected one of: \(known))", at: try node.child("whileRunning")?.location)
            }
            rule.whileRunning = value
        }
        if let text = try node.string("errors") {
            guard let value = Idempotency.OnError(rawValue: text) else {
                let known = Idempotency.OnError.allCases.map(\.rawValue).joined(separator: ", ")
                throw .error("unknown errors '\(text)' (expected one of: \(known))", at: try node.child("errors")?.location)
            }
            rule.errors = value
        }
        return rule
    }

    func parseTool(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> ToolDecl {
        try node.expectKeys(["doc", "params", "result"])
        return ToolDecl(
            name: name, doc: try node.string("doc") ?? "", params: try node.requiredString("params"),
            result: try node.requiredString("result"), location: node.location
        )
    }

    func parseEvent(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> EventDecl {
        try node.expectKeys(["doc", "payload", "delivery", "scope", "droppable", "stateVersion", "since", "until"])
        let deliveryText = try node.string("delivery") ?? "broadcast"
        guard let delivery = EventDecl.Delivery(rawValue: deliveryText) else {
            throw .error("unknown delivery '\(deliveryText)' (expected broadcast or targeted)", at: node.location)
        }
        return EventDecl(
            name: name, doc: try node.string("doc") ?? "", payload: try node.requiredString("payload"), delivery: delivery,
            scope: try parseScope(node), droppable: try node.bool("droppable") ?? false,
            stateVersion: try node.bool("stateVersion") ?? false, since: try node.int("since") ?? 0, location: node.location,
            until: try node.int("until")
        )
    }

    func parseConfigKey(_ path: String, _ node: YAMLReader) throws(Diagnostic) -> ConfigKey {
        try node.expectKeys(["type", "values", "doc", "default", "range", "reload", "action", "secret", "open", "perAccount"])
        let typeText = try node.requiredString("type")
        let type: ConfigKey.ValueType
        switch typeText {
        case "object": type = .object
        case "passthrough": type = .passthrough
        case "any": type = .any
        case "string": type = .string
        case "int": type = .int
        case "number": type = .number
        case "bool": type = .bool
        case "[string]": type = .stringArray
        case "[string: string]": type = .stringMap
        case "accounts": type = .accounts
        case "enum":
            guard let values = try node.child("values") else { throw .error("enum key '\(path)' needs 'values'", at: node.location) }
            type = .enumeration(try values.strings())
        default:
            throw .error(
                "unknown config type '\(typeText)' (expected object, passthrough, any, string, int, number, bool, [string], [string: string], accounts or enum)",
                at: node.location)
        }
        var range: ClosedRange<Int>?
        if let bounds = try node.child("range") {
            let parts = try bounds.strings().compactMap { Int($0) }
            guard parts.count == 2, parts[0] <= parts[1] else { throw .error("range must be [min, max]", at: bounds.location) }
            range = parts[0]...parts[1]
        }
        let reloadText = try node.string("reload") ?? "restart"
        guard let reload = ReloadClass(rawValue: reloadText) else {
            throw .error("unknown reload class '\(reloadText)' (expected none, hot or restart)", at: node.location)
        }
        return ConfigKey(
            path: path, type: type, doc: try node.string("doc") ?? "", defaultValue: try node.string("default"), range: range,
            reload: reload, action: try node.string("action"), secret: try node.bool("secret") ?? false, location: node.location,
            open: try node.bool("open") ?? false, perAccount: try node.bool("perAccount") ?? true
        )
    }

    func parseChain(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> PrecedenceChain {
        try node.expectKeys(["doc", "type", "chain"])
        guard let type = try node.typeRef("type")?.type else { throw .error("chain '\(name)' needs a type", at: node.location) }
        guard let chainNode = try node.child("chain") else { throw .error("chain '\(name)' needs a chain", at: node.location) }
        let sources = try chainNode.strings().map { text throws(Diagnostic) -> PrecedenceChain.Source in
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .error("chain source '\(text)' must be 'KIND VALUE'", at: chainNode.location) }
            switch parts[0] {
            case "flag": return .flag(parts[1])
            case "env": return .env(parts[1])
            case "config": return .config(parts[1])
            case "rule": return .rule(parts[1])
            case "default": return .defaultValue(parts[1])
            default: throw .error("unknown chain source '\(parts[0])' (expected flag, env, config, rule or default)", at: chainNode.location)
            }
        }
        return PrecedenceChain(name: name, doc: try node.string("doc") ?? "", type: type, sources: sources, location: node.location)
    }

    func parseCommand(_ name: String, _ node: YAMLReader) throws(Diagnostic) -> CommandDecl {
        try node.expectKeys(["doc", "command", "group", "aliases", "arguments", "options", "flags", "env"])
        let arguments = try (node.child("arguments")?.entries() ?? []).map { entry throws(Diagnostic) -> CommandDecl.Argument in
            try entry.value.expectKeys(["type", "doc"])
            let type = try entry.value.typeRef("type") ?? (.string, false)
            return .init(name: entry.key, type: type.type, optional: type.optional, doc: try entry.value.string("doc") ?? "", location: entry.value.location)
        }
        let options = try (node.child("options")?.entries() ?? []).map { entry throws(Diagnostic) -> CommandDecl.Option in
            try entry.value.expectKeys(["type", "default", "doc", "short"])
            let type = try entry.value.typeRef("type")?.type ?? .string
            return .init(
                name: entry.key, type: type, defaultValue: try entry.value.string("default"), doc: try entry.value.string("doc") ?? "",
                location: entry.value.location, short: try shortName(entry.value)
            )
        }
        let flags = try (node.child("flags")?.entries() ?? []).map { entry throws(Diagnostic) -> CommandDecl.Flag in
            try entry.value.expectKeys(["doc", "short"])
            return .init(name: entry.key, doc: try entry.value.string("doc") ?? "", location: entry.value.location, short: try shortName(entry.value))
        }
        let env = try (node.child("env")?.entries() ?? []).map { entry throws(Diagnostic) in
            NamedDoc(name: entry.key, doc: try entry.value.string(), location: entry.value.location)
        }
        // `command: gateway install` names the words that run it; by default they are the key's (`agents-list` → `agents list`).
        let isGroup = try node.bool("group") ?? false
        let words = (try node.string("command") ?? name.replacingOccurrences(of: "-", with: " ")).split(separator: " ").map(String.init)
        return CommandDecl(
            name: name, doc: try node.string("doc") ?? "", options: options, flags: flags, env: env, location: node.location, arguments: arguments,
            path: isGroup ? nil : words, aliases: try node.child("aliases")?.strings() ?? []
        )
    }

    /// `short: m` → `-m`: exactly one ASCII letter.
    private func shortName(_ node: YAMLReader) throws(Diagnostic) -> Character? {
        guard let text = try node.string("short") else { return nil }
        guard text.count == 1, let letter = text.first, letter.isASCII, letter.isLetter else {
            throw .error("short must be one ASCII letter, not '\(text)'", at: node.location)
        }
        return letter
    }
}
