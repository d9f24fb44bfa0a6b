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
        let canonical = try canonicalizeNumbers(data)
        // Text that is plain JSON (as `ConfigWriter` writes it) is read by the wire's own parser, fuzzed against
        // Foundation (`json` target) and free of its JSON5 traps; a repeated member name still goes to Foundation,
        // which keeps the first one, as before. Only JSON5 proper (comments, unquoted keys, …) reaches Foundation.
        if let value = try? JSONValue(parsing: canonical, rejectingDuplicateKeys: true) { return value }
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        // The scanner's number validation also reads past the end of its buffer when a number is the last thing in
        // it: whether that traps depends on the heap behind the text (libFuzzer `config/crash-23bcac7d…`, `\v` then 21
        // digits, crashed in process but never alone). Trailing whitespace keeps every read inside the text.
        return try decoder.decode(JSONValue.self, from: canonical + Self.padding)
    }

    private static let padding = Data(repeating: 0x20, count: 63) + Data([0x0A])

    /// Foundation's JSON5 scanner also traps (`JSON5Scanner.validateNumber`) on some numbers when it reads them as a
    /// `Double`: any decimal number written with exactly 24 characters (`111111111111111111111111`,
    /// `-12345678901234567890123`), and malformed long ones (`1123456789012345678901234567890e-`); found by the
    /// libFuzzer and seeded `config` targets, fixtures `config/crash-83b32db6…` and `config/crash-cd4bc1b2…`. So
    /// Foundation never sees a number as written: each decimal number outside strings and comments is checked
    /// against JSON5's grammar here (a malformed one is a parse error) and rewritten in a canonical form with the
    /// same value (an `Int` as its digits, anything else as Swift prints the `Double`), one character longer when
    /// that form has 24 characters; hexadecimal ones become decimal. `Infinity` and `NaN` are left to Foundation.
    static func canonicalizeNumbers(_ data: Data) throws(NumberError) -> Data {
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
                if let canonical = try canonicalNumber(word, at: index) {
                    changed = changed || canonical != Array(word)
                    output += canonical
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

    /// A number Foundation would have to read as written, and cannot safely.
    public struct NumberError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var offset: Int
        public var description: String { "invalid number \(text.debugDescription) at byte \(offset)" }
    }

    /// `word` in canonical form when it is a number; nil for other words (keys, `true`, `Infinity`, `NaN`).
    private static func canonicalNumber(_ word: ArraySlice<UInt8>, at offset: Int) throws(NumberError) -> [UInt8]? {
        guard let first = word.first else { return nil }
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        let unsigned = first == UInt8(ascii: "+") || first == UInt8(ascii: "-") ? word.dropFirst() : word
        guard let lead = unsigned.first, isDigit(lead) || lead == UInt8(ascii: ".") else { return nil }
        let text = String(decoding: word, as: UTF8.self)
        let failure = NumberError(text: text, offset: offset)
        // Hexadecimal (`0x1F`): Foundation traps on malformed ones too (`0x0x`, libFuzzer `config/crash-be85bb95…`), so
        // it gets the value in decimal; one that does not fit `Int` is refused, as Foundation refused it.
        if lead == UInt8(ascii: "0"), unsigned.count > 1, unsigned[unsigned.startIndex + 1] | 0x20 == UInt8(ascii: "x") {
            let digits = String(decoding: unsigned.dropFirst(2), as: UTF8.self)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }),
                let magnitude = Int(digits, radix: 16)
            else { throw failure }
            return Array(String(first == UInt8(ascii: "-") ? -magnitude : magnitude).utf8)
        }
        // [+-]? (digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?
        var cursor = unsigned.startIndex
        // No leading zeros (`007`), as JSON5 and Foundation have it.
        if lead == UInt8(ascii: "0"), unsigned.count > 1, isDigit(unsigned[unsigned.startIndex + 1]) { throw failure }
        var mantissaDigits = 0
        var isInteger = true
        while cursor < unsigned.endIndex, isDigit(unsigned[cursor]) {
            cursor += 1
            mantissaDigits += 1
        }
        if cursor < unsigned.endIndex, unsigned[cursor] == UInt8(ascii: ".") {
            isInteger = false
            cursor += 1
            while cursor < unsigned.endIndex, isDigit(unsigned[cursor]) {
                cursor += 1
                mantissaDigits += 1
            }
        }
        guard mantissaDigits > 0 else { throw failure }
        if cursor < unsigned.endIndex, unsigned[cursor] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            cursor += 1
            if cursor < unsigned.endIndex, unsigned[cursor] == UInt8(ascii: "+") || unsigned[cursor] == UInt8(ascii: "-") { cursor += 1 }
            var exponentDigits = 0
            while cursor < unsigned.endIndex, isDigit(unsigned[cursor]) {
                cursor += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { throw failure }
        }
        guard cursor == unsigned.endIndex else { throw failure }
        let plain = first == UInt8(ascii: "+") ? String(text.dropFirst()) : text
        var canonical: String
        if isInteger, let integer = Int(plain) {
            canonical = String(integer)
        } else {
            guard let double = Double(plain), double.isFinite else { throw failure }
            canonical = "\(double)"
        }
        // The 24-character trap holds for canonical forms too (`-1.2345678901234567e-123`): add a digit that changes nothing.
        if canonical.utf8.count == 24 {
            if let e = canonical.firstIndex(of: "e") {
                let signed = canonical.index(after: e) < canonical.endIndex && "+-".contains(canonical[canonical.index(after: e)])
                canonical.insert("0", at: signed ? canonical.index(e, offsetBy: 2) : canonical.index(after: e))
            } else {
                canonical += canonical.contains(".") ? "0" : ".0"
            }
        }
        return Array(canonical.utf8)
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
