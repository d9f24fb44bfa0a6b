// Sources/ProtocolGenCore/Translator/translateCommands.swift - CLI flag tables → ParsableArguments

import Foundation

/// Translates `cli/*.yaml` into `Commands.swift`: one `ParsableArguments` struct per command.
struct CommandsTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        SwiftFile(name: "Commands.swift", imports: ["ArgumentParser"], declarations: spec.commands.map(command) + [tree()])
    }

    /// `.customLong("message")`, or `[.customLong("message"), .customShort("m")]` with a short alias.
    static func names(_ long: String, short: Character?) -> String {
        let longName = ".customLong(\(SwiftNames.stringLiteral(long)))"
        guard let short else { return longName }
        return "[\(longName), .customShort(\"\(short)\")]"
    }

    private func command(_ command: CommandDecl) -> SwiftDecl {
        var members: [SwiftDecl] = []
        for argument in command.arguments {
            let wrapper = "@Argument(help: \(SwiftNames.stringLiteral(argument.doc)))"
            members.append(
                .property(
                    doc: nil, modifiers: [wrapper, "public"], keyword: "var", name: SwiftNames.identifier(argument.name),
                    type: argument.type.swift + (argument.optional ? "?" : ""), value: nil)
            )
        }
        for option in command.options {
            let help = SwiftNames.stringLiteral(option.doc)
            let wrapper = "@Option(name: \(Self.names(option.name, short: option.short)), help: \(help))"
            let type = option.type.swift
            // A list option (`[string]`) repeats on the command line (`--scope a --scope b`) and defaults to empty.
            let value: String? = option.type.isArray ? "[]" : option.defaultValue.map { option.type == .string ? SwiftNames.stringLiteral($0) : $0 }
            members.append(
                .property(
                    doc: nil, modifiers: [wrapper, "public"], keyword: "var", name: SwiftNames.identifier(option.name), type: value == nil ? type + "?" : type,
                    value: value)
            )
        }
        for flag in command.flags {
            let wrapper = "@Flag(name: \(Self.names(flag.name, short: flag.short)), help: \(SwiftNames.stringLiteral(flag.doc)))"
            members.append(
                .property(doc: nil, modifiers: [wrapper, "public"], keyword: "var", name: SwiftNames.identifier(flag.name), type: "Swift.Bool", value: "false"))
        }
        members.append(.function(doc: nil, attributes: [], signature: "public init()", body: []))
        members.append(
            .property(
                doc: SwiftDoc("The command's one-line description."), modifiers: ["public", "static"], keyword: "let", name: "helpAbstract",
                type: "Swift.String", value: SwiftNames.stringLiteral(command.doc))
        )
        var given: [String] = []
        for option in command.options {
            let ident = SwiftNames.identifier(option.name)
            if option.type.isArray {
                given.append(
                    "if !self.\(ident).isEmpty { flags[\(SwiftNames.stringLiteral(option.name))] = self.\(ident).map { Swift.String(describing: $0) }.joined(separator: \",\") }"
                )
            } else if option.defaultValue == nil {
                given.append(
                    "if let value = self.\(ident) { flags[\(SwiftNames.stringLiteral(option.name))] = \(option.type == .string ? "value" : "Swift.String(value)") }"
                )
            }
        }
        for flag in command.flags {
            given.append("if self.\(SwiftNames.identifier(flag.name)) { flags[\(SwiftNames.stringLiteral(flag.name))] = \"true\" }")
        }
        given.insert("\(given.isEmpty ? "let" : "var") flags: [Swift.String: Swift.String] = [:]", at: 0)
        given.append("return flags")
        members.append(
            .function(
                doc: SwiftDoc("The options given on the command line, by spec name, for precedence chains."), attributes: [],
                signature: "public var given: [Swift.String: Swift.String]", body: given)
        )
        members.append(
            .property(
                doc: SwiftDoc("Environment variables the command reads."), modifiers: ["public", "static"], keyword: "let", name: "environment",
                type: "[(name: Swift.String, doc: Swift.String)]",
                value: "[" + command.env.map { "(\(SwiftNames.stringLiteral($0.name)), \(SwiftNames.stringLiteral($0.doc)))" }.joined(separator: ", ") + "]"
            )
        )
        if let path = command.path, let name = path.last {
            members.append(
                .property(
                    doc: SwiftDoc("The word that runs it, after `\(path.dropLast().joined(separator: " "))`."), modifiers: ["public", "static"],
                    keyword: "let", name: "commandName", type: "Swift.String", value: SwiftNames.stringLiteral(name)
                )
            )
            members.append(
                .function(
                    doc: SwiftDoc("Its ArgumentParser configuration: name and help from the spec; the subcommands are the hand-written types that run."),
                    attributes: [],
                    signature:
                        "public static func configuration(subcommands: [any ParsableCommand.Type] = [], defaultSubcommand: (any ParsableCommand.Type)? = nil) -> CommandConfiguration",
                    body: [
                        "CommandConfiguration(commandName: commandName, abstract: helpAbstract, subcommands: subcommands, defaultSubcommand: defaultSubcommand"
                            + (command.aliases.isEmpty ? "" : ", aliases: [" + command.aliases.map(SwiftNames.stringLiteral).joined(separator: ", ") + "]")
                            + ")"
                    ]
                )
            )
        }
        return .type(
            SwiftTypeDecl(
                .struct, SwiftNames.typeName(command.name) + "Options", doc: SwiftDoc(command.doc, remark: Spec.remark(command.location, command.name)),
                conformances: ["ParsableArguments"], members: members
            )
        )
    }

    /// Every command path the spec declares, for the test that holds the binary's `--help` tree to it.
    private func tree() -> SwiftDecl {
        let paths = spec.commands.compactMap(\.path).map { "[" + $0.map(SwiftNames.stringLiteral).joined(separator: ", ") + "]" }
        return .type(
            SwiftTypeDecl(
                .enum, "CLICommandTree", doc: SwiftDoc("The `openclaw` commands the spec declares, as the words that run them."),
                members: [
                    .property(
                        doc: nil, modifiers: ["public", "static"], keyword: "let", name: "paths", type: "[[Swift.String]]",
                        value: paths.isEmpty ? "[]" : "[\n" + paths.map { "        " + $0 + "," }.joined(separator: "\n") + "\n    ]"
                    )
                ]
            )
        )
    }
}
