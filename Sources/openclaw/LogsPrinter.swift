// Sources/openclaw/LogsPrinter.swift - how `openclaw logs` prints lines: rendered, raw (`--plain`) or typed JSONL (`--json`)

import Foundation
import Generated
import Runtime

/// Writes tail results as rendered lines, raw JSONL (`--plain`) or typed JSONL (`--json`), unbuffered so `--follow` streams.
struct LogsPrinter {
    let json: Bool
    let plain: Bool
    let colour: Bool

    func print(_ result: LogsTailResult, first: Bool) {
        var out: [String] = []
        if json, first {
            out.append(encode(["type": .string("meta"), "file": .string(result.file), "cursor": .int(result.cursor), "size": .int(result.size)]))
        }
        if result.reset == true { notice("Log file rotated or truncated; reading from its tail.", into: &out) }
        if result.truncated == true { notice("Output truncated; older lines were skipped.", into: &out) }
        for line in result.lines {
            out.append(render(line))
        }
        write(out)
    }

    func notice(_ message: String) {
        var out: [String] = []
        notice(message, into: &out)
        write(out)
    }

    private func notice(_ message: String, into out: inout [String]) {
        if json {
            out.append(encode(["type": .string("notice"), "message": .string(message)]))
        } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
    }

    private func render(_ line: String) -> String {
        if plain { return line }
        guard let object = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)), case .object(let fields) = object else {
            return json ? encode(["type": .string("raw"), "raw": .string(line)]) : line
        }
        let time = fields["time"]?.stringValue ?? ""
        let level = fields["level"]?.stringValue ?? "info"
        let subsystem = fields["subsystem"]?.stringValue ?? ""
        let message = fields["message"]?.stringValue ?? line
        if json {
            return encode([
                "type": .string("log"), "time": .string(time), "level": .string(level), "subsystem": .string(subsystem), "message": .string(message),
                "raw": .string(line),
            ])
        }
        let levelText = colour ? Self.colour(level) + level + "\u{1B}[0m" : level
        let prefix = subsystem.isEmpty || message.hasPrefix("[") ? "" : "[\(subsystem)] "
        return [time, levelText, prefix + message].filter { !$0.isEmpty }.joined(separator: " ")
    }

    private func encode(_ fields: [String: JSONValue]) -> String {
        (try? JSONOutput.render(.object(fields), pretty: false)) ?? "{}"
    }

    private func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    private static func colour(_ level: String) -> String {
        switch level {
        case "trace", "debug": "\u{1B}[90m"
        case "warn": "\u{1B}[33m"
        case "error", "fatal": "\u{1B}[31m"
        default: "\u{1B}[32m"
        }
    }
}
