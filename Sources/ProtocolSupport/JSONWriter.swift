// Sources/ProtocolSupport/JSONWriter.swift - JSONValue straight to bytes, without Foundation's encoder

/// Writes a `JSONValue` as compact JSON text in one pass: no `Encoder` containers, no boxing. The wire's
/// untyped payloads (run events, transcript rows) take this path; the text is what `WireJSON.encoder` writes
/// (slashes unescaped, keys in the dictionary's order), so readers cannot tell the two apart.
enum JSONWriter {
    struct NonFiniteNumber: Error, CustomStringConvertible {
        var description: String { "a JSON number must be finite" }
    }

    static func bytes(_ value: JSONValue) throws(NonFiniteNumber) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, to: &out)
        return out
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) throws(NonFiniteNumber) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let flag): out += (flag ? "true" : "false").utf8
        case .int(let number): out += String(number).utf8
        case .number(let number):
            guard number.isFinite else { throw NonFiniteNumber() }
            // Swift's shortest round-trip form ("0.5", "1e-07", "2.0"): it reads back as the same `.number`.
            out += String(number).utf8
        case .string(let text): FrameWriter.appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                FrameWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                try write(member, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
