// Sources/Runtime/HTTP/Hooks/HookTemplate.swift - `{{expr}}` templates of hook mappings

import Foundation
import ProtocolSupport

/// Upstream's mapping templates: each `{{ expr }}` becomes the value at `expr` — `path`, `now`
/// (ISO 8601), `headers.<name>` (lowercase), `query.<name>`, `payload.<path>` or a bare payload path
/// like `messages[0].subject`. Missing values render empty; strings as they are; numbers and
/// booleans as text; objects and arrays as JSON.
struct HookTemplate: Sendable {
    /// What a template can read.
    struct Context: Sendable {
        var payload: JSONValue
        var headers: [String: String]
        var query: [String: String]
        var path: String
        var now: Date = Date()
    }

    let text: String

    init(_ text: String) { self.text = text }

    /// The template contains at least one `{{ … }}`.
    var isTemplated: Bool { text.range(of: #"\{\{\s*[^}]+\s*\}\}"#, options: .regularExpression) != nil }

    func render(_ context: Context) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            output += rest[..<open.lowerBound]
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if expression.isEmpty || expression.contains("}") {
                output += rest[open.lowerBound..<close.upperBound]
            } else {
                output += Self.text(of: Self.value(expression, context))
            }
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    private static func value(_ expression: String, _ context: Context) -> JSONValue? {
        if expression == "path" { return .string(context.path) }
        if expression == "now" {
            // JavaScript's toISOString: milliseconds and `Z`.
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return .string(formatter.string(from: context.now))
        }
        if expression.hasPrefix("headers.") { return context.headers[String(expression.dropFirst(8)).lowercased()].map(JSONValue.string) }
        if expression.hasPrefix("query.") { return context.query[String(expression.dropFirst(6))].map(JSONValue.string) }
        if expression.hasPrefix("payload.") { return lookup(String(expression.dropFirst(8)), in: context.payload) }
        return lookup(expression, in: context.payload)
    }

    /// `a.b[0].c`: object keys and array indexes; anything else along the way → nil.
    static func lookup(_ path: String, in root: JSONValue) -> JSONValue? {
        var current: JSONValue? = root
        var index = path.startIndex
        while index < path.endIndex, let value = current {
            let character = path[index]
            if character == "." {
                index = path.index(after: index)
            } else if character == "[" {
                guard let end = path[index...].firstIndex(of: "]"), let position = Int(path[path.index(after: index)..<end]) else { return nil }
                guard let array = value.arrayValue, array.indices.contains(position) else { return nil }
                current = array[position]
                index = path.index(after: end)
            } else {
                let end = path[index...].firstIndex { $0 == "." || $0 == "[" } ?? path.endIndex
                current = value.objectValue?[String(path[index..<end])]
                index = end
            }
        }
        return current
    }

    private static func text(of value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        case let other?: (try? WireJSON.encode(other)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}
