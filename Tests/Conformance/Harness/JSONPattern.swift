// Tests/Conformance/Harness/JSONPattern.swift - "does this frame look like that?" for case files

import Foundation
import Generated

/// Matches a JSON value against a pattern from a case file.
///
/// Objects match when every key of the pattern matches (other keys are ignored); arrays match
/// element by element. Strings in angle brackets are wildcards: `<any>`, `<string>`, `<int>`,
/// `<bool>`, `<array>`, `<object>`, `<absent>` (the key must be missing), `<null>`,
/// `<prefix>text` and `<contains>text`. `{"$contains": pattern}` matches an array with an element that matches.
enum JSONPattern {
    /// - Returns: nil on a match, else where and why it failed.
    static func mismatch(_ value: JSONValue?, _ pattern: JSONValue, at path: String = "") -> String? {
        if case .string(let wildcard) = pattern, wildcard.hasPrefix("<") {
            return wildcardMismatch(value, wildcard, at: path)
        }
        if case .object(let wrapper) = pattern, wrapper.count == 1, let element = wrapper["$contains"] {
            guard case .array(let array)? = value else { return "\(display(path)): expected an array, got \(describe(value))" }
            return array.contains { mismatch($0, element) == nil } ? nil : "\(display(path)): no element matches \(describe(element))"
        }
        switch pattern {
        case .object(let expected):
            guard case .object(let object)? = value else { return "\(display(path)): expected an object, got \(describe(value))" }
            for (key, sub) in expected.sorted(by: { $0.key < $1.key }) {
                if let problem = mismatch(object[key], sub, at: path + "/" + key) { return problem }
            }
            return nil
        case .array(let expected):
            guard case .array(let array)? = value, array.count == expected.count else {
                return "\(display(path)): expected \(expected.count) elements, got \(describe(value))"
            }
            for (index, sub) in expected.enumerated() {
                if let problem = mismatch(array[index], sub, at: path + "/\(index)") { return problem }
            }
            return nil
        default:
            return value == pattern ? nil : "\(display(path)): expected \(describe(pattern)), got \(describe(value))"
        }
    }

    private static func wildcardMismatch(_ value: JSONValue?, _ wildcard: String, at path: String) -> String? {
        let ok: Bool
        switch (wildcard, value) {
        case ("<any>", let value): ok = value != nil
        case ("<absent>", let value): ok = value == nil
        case ("<null>", .null?): ok = true
        case ("<string>", .string?): ok = true
        case ("<int>", .int?): ok = true
        case ("<bool>", .bool?): ok = true
        case ("<array>", .array?): ok = true
        case ("<object>", .object?): ok = true
        case (_, .string(let text)?) where wildcard.hasPrefix("<prefix>"): ok = text.hasPrefix(wildcard.dropFirst("<prefix>".count))
        case (_, .string(let text)?) where wildcard.hasPrefix("<contains>"): ok = text.contains(wildcard.dropFirst("<contains>".count))
        default: ok = false
        }
        return ok ? nil : "\(display(path)): expected \(wildcard), got \(describe(value))"
    }

    private static func display(_ path: String) -> String { path.isEmpty ? "frame" : path }

    static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "\(value)"
    }
}

extension JSONValue {
    /// Parses JSON text.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Deep-merges `overrides` into an object (`null` removes a key).
    func merging(_ overrides: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let changes) = overrides else { return overrides }
        for (key, value) in changes {
            if value == .null {
                base[key] = nil
            } else {
                base[key] = base[key].map { $0.merging(value) } ?? value
            }
        }
        return .object(base)
    }

    var text: String { JSONPattern.describe(self) }
}
