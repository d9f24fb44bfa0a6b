// Sources/ProtocolGenCore/Translator/SwiftNames.swift - spec names → safe Swift identifiers

import Foundation

/// Turns wire names into Swift names without losing their shape (`idempotencyKey` stays `idempotencyKey`).
public enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
        "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Type", "Protocol",
    ]

    /// Words split on anything that is not a letter or digit: `system-presence` → [system, presence].
    static func words(_ name: String) -> [String] {
        name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// `system-presence` → `systemPresence`; `minProtocol` → `minProtocol`; `$schema` → `schema`; `HTTP2_SERVER` → `http2Server`.
    public static func identifier(_ name: String) -> String {
        let parts = words(name)
        guard let first = parts.first else { return "_" }
        let head = isAllCaps(first) && (parts.count > 1 || first.count > 1) ? first.lowercased() : lowercaseFirst(first)
        var result = head + parts.dropFirst().map { upperWord($0) }.joined()
        if let start = result.first, start.isNumber { result = "_" + result }
        return escaped(result)
    }

    /// `connect.challenge` → `ConnectChallenge`; `gateway.auth` → `GatewayAuth`.
    public static func typeName(_ name: String) -> String {
        let result = words(name).map { upperWord($0) }.joined()
        return result.first?.isNumber == true ? "_" + result : result
    }

    /// Backticks a keyword.
    public static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// A Swift string literal for any text.
    public static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `HTTP2`, `E2E`, `ID`: capitals, possibly with digits, so the word is an acronym rather than camel case.
    private static func isAllCaps(_ word: String) -> Bool {
        word.contains(where: \.isUppercase) && word.allSatisfy { $0.isUppercase || $0.isNumber }
    }

    private static func upperWord(_ word: String) -> String {
        if word.count > 1 && isAllCaps(word) {
            return word.prefix(1) + word.dropFirst().lowercased()
        }
        return word.prefix(1).uppercased() + word.dropFirst()
    }

    private static func lowercaseFirst(_ word: String) -> String {
        word.prefix(1).lowercased() + word.dropFirst()
    }
}
