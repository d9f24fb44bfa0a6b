// Sources/Runtime/Config/StatePaths.swift - where state and config live (reference/ops.md §1.1)

import Foundation
import Generated

/// The state directory and config file for this process, resolved the way upstream does.
public struct StatePaths: Sendable, Equatable {
    public var stateDir: String
    public var configPath: String

    public init(stateDir: String, configPath: String) {
        self.stateDir = stateDir
        self.configPath = configPath
    }

    /// `OPENCLAW_STATE_DIR` (or legacy `CLAWDBOT_STATE_DIR`), else `~/.openclaw` (or the first existing legacy dir);
    /// the config is `OPENCLAW_CONFIG_PATH` (or legacy), else the first existing of `openclaw.json` and legacy names there.
    public static func resolve(environment: [String: String]) -> StatePaths {
        let home = homeDirectory(environment: environment)
        let fileManager = FileManager.default
        let stateDir: String
        if let explicit = nonEmpty(environment[EnvironmentVariable.stateDir]) ?? nonEmpty(environment["CLAWDBOT_STATE_DIR"]) {
            stateDir = expand(explicit, home: home)
        } else {
            let preferred = home + "/.openclaw"
            let legacy = [".clawdbot", ".moldbot", ".moltbot"].map { home + "/" + $0 }
            stateDir = fileManager.fileExists(atPath: preferred) ? preferred : legacy.first(where: fileManager.fileExists) ?? preferred
        }
        let configPath: String
        if let explicit = nonEmpty(environment[EnvironmentVariable.configPath]) ?? nonEmpty(environment["CLAWDBOT_CONFIG_PATH"]) {
            configPath = expand(explicit, home: home)
        } else {
            let candidates = ["openclaw.json", "clawdbot.json", "moldbot.json", "moltbot.json"].map { stateDir + "/" + $0 }
            configPath = candidates.first(where: fileManager.fileExists) ?? candidates[0]
        }
        return StatePaths(stateDir: stateDir, configPath: configPath)
    }

    /// `OPENCLAW_HOME`, else `HOME`, else the user's home directory.
    public static func homeDirectory(environment: [String: String]) -> String {
        nonEmpty(environment[EnvironmentVariable.home]) ?? nonEmpty(environment["HOME"]) ?? NSHomeDirectory()
    }

    /// Expands `~` and makes relative paths absolute.
    static func expand(_ path: String, home: String) -> String {
        var path = path
        if path == "~" {
            path = home
        } else if path.hasPrefix("~/") {
            path = home + path.dropFirst()
        }
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }
}
