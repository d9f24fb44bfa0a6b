// Sources/ProtocolSupport/FrameWriter.swift - response and event frames spliced from encoded payloads
//
// The shape is the generated `ResponseFrame` / `EventFrame`; a test decodes every spliced frame with
// them. Splicing lets one encoded payload serve many sockets, each with its own `id` or `seq`.

/// Builds the JSON text of outbound frames.
public enum FrameWriter {
    /// A response frame; `version` picks the payload's encoding when it differs between protocol versions.
    public static func response(id: String, ok: Bool, payload: EncodedJSON?, error: EncodedJSON? = nil, version: Int? = nil) -> [UInt8] {
        let payload = payload.map { EncodedJSON(bytes: $0.bytes(for: version)) }
        var out: [UInt8] = []
        out.reserveCapacity(48 + id.utf8.count + (payload?.bytes.count ?? 0) + (error?.bytes.count ?? 0))
        out += #"{"type":"res","id":"#.utf8
        appendString(id, to: &out)
        out += (ok ? #","ok":true"# : #","ok":false"#).utf8
        if let payload {
            out += #","payload":"#.utf8
            out += payload.bytes
        }
        if let error {
            out += #","error":"#.utf8
            out += error.bytes
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Everything of an event frame up to where `seq` goes; `eventTail` closes it.
    public static func eventHead(name: String, payload: EncodedJSON, stateVersion: EncodedJSON?, version: Int? = nil) -> [UInt8] {
        let payload = payload.bytes(for: version)
        var out: [UInt8] = []
        out.reserveCapacity(40 + name.utf8.count + payload.count)
        out += #"{"type":"event","event":"#.utf8
        appendString(name, to: &out)
        out += #","payload":"#.utf8
        out += payload
        if let stateVersion {
            out += #","stateVersion":"#.utf8
            out += stateVersion.bytes
        }
        return out
    }

    /// Finishes an event frame begun by `eventHead`, with or without `seq`.
    public static func event(head: [UInt8], seq: Int?) -> [UInt8] {
        var out = head
        if let seq {
            out += #","seq":"#.utf8
            out += String(seq).utf8
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `text` as a JSON string literal.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
