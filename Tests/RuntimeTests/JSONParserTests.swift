// Tests/RuntimeTests/JSONParserTests.swift - the fast JSON parser agrees with Foundation's decoder

import Foundation
import ProtocolSupport
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func foundation(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test(arguments: [
        "null", "true", "false", "0", "-0", "42", "-17", "1.5", "-2.25e-3", "1e2", "1.0", "1E+2", "12345678901234567890", "9007199254740993",
        "-92233720368521470.1e1", "1.50e1",
        "\"\"", #""plain""#, #""esc \" \\ \/ \b \f \n \r \t""#, #""\u00e9\u4e2d\ud83d\ude00""#, #""ünïcødé 🦀""#,
        "[]", "{}", "[1, [2, [3]], {\"a\": null}]", " \n\t{ \"k\" : [ true , false ] } \r\n",
        #"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":{"prompt_tokens":10}}"#,
    ])
    func validDocumentsMatchFoundation(_ text: String) throws {
        let ours = try JSONValue(parsing: text)
        #expect(ours == foundation(text), "\(text)")
        #expect(try JSONValue(parsing: Data(text.utf8)) == ours)
        #expect(try JSONValue(parsing: Array(text.utf8)[...]) == ours)
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "[1 2]", "{\"a\" 1}", "{1:2}", "01", "-", "1.", ".5", "1e", "+1", "1e400", "\"abc",
        "\"a\u{01}b\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\ud800\u0041""#, #""\udc00""#, "[1] x", "{\"a\":1}}", "NaN", "Infinity",
    ])
    func invalidDocumentsAreRefusedLikeFoundation(_ text: String) {
        #expect(throws: JSONParseError.self, "\(text.debugDescription)") { try JSONValue(parsing: text) }
        #expect(foundation(text) == nil, "Foundation accepts \(text.debugDescription)")
    }

    /// Where Foundation is lenient or differs, we follow RFC 8259 and JavaScript's JSON.parse (upstream's
    /// parser): trailing commas are refused, and a repeated member name keeps its last value.
    @Test func trailingCommasAndRepeatedNamesAsJavaScript() throws {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[1,]") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a":1,}"#) }
        #expect(try JSONValue(parsing: #"{"a":1,"a":2}"#) == ["a": 2])
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) }
        #expect((try? JSONValue(parsing: String(repeating: "[", count: 500) + String(repeating: "]", count: 500))) != nil)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: String(repeating: "[", count: 200_000)) }
    }

    @Test func randomDocumentsRoundTripLikeFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.random(depth: 0, using: &generator)
            let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
            #expect(try JSONValue(parsing: text) == foundation(text), "\(text)")
        }
    }

    /// The wire's own writer (`WireJSON.encode` of a `JSONValue`) reads back as the same value in both parsers.
    @Test func theWriterRoundTripsThroughBothParsers() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.random(depth: 0, using: &generator)
            let text = String(decoding: try WireJSON.encode(value), as: UTF8.self)
            #expect(try JSONValue(parsing: text) == value, "\(text)")
            #expect(foundation(text) == value, "\(text)")
        }
        let sample: JSONValue = ["path": "a/b", "small": .number(1.5e-7), "x": .number(0.5)]
        #expect(try JSONValue(parsing: WireJSON.encode(sample)) == sample)
        // A whole double reads back as an integer in both parsers, as before.
        #expect(try JSONValue(parsing: WireJSON.encode(["n": .number(2.0)] as JSONValue)) == ["n": 2])
        #expect(String(decoding: try WireJSON.encode(sample), as: UTF8.self).contains(#""a/b""#))
        #expect(throws: (any Error).self) { try WireJSON.encode(JSONValue.number(.infinity)) }
    }

    private static func random(depth: Int, using generator: inout SystemRandomNumberGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: Int.min...Int.max, using: &generator))
        case 3: return .number(Double.random(in: -1e9...1e9, using: &generator))
        case 4, 5:
            let alphabet = Array("ab \"\\/\n\t\u{01}é中😀")
            return .string(String((0..<Int.random(in: 0..<12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        case 6: return .array((0..<Int.random(in: 0..<4, using: &generator)).map { _ in random(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &generator) { members["k\(index)"] = random(depth: depth + 1, using: &generator) }
            return .object(members)
        }
    }
}
