// Sources/FuzzTargets/Targets/ConfigTarget.swift - openclaw.json text through the config loader (JSON5, $include, ${ENV})

import Foundation
import ProtocolSupport
import Runtime

extension FuzzTarget {
    /// `ConfigLoader.parse`: JSON5, `$include` against a fixed directory of include files (nested, cyclic,
    /// outside the root, not an object, broken), `${VAR}` against a fixed environment, strict validation.
    ///
    /// Invariants: a refusal is a `ConfigError` with at least one issue; an accepted config's tree, written
    /// as JSON and loaded again, loads to the same tree (skipped when it still holds a `${` that an escape left).
    public static let config = FuzzTarget(
        name: "config",
        summary: "ConfigLoader.parse: JSON5, $include (fixed include dir), ${VAR} (fixed env); reload of the result is stable",
        seeds: ConfigSeeds.all,
        dictionary: ConfigSeeds.dictionary,
        check: { input throws(InvariantBreak) in try ConfigCheck.run(input) }
    )
}

enum ConfigCheck {
    static let environment = ["HOME": "/home/fuzz", "OPENCLAW_GATEWAY_TOKEN": "secret-token", "FUZZ_A": "a", "EMPTY": "", "PORT": "18790"]

    static func run(_ input: [UInt8]) throws(InvariantBreak) -> Bool {
        let loader = ConfigLoader(environment: environment)
        let path = IncludeDirectory.shared.configPath
        let loaded: LoadedConfig
        do {
            loaded = try loader.parse(Data(input), path: path)
        } catch {
            guard !error.issues.isEmpty, error.issues.allSatisfy({ !$0.isEmpty }) else { throw InvariantBreak("a ConfigError without issues") }
            return false
        }
        guard let written = try? WireJSON.encode(loaded.tree) else { throw InvariantBreak("an accepted tree cannot be written as JSON") }
        if String(decoding: written, as: UTF8.self).contains("${") { return true }
        do {
            let again = try loader.parse(Data(written), path: path)
            guard again.tree == loaded.tree else { throw InvariantBreak("reloading the accepted tree changed it") }
        } catch let broken as InvariantBreak {
            throw broken
        } catch {
            throw InvariantBreak("the accepted tree, written as JSON, is refused: \(error)")
        }
        return true
    }
}

/// A directory of include files, written once per process and reused (same content every time, so runs
/// are deterministic); `configPath` is the `openclaw.json` the fuzzed text pretends to be (never written).
final class IncludeDirectory: Sendable {
    static let shared = IncludeDirectory()

    let root: String
    var configPath: String { root + "/openclaw.json" }

    static let files: [String: String] = [
        "a.json5": "{ logging: { level: 'debug' } }",
        "b.json5": "{ gateway: { port: 18790 }, \"$include\": './c.json5' }",
        "c.json5": "{ agents: { defaults: { maxConcurrent: 2 } } }",
        "cycle.json5": "{ \"$include\": './cycle.json5' }",
        "array.json5": "[1, 2]",
        "broken.json5": "{ nope",
        "env.json5": "{ gateway: { auth: { token: '${OPENCLAW_GATEWAY_TOKEN}' } } }",
        "sub/up.json5": "{ \"$include\": '../a.json5' }",
    ]

    private init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-fuzz-config-\(getuid())").path
        for (name, text) in Self.files {
            let url = URL(fileURLWithPath: root + "/" + name)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if (try? String(contentsOf: url, encoding: .utf8)) != text { try? Data(text.utf8).write(to: url) }
        }
    }
}

enum ConfigSeeds {
    static let all: [[UInt8]] = [
        "", "{}", "{ gateway: { mode: 'local' } }",
        "// comment\n{ gateway: { mode: \"local\", port: 18789, bind: 'loopback', auth: { mode: 'token', token: '${OPENCLAW_GATEWAY_TOKEN}' }, }, }",
        "{ \"$include\": './a.json5' }", "{ \"$include\": ['./a.json5', './b.json5'], logging: { level: 'info' } }",
        "{ \"$include\": './cycle.json5' }", "{ \"$include\": '../../etc/passwd' }", "{ \"$include\": './array.json5' }",
        "{ \"$include\": './broken.json5' }", "{ \"$include\": './sub/up.json5' }", "{ \"$include\": './env.json5' }",
        "{ gateway: { auth: { token: '$${NOT_SUBSTITUTED}' } } }", "{ gateway: { auth: { token: '${MISSING}' } } }",
        "{ gateway: { auth: { token: '${EMPTY}' } } }", "{ gateway: { port: 0x10 } }", "{ gateway: { port: 1e400 } }",
        "{ unknownKey: true }", "{ hooks: { enabled: true, token: 't', presets: ['gmail'], mappings: [{ match: { path: 'x' } }] } }",
        "{ models: { providers: { local: { baseUrl: 'http://127.0.0.1:1/v1', api: 'openai-completions', models: [{ id: 'm' }] } } } }",
        "{ agents: { list: [{ id: 'main', default: true }, { id: 'ops' }] }, bindings: [{ agentId: 'ops', match: { channel: 'irc' } }] }",
    ].map(bytes)

    static let dictionary: [[UInt8]] = [
        "\"$include\"", "'./a.json5'", "'./cycle.json5'", "${HOME}", "$${HOME}", "${EMPTY}", "${lower}", "gateway", "auth", "token",
        "logging", "agents", "hooks", "channels", "/*", "*/", "//", "0x", "Infinity", "NaN", "+", "'", ",",
    ].map(bytes)
}
