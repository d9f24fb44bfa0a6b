// Tests/CLITests/Support/JSONValue+Text.swift - JSON text in and out for the CLI tests' protocol clients

import Foundation
import Generated

extension JSONValue {
    /// Parses JSON text.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Compact JSON text with sorted keys.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "\(self)"
    }
}
