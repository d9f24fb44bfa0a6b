// Sources/Runtime/Service/SystemdUnit.swift - the gateway's systemd unit: render, and read back

import Foundation
import Generated

/// A systemd unit for the gateway (reference/ops.md §7, upstream `buildSystemdUnit`).
public enum SystemdUnit {
    /// Renders the unit text. Arguments and `K=V` assignments are quoted only when they contain whitespace, `"` or `\`;
    /// `%` is doubled so systemd does not read it as a specifier.
    public static func render(_ definition: ServiceDefinition) -> String {
        var lines = [
            "[Unit]",
            "Description=\(escapeSpecifiers(definition.description))",
            "After=network-online.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            "ExecStart=" + definition.programArguments.map(quote).joined(separator: " "),
            "Restart=always",
            "RestartSec=5",
            // Only the main process is waited for, so helper children cannot block a stop.
            "KillMode=process",
            "WorkingDirectory=" + quote(definition.workingDirectory),
        ]
        for (key, value) in definition.environment where !value.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.append("Environment=" + quote("\(key)=\(value.trimmingCharacters(in: .whitespaces))"))
        }
        lines += ["", "[Install]", "WantedBy=default.target", ""]
        return lines.joined(separator: "\n")
    }

    /// One argument as written in `ExecStart=` / `Environment=`.
    static func quote(_ value: String) -> String {
        let escaped = escapeSpecifiers(value)
        guard escaped.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "\\" }) else { return escaped }
        return "\"" + escaped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func escapeSpecifiers(_ value: String) -> String { value.replacingOccurrences(of: "%", with: "%%") }

    /// What an installed unit says, as far as the gateway's tooling cares.
    public struct Parsed: Sendable, Equatable {
        public var description: String?
        /// The `ExecStart=` argv, unquoted.
        public var execStart: [String]
        public var workingDirectory: String?
        /// `Environment=` assignments, later lines winning.
        public var environment: [String: String]
        /// `EnvironmentFile=` values (a leading `-` kept).
        public var environmentFiles: [String]
        /// Every `Key=Value` by section, as written (for audits such as `Restart=`, `RestartSec=`, `WantedBy=`).
        public var sections: [String: [String: String]]

        /// `OPENCLAW_GATEWAY_PORT`, else the value after `--port` in `ExecStart`.
        public var port: Int? {
            if let index = execStart.firstIndex(of: "--port"), index + 1 < execStart.count, let port = Int(execStart[index + 1]) { return port }
            return environment[EnvironmentVariable.gatewayPort].flatMap(Int.init)
        }
    }

    /// Reads a unit back: sections, `ExecStart` argv, `WorkingDirectory`, `Environment` and `EnvironmentFile` (continuation
    /// lines joined, comments skipped). Unknown keys are kept in `sections`.
    public static func parse(_ text: String) -> Parsed {
        var parsed = Parsed(description: nil, execStart: [], workingDirectory: nil, environment: [:], environmentFiles: [], sections: [:])
        var section = ""
        var pending = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.hasPrefix("#") || line.hasPrefix(";")) { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            line = pending + line
            pending = ""
            if line.isEmpty { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            parsed.sections[section, default: [:]][key] = value
            switch (section, key) {
            case ("Unit", "Description"): parsed.description = unescapeSpecifiers(value)
            case ("Service", "ExecStart"): parsed.execStart = splitArguments(value)
            case ("Service", "WorkingDirectory"): parsed.workingDirectory = splitArguments(value).first
            case ("Service", "EnvironmentFile"): parsed.environmentFiles.append(value)
            case ("Service", "Environment"):
                for assignment in splitArguments(value) {
                    guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else { continue }
                    parsed.environment[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
                }
            default: break
            }
        }
        return parsed
    }

    /// Splits a systemd command line: whitespace separates, `"…"` and `'…'` group, `\` escapes; `%%` becomes `%`.
    public static func splitArguments(_ value: String) -> [String] {
        var arguments: [String] = []
        var current = ""
        var inToken = false
        var quote: Character?
        var escaping = false
        for character in value {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
                inToken = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inToken = true
            } else if character.isWhitespace {
                if inToken { arguments.append(current) }
                current = ""
                inToken = false
            } else {
                current.append(character)
                inToken = true
            }
        }
        if inToken { arguments.append(current) }
        return arguments.map(unescapeSpecifiers)
    }

    private static func unescapeSpecifiers(_ value: String) -> String { value.replacingOccurrences(of: "%%", with: "%") }
}
