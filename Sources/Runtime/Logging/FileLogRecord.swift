// Sources/Runtime/Logging/FileLogRecord.swift - one JSONL object: time, level, subsystem, message, metadata fields

import Foundation
import Logging

/// Renders a record as one line of JSON. Hand-written so field order is stable (`time` first) and no encoder is built per line.
public enum FileLogRecord {
    /// Keys the record itself uses; metadata with these names is written as `meta.<key>`.
    static let reserved: Set<String> = ["time", "level", "subsystem", "message"]

    public static func line(level: String, subsystem: String, message: String, fields: Logger.Metadata, time: Date) -> String {
        var out = "{\"time\":\"" + ISO8601.format(time) + "\",\"level\":" + quote(level) + ",\"subsystem\":" + quote(subsystem)
        out += ",\"message\":" + quote(message)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            out += "," + quote(reserved.contains(key) ? "meta." + key : key) + ":" + encode(value)
        }
        return out + "}"
    }

    static func encode(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): quote(text)
        case .stringConvertible(let convertible): quote(convertible.description)
        case .array(let values): "[" + values.map(encode).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted(by: { $0.key < $1.key }).map { quote($0.key) + ":" + encode($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
