// Sources/openclaw/ConfigCommand.swift - `openclaw config get|set|validate`: the config RPC, or the file when the gateway is down

import ArgumentParser
import Foundation
import Generated
import Runtime

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = ConfigOptions.configuration(subcommands: [Get.self, Set.self, Validate.self]
    )

    struct Get: CLICommand {
        static let configuration = ConfigGetOptions.configuration()

        @OptionGroup var options: ConfigGetOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let snapshot = try await ConfigAccess(connection: connection).snapshot()
            guard let path = options.path else {
                let whole: JSONValue = try JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(snapshot)))
                print(try JSONOutput.render(connection.json ? whole : snapshot.parsed ?? .object([:]), pretty: true))
                return
            }
            guard let value = ConfigRedaction.value(at: path, in: snapshot.parsed ?? .object([:])) else {
                FileHandle.standardError.write(Data("Config path not found: \(path)\n".utf8))
                throw ExitCode(1)
            }
            if case .string(let text) = value, !connection.json {
                print(text)
            } else {
                print(try JSONOutput.render(value, pretty: true))
            }
        }
    }

    struct Set: CLICommand {
        static let configuration = ConfigSetOptions.configuration()

        @OptionGroup var options: ConfigSetOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let path = options.path
            let keys = path.split(separator: ".").map(String.init)
            guard !keys.isEmpty, !keys.contains(where: \.isEmpty) else { throw ValidationError("Invalid config path: \(path)") }
            let parsed = Self.parse(options.value)
            let result = try await ConfigAccess(connection: connection).set(parsed, keys: keys)
            if connection.json {
                print(try JSONOutput.render(try JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(result))), pretty: true))
            } else {
                print("Updated \(path) in \(result.path).")
            }
        }

        /// JSON5 when the text parses as a value, else the text itself.
        static func parse(_ text: String) -> JSONValue {
            let decoder = JSONDecoder()
            decoder.allowsJSON5 = true
            return (try? decoder.decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
        }
    }

    struct Validate: CLICommand {
        static let configuration = ConfigValidateOptions.configuration()

        @OptionGroup var options: ConfigValidateOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let snapshot = try await ConfigAccess(connection: connection).snapshot()
            if connection.json {
                let summary: JSONValue = .object([
                    "path": .string(snapshot.path), "exists": .bool(snapshot.exists), "valid": .bool(snapshot.valid),
                    "issues": .array(snapshot.issues.map { .object(["path": .string($0.path), "message": .string($0.message)]) }),
                ])
                print(try JSONOutput.render(summary, pretty: true))
            } else if snapshot.valid {
                print("Config valid: \(snapshot.path)")
            } else {
                print("Config invalid at \(snapshot.path):")
                for issue in snapshot.issues { print("- \(issue.path): \(issue.message)") }
            }
            if !snapshot.valid { throw ExitCode(1) }
        }
    }
}

/// The gateway when one answers (so writes get its hash check, audit and reload), else the local file.
struct ConfigAccess {
    let connection: ConnectionOptions
    let environment = CLIEnvironment.current

    /// nil when the implicit local gateway (no `--url`, env or remote URL) is down: then the file is used.
    private func connect() async throws -> GatewayClient? {
        var implicitLocal = false
        do {
            let target = try ClientTarget.resolve(
                url: connection.url, token: connection.token, password: connection.password, environment: environment
            )
            implicitLocal = target.isImplicitLocal
            return try await GatewayClient.connect(target: target, timeoutMs: connection.timeout)
        } catch {
            if implicitLocal, LogsCommand.isUnreachable(error) { return nil }
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private var localPath: String { StatePaths.resolve(environment: environment).configPath }

    func snapshot() async throws -> ConfigSnapshot {
        guard let client = try await connect() else {
            return ConfigSnapshotReader(environment: environment).snapshot(path: localPath)
        }
        return try await CLIConnection.run(closing: client) {
            try await client.configGet(timeoutMs: connection.timeout)
        }
    }

    func set(_ value: JSONValue, keys: [String]) async throws -> ConfigWriteResult {
        let patch = keys.reversed().reduce(value) { inner, key in .object([key: inner]) }
        guard let client = try await connect() else { return try setLocally(patch) }
        return try await CLIConnection.run(closing: client) {
            let snapshot = try await client.configGet(timeoutMs: connection.timeout)
            return try await client.configPatch(
                ConfigPatchParams(raw: try JSONOutput.render(patch, pretty: false), baseHash: snapshot.hash), timeoutMs: connection.timeout)
        }
    }

    /// The same merge, validation and atomic write the gateway does, without the hash check (nobody else writes).
    private func setLocally(_ patch: JSONValue) throws -> ConfigWriteResult {
        let path = localPath
        let stored = ConfigSnapshotReader.read(path).flatMap(ConfigSnapshotReader.parseTree) ?? .object([:])
        let next = ConfigMergePatch.apply(patch, to: stored)
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader(environment: environment).parse(Data(WireJSON.encode(next)), path: path)
        } catch let error as ConfigError {
            print("Config invalid at \(path):")
            for issue in error.issues { print("- \(issue)") }
            throw ExitCode(1)
        }
        let written = try ConfigWriter().write(next, to: path)
        let config = (try? JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(loaded.config)))) ?? .object([:])
        return ConfigWriteResult(
            ok: true, path: path, config: ConfigRedaction.redact(config), hash: ConfigSnapshotReader.hash(written),
            changedPaths: ConfigDiff.changedPaths(stored, next), restart: nil
        )
    }
}
