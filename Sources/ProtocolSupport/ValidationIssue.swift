// Sources/ProtocolSupport/ValidationIssue.swift - a decoding failure as upstream words it

import Foundation

/// Why a value failed validation, with the JSON pointer of the offending value.
///
/// Rendered like upstream's validator, e.g. `at /client/id: must be equal to constant; at /client/id: must match a schema in anyOf`.
public struct ValidationIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// JSON pointer, e.g. `/client/id`; empty for the root.
    public var pointer: String
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    /// Upstream's wording: `at /a/b: message`; at the root only unexpected properties say `at root`.
    /// A message of several parts (`must be equal to constant; must match a schema in anyOf`) repeats the location.
    public var description: String {
        message.components(separatedBy: "; ").map { part in
            if !pointer.isEmpty { return "at \(pointer): \(part)" }
            return part.hasPrefix("unexpected property") ? "at root: \(part)" : part
        }.joined(separator: "; ")
    }

    /// Translates any error thrown while decoding, dropping `prefix` leading path components
    /// (e.g. the `params` key of the request envelope).
    public init(_ error: any Error, droppingPrefix prefix: Int = 0) {
        guard let error = error as? DecodingError else {
            self.init(pointer: "", message: "must be valid JSON")
            return
        }
        func pointer(_ path: [any CodingKey]) -> String {
            path.dropFirst(prefix).map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(pointer: pointer(context.codingPath), message: ValidationMessage.required(key.stringValue))
        case .typeMismatch(let type, let context):
            let message = context.debugDescription.hasPrefix("must ") ? context.debugDescription : "must be \(jsonTypeName(type))"
            self.init(pointer: pointer(context.codingPath), message: message)
        case .valueNotFound(let type, let context):
            self.init(pointer: pointer(context.codingPath), message: "must be \(jsonTypeName(type))")
        case .dataCorrupted(let context):
            let message =
                context.debugDescription.hasPrefix("must ") || context.debugDescription.hasPrefix("unexpected ")
                ? context.debugDescription : "must be valid JSON"
            self.init(pointer: pointer(context.codingPath), message: message)
        @unknown default:
            self.init(pointer: "", message: "is invalid")
        }
    }
}
