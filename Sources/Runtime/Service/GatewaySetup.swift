// Sources/Runtime/Service/GatewaySetup.swift - `openclaw setup`: a minimal local config for the current profile

import Foundation
import Generated

/// Writes `{gateway: {mode: "local", auth: {token: <generated>}}}` when no config exists, so `openclaw gateway`
/// (with `--dev`, on port 19001 from the profile environment) starts without further flags. Never overwrites.
public enum GatewaySetup {
    public struct Result: Sendable, Equatable {
        public var paths: StatePaths
        /// False when a config was already there (it is left untouched).
        public var wrote: Bool
        public var createdStateDir: Bool
    }

    public static func run(environment: [String: String]) throws -> Result {
        let paths = StatePaths.resolve(environment: environment)
        let fileManager = FileManager.default
        var createdStateDir = false
        if !fileManager.fileExists(atPath: paths.stateDir) {
            try fileManager.createDirectory(atPath: paths.stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(paths.stateDir, 0o700)
            createdStateDir = true
        }
        if fileManager.fileExists(atPath: paths.configPath) {
            return Result(paths: paths, wrote: false, createdStateDir: createdStateDir)
        }
        let tree: JSONValue = .object([
            "gateway": .object(["mode": .string("local"), "auth": .object(["mode": .string("token"), "token": .string(TokenGenerator.newToken())])])
        ])
        try ConfigWriter().write(tree, to: paths.configPath)
        return Result(paths: paths, wrote: true, createdStateDir: createdStateDir)
    }
}
