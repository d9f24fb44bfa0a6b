// Tests/RuntimeTests/ConfigLoaderTests.swift - JSON5, ${VAR}, strict validation with path-named errors

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Config loading")
struct ConfigLoaderTests {
    private func parse(_ text: String, env: [String: String] = [:]) throws(ConfigError) -> LoadedConfig {
        try ConfigLoader(environment: env).parse(Data(text.utf8), path: "/tmp/openclaw.json")
    }

    @Test func acceptsJSON5() throws {
        let loaded = try parse(
            """
            // comment
            {
              gateway: { mode: 'local', port: 0x4E20, auth: { token: "t", }, },
              agents: { defaults: { model: { primary: "openai/gpt-4o" } } },
            }
            """
        )
        #expect(loaded.config.gateway?.mode == .local)
        #expect(loaded.config.gateway?.port == 20000)
        #expect(loaded.config.gateway?.auth?.token == "t")
        #expect(loaded.config.agents?.defaults?.model?["primary"] == "openai/gpt-4o")
    }

    /// Foundation's JSON5 scanner traps on such a key (found by `gateway-stress fuzz --target config`); a config
    /// file with one stray byte must be an error naming the offset, not a crash of the gateway or the CLI.
    @Test func aByteThatIsNotUTF8IsAParseErrorNotACrash() {
        let text = Data("{ agents".utf8) + Data([0xFE]) + Data(": { list: [] } }".utf8)
        #expect(
            throws: ConfigError(
                path: "/tmp/openclaw.json", issues: ["<root>: JSON5 parse error: the text is not valid UTF-8 (first bad byte at offset 8)"]
            )
        ) {
            try ConfigLoader(environment: [:]).parse(text, path: "/tmp/openclaw.json")
        }
        #expect(ConfigSnapshotReader.parseTree(text) == nil)
    }

    /// Foundation's JSON5 scanner traps reading a 24-character decimal number as a Double (found by libFuzzer); such
    /// numbers are read with their value, in values, arrays and next to comments and strings that look alike.
    @Test func twentyFourCharacterNumbersAreReadNotACrash() throws {
        let text =
            #"{ a: 111111111111111111111111, b: [-12345678901234567890123, 1111111111111111111111.1], "#
            + #"c: 111111111111111111111e11, d: '111111111111111111111111', /* 111111111111111111111111 */ e: 0x11 }"#
        let tree = try #require(ConfigSnapshotReader.parseTree(Data(text.utf8)))
        #expect(tree["a"] == .number(1.1111111111111111e23))
        #expect(tree["b"] == [.number(-1.2345678901234568e22), .number(1.1111111111111111e21)])
        #expect(tree["c"] == .number(1.1111111111111111e31))
        #expect(tree["d"] == "111111111111111111111111")
        #expect(throws: ConfigError.self) { try parse("{ gateway: { port: 111111111111111111111111 } }") }
        #expect(ConfigSnapshotReader.parseTree(Data("{ a: 0x1F, b: -0x10 }".utf8)) == ["a": 31, "b": -16])
        #expect(ConfigSnapshotReader.parseTree(Data("{ a: 0x0x }".utf8)) == nil)
    }

    @Test func substitutesEnvironmentVariables() throws {
        let loaded = try parse(
            #"{"gateway": {"auth": {"token": "${MY_TOKEN}"}, "remote": {"url": "ws://${HOST_NAME}:1", "token": "$${LITERAL}"}}}"#,
            env: ["MY_TOKEN": "secret", "HOST_NAME": "box"])
        #expect(loaded.config.gateway?.auth?.token == "secret")
        #expect(loaded.config.gateway?.remote?.url == "ws://box:1")
        #expect(loaded.config.gateway?.remote?.token == "${LITERAL}")
    }

    @Test func missingVariableNamesItAndThePath() {
        #expect(throws: ConfigError(path: "/tmp/openclaw.json", issues: [#"gateway.auth.token: Missing env var "NOPE" referenced in config"#])) {
            try parse(#"{"gateway": {"auth": {"token": "${NOPE}"}}}"#)
        }
    }

    @Test func lowercaseNamesAreNotSubstituted() throws {
        #expect(try parse(#"{"gateway": {"auth": {"token": "${lower}"}}}"#).config.gateway?.auth?.token == "${lower}")
    }

    @Test(arguments: [
        (#"{"gateway": {"port": "18789"}}"#, "gateway.port: must be integer"),
        (#"{"gateway": {"port": 70000}}"#, "gateway.port: must be <= 65535"),
        (#"{"gateway": {"bind": "0.0.0.0"}}"#, "gateway.bind: must be equal to constant; must match a schema in anyOf"),
        (#"{"gateway": {"prot": 1}}"#, "gateway: unexpected property 'prot'"),
        (#"{"gatway": {}}"#, "<root>: unexpected property 'gatway'"),
        (#"{"gateway": {"auth": {"rateLimit": {"maxAttempts": 0}}}}"#, "gateway.auth.rateLimit.maxAttempts: must be >= 1"),
        (#"[1, 2]"#, "<root>: must be object"),
    ])
    func invalidConfigNamesThePath(_ text: String, _ issue: String) {
        do {
            _ = try parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.issues == [issue])
            #expect(error.description.hasPrefix("Invalid config at /tmp/openclaw.json.\n- \(issue)"))
            #expect(error.description.hasSuffix("Run \"openclaw doctor\" to repair, then retry."))
        }
    }

    @Test func parseErrorsAreReported() {
        #expect(throws: ConfigError.self) { try parse("{ gateway: ") }
    }

    @Test func writerKeepsABackupRing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-writer-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/openclaw.json"
        let writer = ConfigWriter()
        for index in 0..<7 { try writer.set(.int(index), at: "gateway.port", in: file) }
        let loaded = try ConfigLoader(environment: [:]).load(path: file)
        #expect(loaded.config.gateway?.port == 6)
        #expect(FileManager.default.fileExists(atPath: file + ".bak"))
        #expect(FileManager.default.fileExists(atPath: file + ".bak.4"))
        #expect(!FileManager.default.fileExists(atPath: file + ".bak.5"))
        let previous = try ConfigLoader(environment: [:]).load(path: file + ".bak")
        #expect(previous.config.gateway?.port == 5)
    }
}

@Suite("State paths and profiles")
struct StatePathTests {
    @Test func stateDirAndConfigFromEnvironment() {
        let paths = StatePaths.resolve(environment: ["OPENCLAW_STATE_DIR": "/srv/oc", "HOME": "/home/x"])
        #expect(paths == StatePaths(stateDir: "/srv/oc", configPath: "/srv/oc/openclaw.json"))
        let explicit = StatePaths.resolve(environment: ["OPENCLAW_STATE_DIR": "/srv/oc", "OPENCLAW_CONFIG_PATH": "/etc/oc.json"])
        #expect(explicit.configPath == "/etc/oc.json")
        let home = StatePaths.resolve(environment: ["OPENCLAW_HOME": "/nonexistent-home"])
        #expect(home == StatePaths(stateDir: "/nonexistent-home/.openclaw", configPath: "/nonexistent-home/.openclaw/openclaw.json"))
        #expect(StatePaths.resolve(environment: ["HOME": "/h", "OPENCLAW_STATE_DIR": "~/state"]).stateDir == "/h/state")
    }

    @Test func devProfileFillsGapsOnly() throws {
        let (rest, env) = try ProfileArguments.apply(arguments: ["--dev", "gateway", "--port", "1"], environment: ["HOME": "/h"])
        #expect(rest == ["gateway", "--port", "1"])
        #expect(env["OPENCLAW_PROFILE"] == "dev")
        #expect(env["OPENCLAW_STATE_DIR"] == "/h/.openclaw-dev")
        #expect(env["OPENCLAW_CONFIG_PATH"] == "/h/.openclaw-dev/openclaw.json")
        #expect(env["OPENCLAW_GATEWAY_PORT"] == "19001")
        let (_, kept) = try ProfileArguments.apply(
            arguments: ["--dev", "health"], environment: ["HOME": "/h", "OPENCLAW_GATEWAY_PORT": "7", "OPENCLAW_STATE_DIR": "/s"])
        #expect(kept["OPENCLAW_GATEWAY_PORT"] == "7")
        #expect(kept["OPENCLAW_STATE_DIR"] == "/s")
        #expect(kept["OPENCLAW_CONFIG_PATH"] == "/s/openclaw.json")
    }

    @Test func namedProfile() throws {
        let (_, env) = try ProfileArguments.apply(arguments: ["--profile", "work", "gateway"], environment: ["HOME": "/h"])
        #expect(env["OPENCLAW_STATE_DIR"] == "/h/.openclaw-work")
        #expect(env["OPENCLAW_GATEWAY_PORT"] == nil)
        let (_, none) = try ProfileArguments.apply(arguments: ["--profile", "Default", "gateway"], environment: ["HOME": "/h"])
        #expect(none["OPENCLAW_PROFILE"] == nil)
        let (after, _) = try ProfileArguments.apply(arguments: ["gateway", "--profile", "x"], environment: [:])
        #expect(after == ["gateway", "--profile", "x"])
    }

    @Test(arguments: [
        (["--dev", "--profile", "x", "gateway"], "Cannot combine --dev with --profile"),
        (["--profile"], "--profile requires a value"),
        (["--profile", "bad name!", "gateway"], #"Invalid --profile (use letters, numbers, "_", "-" only)"#),
    ])
    func profileErrors(_ arguments: [String], _ message: String) {
        #expect(throws: ProfileArguments.Failure(message: message)) { try ProfileArguments.apply(arguments: arguments, environment: [:]) }
    }
}
