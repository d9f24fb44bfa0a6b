// Sources/Runtime/Config/JSON5Text.swift - JSON5 bytes → JSONValue, with the checks Foundation's scanner lacks

import Foundation
import Generated

/// Every JSON5 read of config text goes through here, because Foundation's JSON5 scanner traps on some input instead
/// of throwing. One: an unquoted member name holding bytes that are not UTF-8 (`{ agents\u{FE}: … }` kills the process in
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
        return try decoder.decode(JSONValue.self, from: widenTwentyFourCharacterNumbers(data))
    }

    /// Foundation's JSON5 scanner also traps (`JSON5Scanner.validateNumber`) reading a decimal number written with
    /// exactly 24 characters as a `Double` (`111111111111111111111111`, `-12345678901234567890123`,
    /// `1111111111111111111111.1`; found by the libFuzzer `config` target, fixture
    /// `config/crash-83b32db6ac7c1e7e9815d5cf4e0d919cd1a0a3ef`). Such a number is rewritten one character longer with
    /// the same value before Foundation sees it: `.0` appended to an integer, `0` to a fraction, or a leading zero
    /// in the exponent. Strings and comments are left alone.
    static func widenTwentyFourCharacterNumbers(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var output: [UInt8] = []
        var index = 0
        var changed = false
        output.reserveCapacity(bytes.count)
        func isWordByte(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") || byte >= 0x80
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                var end = index + 1
                while end < bytes.count, bytes[end] != byte { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                end = min(end + 1, bytes.count)
                output += bytes[index..<end]
                index = end
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*") {
                let block = bytes[index + 1] == UInt8(ascii: "*")
                var end = index + 2
                while end < bytes.count {
                    if block ? (bytes[end] == UInt8(ascii: "*") && end + 1 < bytes.count && bytes[end + 1] == UInt8(ascii: "/")) : bytes[end] == 0x0A { break }
                    end += 1
                }
                end = min(block ? end + 2 : end, bytes.count)
                output += bytes[index..<end]
                index = end
            } else if isWordByte(byte) {
                var end = index
                while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
                let word = bytes[index..<end]
                if word.count == 24, let widened = widen(word) {
                    output += widened
                    changed = true
                } else {
                    output += word
                }
                index = end
            } else {
                output.append(byte)
                index += 1
            }
        }
        return changed ? Data(output) : data
    }

    /// `word` one character longer with the same value, when it is a decimal number; nil otherwise.
    private static func widen(_ word: ArraySlice<UInt8>) -> [UInt8]? {
        var digits = 0
        var dot: Int?
        var exponent: Int?
        for (offset, byte) in word.enumerated() {
            switch byte {
            case 0x30...0x39: digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard offset == 0 || (exponent.map { offset == $0 + 1 } ?? false) else { return nil }
            case UInt8(ascii: "."):
                guard dot == nil, exponent == nil else { return nil }
                dot = offset
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard exponent == nil, digits > 0 else { return nil }
                exponent = offset
            default: return nil
            }
        }
        guard digits > 0 else { return nil }
        let text = Array(word)
        if let exponent {
            let signed = exponent + 1 < text.count && (text[exponent + 1] == UInt8(ascii: "+") || text[exponent + 1] == UInt8(ascii: "-"))
            let at = exponent + (signed ? 2 : 1)
            guard at < text.count else { return nil }
            return Array(text[..<at]) + [UInt8(ascii: "0")] + Array(text[at...])
        }
        return text + (dot == nil ? Array(".0".utf8) : [UInt8(ascii: "0")])
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
