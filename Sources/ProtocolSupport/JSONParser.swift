// Sources/ProtocolSupport/JSONParser.swift - JSON text straight to JSONValue

/// Why a text is not JSON, and where (a byte offset).
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that answer each case differently (a WebSocket closes 1007 on bad text).
    public enum Kind: Sendable, Equatable {
        case syntax
        /// A string's bytes are not UTF-8.
        case invalidUTF8
        /// A `\u` escape of half a surrogate pair.
        case loneSurrogate
        /// Deeper than `JSONParser.maxDepth`.
        case nestedTooDeeply
        /// A member name repeated in one object (only with `rejectingDuplicateKeys`).
        case duplicateKey(String)
    }

    public var message: String
    public var offset: Int
    public var kind: Kind = .syntax
    public var description: String { "\(message) at byte \(offset)" }
}

extension JSONValue {
    /// Parses JSON (RFC 8259, any value at the top, surrounding whitespace allowed) into a value.
    ///
    /// Why not `JSONDecoder().decode(JSONValue.self, …)`: through `Decodable`, every leaf probes its
    /// type by failing (array? object? bool? int? double?) and each failure builds a `DecodingError`
    /// with its coding path. Streaming a model's answer decodes one small JSON object per token, and
    /// that probing was a tenth of the gateway's CPU. Values match Foundation's: integers (and
    /// integral numbers such as `1.0`) become `.int`, others `.number`; the same inputs are refused
    /// (invalid UTF-8, control characters in strings, lone surrogates, leading zeros, trailing
    /// text, nesting deeper than 512). Where Foundation is lenient we follow RFC 8259 and
    /// JavaScript's `JSON.parse` (upstream's parser): trailing commas are refused and a repeated
    /// member name keeps its last value.
    ///
    /// With `rejectingDuplicateKeys`, a repeated member name is an error instead: where two readers of one
    /// text could disagree (the first wins in Foundation, the last in `JSON.parse`), the text is refused.
    public init(parsing bytes: some Collection<UInt8>, rejectingDuplicateKeys: Bool = false) throws(JSONParseError) {
        let parsed: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(buffer, rejectingDuplicateKeys: rejectingDuplicateKeys)
            return Result { () throws(JSONParseError) in try parser.document() }
        }
        if let parsed {
            self = try parsed.get()
        } else {
            self = try JSONValue(parsing: Array(bytes), rejectingDuplicateKeys: rejectingDuplicateKeys)
        }
    }

    /// The deepest nesting `init(parsing:)` accepts (as Foundation's parser).
    public static let maxParseDepth = JSONParser.maxDepth

    /// `init(parsing:)` on a string's UTF-8.
    public init(parsing text: String) throws(JSONParseError) {
        var text = text
        let parsed: Result<JSONValue, JSONParseError> = text.withUTF8 { buffer in
            var parser = JSONParser(buffer)
            return Result { () throws(JSONParseError) in try parser.document() }
        }
        self = try parsed.get()
    }
}

/// A recursive-descent parser over contiguous bytes.
struct JSONParser {
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private let rejectingDuplicateKeys: Bool
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, rejectingDuplicateKeys: Bool = false) {
        self.bytes = bytes
        self.rejectingDuplicateKeys = rejectingDuplicateKeys
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        // A UTF-8 byte order mark is tolerated, as Foundation does.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        let value = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    private func fail(_ message: String, _ kind: JSONParseError.Kind = .syntax) -> JSONParseError {
        JSONParseError(message: message, offset: index, kind: kind)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw fail("invalid literal") }
        index += count
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("nested too deeply", .nestedTooDeeply) }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            let member = try value(depth: depth)
            if members.updateValue(member, forKey: key) != nil, rejectingDuplicateKeys {
                throw fail("duplicate member name '\(key)'", .duplicateKey(key))
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("nested too deeply", .nestedTooDeeply) }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    /// A string; the common case (no escapes) is one validated copy of the bytes.
    private mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try utf8(start..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw fail("unescaped control character in string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    private mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: try utf8(start..<index).unicodeScalars)
        var run = index
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                scalars.append(contentsOf: try utf8(run..<index).unicodeScalars)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: try utf8(run..<index).unicodeScalars)
                index += 1
                guard index < bytes.count else { throw fail("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default:
                    index -= 1
                    throw fail("invalid escape")
                }
                run = index
            default:
                if byte < 0x20 { throw fail("unescaped control character in string") }
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// After `\u`: four hex digits, a surrogate pair when the first is a high surrogate.
    private mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try hex4()
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail("a high surrogate without its low surrogate", .loneSurrogate)
            }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail("a high surrogate without its low surrogate", .loneSurrogate) }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(value)!
        case 0xDC00...0xDFFF:
            throw fail("a low surrogate without its high surrogate", .loneSurrogate)
        default:
            return Unicode.Scalar(first)!
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func utf8(_ range: Range<Int>) throws(JSONParseError) -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw JSONParseError(message: "invalid UTF-8 in string", offset: range.lowerBound, kind: .invalidUTF8)
        }
        return text
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`: an `.int` when it is a whole number that fits.
    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail("leading zero in number") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let double = Double(text), double.isFinite else {
            throw JSONParseError(message: "number out of range", offset: start)
        }
        // As Foundation decodes `1.0` or `1e2` into an Int: a text that denotes a whole number in range → `.int`,
        // read from its digits (the double may have rounded it: `-92233720368521470.1e1` is -922337203685214701,
        // not the double's -922337203685214720; found by the `json` fuzz target).
        if double.rounded() == double, abs(double) <= 0x1p63, let whole = Self.exactInteger(bytes[start..<index]) { return .int(whole) }
        return .number(double)
    }

    /// The integer a number's text denotes (`1.0`, `1e2`, `-12.50e1`), or nil when it has a fraction or does not fit `Int`.
    static func exactInteger(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var digits: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var negative = false
        var part = 0  // 0: integer part, 1: fraction, 2: exponent
        var exponentNegative = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "-") where part == 0: negative = true
            case UInt8(ascii: "-"): exponentNegative = true
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "."): part = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"): part = 2
            default:
                let digit = Int(byte - UInt8(ascii: "0"))
                if part == 2 {
                    // Past 400 nothing fits `Int` anyway (and the double was finite and whole, so the digits are not all zero).
                    exponent = min(exponent * 10 + digit, 1000)
                } else {
                    if !(digits.isEmpty && digit == 0) { digits.append(UInt8(digit)) }
                    if part == 1 { fractionDigits += 1 }
                }
            }
        }
        if digits.isEmpty { return 0 }
        var scale = (exponentNegative ? -exponent : exponent) - fractionDigits
        // Trailing zeros below the decimal point are no fraction.
        while scale < 0, digits.last == 0 {
            digits.removeLast()
            scale += 1
        }
        guard scale >= 0, digits.count + scale <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits + Array(repeating: 0, count: scale) {
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { return nil }
            magnitude = sum
        }
        if negative { return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
