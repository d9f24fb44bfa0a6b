// Sources/ProtocolGenCore/Layers/TypeRef.swift - the spec's type expressions

import Foundation

/// A parsed type expression: `string`, `int`, `[T]`, `[string: T]`, a named type, each optionally `?`.
public indirect enum TypeRef: Hashable, Sendable, CustomStringConvertible {
    case string
    case int
    case number
    case bool
    /// Any JSON value.
    case any
    /// Any JSON value, left undecoded: the reader records that it is there and decodes it later
    /// into the type it turns out to need (a request's `params`, once the method is known).
    case raw
    case array(TypeRef)
    case map(TypeRef)
    case named(String)

    public var description: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .number: "number"
        case .bool: "bool"
        case .any: "any"
        case .raw: "raw"
        case .array(let element): "[\(element)]"
        case .map(let value): "[string: \(value)]"
        case .named(let name): name
        }
    }

    /// Whether this is a list (`[T]`).
    public var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    /// Every named type this expression mentions.
    public var namedReferences: [String] {
        switch self {
        case .array(let element): element.namedReferences
        case .map(let value): value.namedReferences
        case .named(let name): [name]
        default: []
        }
    }

    /// Parses a type expression; the trailing `?` is returned separately.
    /// - Returns: `nil` when the text is not a type expression.
    public static func parse(_ text: String) -> (type: TypeRef, optional: Bool)? {
        var text = text.trimmingCharacters(in: .whitespaces)
        var optional = false
        if text.hasSuffix("?") {
            optional = true
            text.removeLast()
        }
        guard let type = parseBare(text) else { return nil }
        return (type, optional)
    }

    private static func parseBare(_ text: String) -> TypeRef? {
        let text = text.trimmingCharacters(in: .whitespaces)
        switch text {
        case "string": return .string
        case "int": return .int
        case "number": return .number
        case "bool": return .bool
        case "any": return .any
        case "raw": return .raw
        default: break
        }
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let inner = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            if inner.hasPrefix("string:") {
                return parseBare(String(inner.dropFirst("string:".count))).map { .map($0) }
            }
            return parseBare(inner).map { .array($0) }
        }
        guard let first = text.first, first.isLetter, first.isUppercase,
            text.allSatisfy({ $0.isLetter || $0.isNumber })
        else { return nil }
        return .named(text)
    }
}
