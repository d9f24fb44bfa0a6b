// Sources/Runtime/Config/JSON5Text.swift - JSON5 bytes → JSONValue, with the check Foundation's scanner lacks

import Foundation
import Generated

/// Every JSON5 read of config text goes through here. Foundation's JSON5 scanner traps instead of throwing
/// when an unquoted member name holds bytes that are not UTF-8 (`{ agents\u{FE}: … }` kills the process in
/// `BufferView._decodeScalar`; found by the `config` fuzz target, fixture
/// `Tests/Fixtures/fuzz/config/crash-f4a16d8101d1bf05`). A config file with one stray Latin-1 byte would crash
/// the gateway at start-up, on a hot reload, and `openclaw doctor`; so the bytes are checked first and such a
/// text is refused like any other parse error.
public enum JSON5Text {
    /// The text is not UTF-8.
    public struct InvalidUTF8: Error, Sendable, CustomStringConvertible {
        /// The first byte that is not part of a UTF-8 sequence.
        public var offset: Int
        public var description: String { "the text is not valid UTF-8 (first bad byte at offset \(offset))" }
    }

    /// Decodes JSON5 `data` as is (callers decide what empty text means).
    /// - Throws: `InvalidUTF8`, or Foundation's `DecodingError` for text that is not JSON5.
    public static func decode(_ data: Data) throws -> JSONValue {
        if let offset = firstInvalidUTF8(data) { throw InvalidUTF8(offset: offset) }
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(JSONValue.self, from: data)
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ data: Data) -> Int? {
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
