// Sources/Runtime/Service/LaunchdPlist.swift - the gateway's macOS LaunchAgent plist: render, and read back

import Foundation
import Generated

/// A LaunchAgent plist for the gateway (reference/ops.md §7, upstream `buildLaunchAgentPlist`). Rendered on every
/// platform so its content is tested everywhere; only macOS installs it.
public enum LaunchdPlist {
    /// `<stateDir>/logs/<prefix>.log` and `<prefix>.err.log`; the prefix is `OPENCLAW_LOG_PREFIX`, default `gateway`.
    public static func logPaths(stateDir: String, environment: [String: String] = [:]) -> (stdout: String, stderr: String) {
        let prefix = environment[EnvironmentVariable.logPrefix].flatMap { $0.isEmpty ? nil : $0 } ?? "gateway"
        return ("\(stateDir)/logs/\(prefix).log", "\(stateDir)/logs/\(prefix).err.log")
    }

    /// Renders the plist XML: `Label`, `Comment`, `RunAtLoad`, `KeepAlive`, `ExitTimeOut` 15, `ProgramArguments`,
    /// `WorkingDirectory`, `StandardOutPath`, `StandardErrorPath`, `EnvironmentVariables`.
    public static func render(_ definition: ServiceDefinition, label: String, logs: (stdout: String, stderr: String)) -> String {
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">"#,
            #"<plist version="1.0">"#,
            "  <dict>",
            "    <key>Label</key>",
            "    <string>\(escape(label))</string>",
            "    <key>Comment</key>",
            "    <string>\(escape(definition.description))</string>",
            "    <key>RunAtLoad</key>",
            "    <true/>",
            "    <key>KeepAlive</key>",
            "    <true/>",
            "    <key>ExitTimeOut</key>",
            "    <integer>15</integer>",
            "    <key>ProgramArguments</key>",
            "    <array>",
        ]
        lines += definition.programArguments.map { "      <string>\(escape($0))</string>" }
        lines += [
            "    </array>",
            "    <key>WorkingDirectory</key>",
            "    <string>\(escape(definition.workingDirectory))</string>",
            "    <key>StandardOutPath</key>",
            "    <string>\(escape(logs.stdout))</string>",
            "    <key>StandardErrorPath</key>",
            "    <string>\(escape(logs.stderr))</string>",
            "    <key>EnvironmentVariables</key>",
            "    <dict>",
        ]
        for (key, value) in definition.environment where !value.isEmpty {
            lines += ["      <key>\(escape(key))</key>", "      <string>\(escape(value))</string>"]
        }
        lines += ["    </dict>", "  </dict>", "</plist>", ""]
        return lines.joined(separator: "\n")
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
    }

    /// What an installed plist says.
    public struct Parsed: Sendable, Equatable {
        public var label: String?
        public var programArguments: [String]
        public var workingDirectory: String?
        public var environment: [String: String]
        public var standardOutPath: String?
        public var standardErrorPath: String?
    }

    /// Reads a plist back with `PropertyListSerialization`; nil when it is not a dictionary plist.
    public static func parse(_ data: Data) -> Parsed? {
        guard let object = try? PropertyListSerialization.propertyList(from: data, options: [], format: nil), let dictionary = object as? [String: Any] else {
            return nil
        }
        return Parsed(
            label: dictionary["Label"] as? String,
            programArguments: dictionary["ProgramArguments"] as? [String] ?? [],
            workingDirectory: dictionary["WorkingDirectory"] as? String,
            environment: dictionary["EnvironmentVariables"] as? [String: String] ?? [:],
            standardOutPath: dictionary["StandardOutPath"] as? String,
            standardErrorPath: dictionary["StandardErrorPath"] as? String
        )
    }
}
