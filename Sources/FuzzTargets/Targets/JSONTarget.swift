// Sources/FuzzTargets/Targets/JSONTarget.swift - the wire's JSON parser (ProtocolSupport) against itself and Foundation

import Foundation
import ProtocolSupport

extension FuzzTarget {
    /// `JSONValue(parsing:)`, the parser every frame and body goes through first.
    ///
    /// Invariants: an accepted text writes back (`WireJSON.encode`) to a text that parses to the same value;
    /// refusing repeated member names changes nothing else; and a text our parser accepts without repeated
    /// names is accepted by Foundation with the same value, since the gateway reads a frame with ours and then
    /// decodes its typed fields with Foundation's.
    public static let json = FuzzTarget(
        name: "json",
        summary: "JSONValue(parsing:): round trip through the wire writer, duplicate-key mode, agreement with Foundation",
        seeds: JSONSeeds.all,
        dictionary: JSONSeeds.dictionary,
        check: { input throws(InvariantBreak) in try JSONCheck.run(input) }
    )
}

enum JSONCheck {
    static func run(_ input: [UInt8]) throws(InvariantBreak) -> Bool {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: input)
        } catch {
            // A refusal must say where: an offset inside the text (or just past it).
            guard error.offset >= 0, error.offset <= input.count else {
                throw InvariantBreak("error offset \(error.offset) outside a \(input.count)-byte input: \(error)")
            }
            return false
        }
        let written: [UInt8]
        do {
            written = try WireJSON.encode(value)
        } catch {
            throw InvariantBreak("an accepted value cannot be written back: \(error)")
        }
        guard let reread = try? JSONValue(parsing: written) else {
            throw InvariantBreak("the written text does not parse: \(String(decoding: written.prefix(200), as: UTF8.self))")
        }
        guard sameValue(reread, value) else {
            throw InvariantBreak("round trip changed the value: \(String(decoding: written.prefix(200), as: UTF8.self))")
        }
        let strict: JSONValue
        do {
            strict = try JSONValue(parsing: input, rejectingDuplicateKeys: true)
        } catch {
            guard case .duplicateKey = error.kind else {
                throw InvariantBreak("duplicate-key mode refused a text the lenient mode accepts, for another reason: \(error)")
            }
            return true
        }
        guard strict == value else { throw InvariantBreak("duplicate-key mode read another value") }
        guard let foundation = try? JSONDecoder().decode(JSONValue.self, from: Data(input)) else {
            throw InvariantBreak("Foundation refuses a text our parser accepts")
        }
        guard sameValue(foundation, value) else {
            throw InvariantBreak("Foundation reads another value: \(foundation) vs \(value)")
        }
        return true
    }

    /// Equal, where a non-integral number may differ in its last bit between two decimal readers, and the same
    /// number may be typed differently: `-9223372036854775809` is the double -2^63 to both parsers, which ours
    /// keeps as `Int.min` (a whole double in range) and Foundation as a `Double` (its `Int` decode overflows);
    /// fixture `json/overflowing-integer-reads-as-int-min`.
    static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y || abs(x - y) <= abs(x) * 1e-15
        // Past 2^53 Foundation reads a whole number as a `Double`, rounded (a tie may go either way): ours keeps it
        // exact as an `Int`, so the two agree to within the double's last bit (fixture `json/invariant-979200038334d805`).
        case (.int(let x), .number(let y)), (.number(let y), .int(let x)): return Double(x) == y || abs(Double(x) - y) <= abs(y) * 1e-15
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameValue(value, $0) } ?? false }
        default: return a == b
        }
    }
}

/// Hand-picked JSON: every kind of value, escapes, the edges of numbers, nesting and whitespace.
enum JSONSeeds {
    static let all: [[UInt8]] = [
        "null", "true", "false", "0", "-0", "1.5", "-2.25e-3", "1E+2", "12345678901234567890", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1e308", "5e-324", #""""#, #""esc \" \\ \/ \b \f \n \r \t""#,
        #""\u00e9\u4e2d\ud83d\ude00""#, #""ünïcødé 🦀""#, "[]", "{}", #"[1, [2, [3]], {"a": null}]"#,
        " \n\t{ \"k\" : [ true , false ] } \r\n", #"{"a":1,"a":2}"#, "\u{FEFF}{}",
        #"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":{"prompt_tokens":10}}"#,
        String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
    ].map(bytes)

    static let dictionary: [[UInt8]] = [
        "null", "true", "false", "\\u0000", "\\ud800", "\\udc00", "\\\"", "1e999", "-0.0", "[", "]", "{", "}", ":", ",", "\"\":",
    ].map(bytes)
}
