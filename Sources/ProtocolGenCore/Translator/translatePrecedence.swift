// Sources/ProtocolGenCore/Translator/translatePrecedence.swift - precedence chains as data

import Foundation

/// Translates `config/precedence.yaml` into `Precedence.swift`.
struct PrecedenceTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        let members: [SwiftDecl] = spec.chains.map { chain in
            let sources = chain.sources.map { source -> String in
                switch source {
                case .flag(let name): ".flag(\(SwiftNames.stringLiteral(name)))"
                case .env(let name): ".env(\(SwiftNames.stringLiteral(name)))"
                case .config(let path): ".config(\(SwiftNames.stringLiteral(path)))"
                case .rule(let name): ".rule(\(SwiftNames.stringLiteral(name)))"
                case .defaultValue(let value): ".defaultValue(\(SwiftNames.stringLiteral(value)))"
                }
            }
            let order = chain.sources.map { SettingSourceText.describe($0) }.joined(separator: " → ")
            return .property(
                doc: SwiftDoc("\(chain.doc)\n\n\(order)", remark: Spec.remark(chain.location, chain.name)), modifiers: ["public", "static"],
                keyword: "let", name: SwiftNames.identifier(chain.name), type: "PrecedenceChain<\(chain.type.swift)>",
                value: "PrecedenceChain(name: \(SwiftNames.stringLiteral(chain.name)), sources: [\(sources.joined(separator: ", "))])"
            )
        }
        return SwiftFile(
            name: "Precedence.swift", imports: ["ProtocolSupport"],
            declarations: [.type(SwiftTypeDecl(.enum, "Precedence", doc: SwiftDoc("Where each resolved setting comes from, highest first."), members: members))]
        )
    }
}

/// How docs and doc comments spell a chain source.
enum SettingSourceText {
    static func describe(_ source: PrecedenceChain.Source) -> String {
        switch source {
        case .flag(let name): "`--\(name)`"
        case .env(let name): "`\(name)`"
        case .config(let path): "`\(path)`"
        case .rule(let name): "(\(name))"
        case .defaultValue(let value): "`\(value)`"
        }
    }
}
