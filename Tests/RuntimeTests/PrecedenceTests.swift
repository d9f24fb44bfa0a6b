// Tests/RuntimeTests/PrecedenceTests.swift - the generated precedence chains resolve as reference/ops.md §3 says

import Generated
import Testing

@Suite("Precedence chains")
struct PrecedenceTests {
    private func inputs(flags: [String: String] = [:], env: [String: String] = [:], config: [String: String] = [:]) -> PrecedenceInputs {
        PrecedenceInputs(flags: flags, environment: env, config: { config[$0] })
    }

    @Test func portFlagBeatsEnvBeatsConfigBeatsDefault() throws {
        let all = inputs(flags: ["port": "1111"], env: ["OPENCLAW_GATEWAY_PORT": "2222"], config: ["gateway.port": "3333"])
        #expect(try Precedence.port.resolve(all) == Resolved(value: 1111, source: .flag("port")))
        let noFlag = inputs(env: ["OPENCLAW_GATEWAY_PORT": "2222"], config: ["gateway.port": "3333"])
        #expect(try Precedence.port.resolve(noFlag) == Resolved(value: 2222, source: .env("OPENCLAW_GATEWAY_PORT")))
        #expect(try Precedence.port.resolve(inputs(config: ["gateway.port": "3333"])) == Resolved(value: 3333, source: .config("gateway.port")))
        #expect(try Precedence.port.resolve(inputs()) == Resolved(value: 18789, source: .defaultValue("18789")))
    }

    @Test func legacyPortEnvIsAFallback() throws {
        #expect(try Precedence.port.resolve(inputs(env: ["CLAWDBOT_GATEWAY_PORT": "4444"]))?.value == 4444)
        #expect(try Precedence.port.resolve(inputs(env: ["OPENCLAW_GATEWAY_PORT": "5555", "CLAWDBOT_GATEWAY_PORT": "4444"]))?.value == 5555)
    }

    @Test(arguments: ["abc", "0", "-5", "12x"])
    func unusableEnvPortIsSkipped(_ value: String) throws {
        let resolved = try Precedence.port.resolve(inputs(env: ["OPENCLAW_GATEWAY_PORT": value], config: ["gateway.port": "3333"]))
        #expect(resolved == Resolved(value: 3333, source: .config("gateway.port")))
    }

    @Test func unusableFlagPortIsAnError() {
        #expect(throws: InvalidFlagValue(flag: "port", value: "nope")) { try Precedence.port.resolve(inputs(flags: ["port": "nope"])) }
    }

    @Test func bindIsFlagThenConfigThenLoopback() throws {
        #expect(try Precedence.bind.resolve(inputs(flags: ["bind": "lan"], config: ["gateway.bind": "custom"]))?.value == "lan")
        #expect(try Precedence.bind.resolve(inputs(config: ["gateway.bind": "custom"]))?.value == "custom")
        #expect(try Precedence.bind.resolve(inputs()) == Resolved(value: "loopback", source: .defaultValue("loopback")))
    }

    @Test func serverTokenIsConfigFirst() throws {
        let both = inputs(env: ["OPENCLAW_GATEWAY_TOKEN": "from-env"], config: ["gateway.auth.token": "from-config"])
        #expect(try Precedence.serverToken.resolve(both)?.value == "from-config")
        #expect(try Precedence.serverToken.resolve(inputs(env: ["OPENCLAW_GATEWAY_TOKEN": "from-env"]))?.value == "from-env")
        #expect(try Precedence.serverToken.resolve(inputs(flags: ["token": "flag"], config: ["gateway.auth.token": "c"]))?.value == "flag")
    }

    @Test func clientTokenIsEnvFirst() throws {
        let both = inputs(env: ["OPENCLAW_GATEWAY_TOKEN": "from-env"], config: ["gateway.auth.token": "from-config", "gateway.remote.token": "remote"])
        #expect(try Precedence.clientToken.resolve(both)?.value == "from-env")
        #expect(
            try Precedence.clientToken.resolve(inputs(config: ["gateway.auth.token": "from-config", "gateway.remote.token": "remote"]))?.value == "from-config")
        #expect(try Precedence.clientToken.resolve(inputs(config: ["gateway.remote.token": "remote"]))?.value == "remote")
    }

    @Test func authModeFallsBackToPasswordWhenOneIsSetThenToken() throws {
        var withPassword = inputs()
        withPassword.rules["passwordIfSet"] = { "password" }
        #expect(try Precedence.authMode.resolve(withPassword) == Resolved(value: "password", source: .rule("passwordIfSet")))
        #expect(try Precedence.authMode.resolve(inputs())?.value == "token")
        #expect(try Precedence.authMode.resolve(inputs(flags: ["auth": "none"], config: ["gateway.auth.mode": "password"]))?.value == "none")
    }

    @Test func emptyValuesCountAsUnset() throws {
        #expect(try Precedence.serverToken.resolve(inputs(flags: ["token": ""], env: ["OPENCLAW_GATEWAY_TOKEN": "env"]))?.value == "env")
    }

    @Test func generatedConfigLookupFeedsTheChains() throws {
        var config = OpenClawConfig()
        config.gateway = GatewayConfig()
        config.gateway?.port = 20000
        config.gateway?.bind = .lan
        config.gateway?.auth = GatewayAuthConfig()
        config.gateway?.auth?.token = "t"
        #expect(config.scalarValue(atPath: "gateway.port") == "20000")
        #expect(config.scalarValue(atPath: "gateway.bind") == "lan")
        #expect(config.scalarValue(atPath: "gateway.auth.token") == "t")
        #expect(config.scalarValue(atPath: "gateway.auth.password") == nil)
        #expect(config.scalarValue(atPath: "not.a.key") == nil)
    }

    @Test func chainsDocsAndConfigKeysAgree() {
        // Every config source named by a chain is a declared key, and every default has a matching ConfigDefaults value.
        let keys = Set(ConfigSchema.keys.map(\.path))
        for chain in [Precedence.port.sources, Precedence.bind.sources, Precedence.serverToken.sources, Precedence.clientToken.sources] {
            for case .config(let path) in chain { #expect(keys.contains(path), "\(path)") }
        }
        #expect(Precedence.port.sources.last == .defaultValue(String(ConfigDefaults.gatewayPort)))
        #expect(Precedence.handshakeTimeoutMs.sources.last == .defaultValue(String(ConfigDefaults.gatewayHandshakeTimeoutMs)))
    }
}
