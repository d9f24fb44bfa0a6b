// Tests/CLITests/ServiceSetupTests.swift - `openclaw setup` / `--dev setup`, then a gateway that starts without flags

import Foundation
import Generated
import Runtime
import Testing

@Suite("setup", .serialized)
struct ServiceSetupTests {
    @Test func devSetupWritesAMinimalConfigAndTheDevGatewayStartsWithoutFlags() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let devDir = sandbox.home + "/.openclaw-dev"
        let configPath = devDir + "/openclaw.json"
        let setup = try await OpenClawProcess(["--dev", "setup"], environment: sandbox.environment())
        #expect(await setup.wait() == 0, "\(setup.text)")
        #expect(setup.text.contains("Wrote \(configPath) (gateway.mode=local)"), "\(setup.text)")
        #expect(setup.text.contains("gateway.auth.token in \(configPath)"))
        #expect(setup.text.contains("openclaw --dev gateway"))
        let directoryMode = try FileManager.default.attributesOfItem(atPath: devDir)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        let fileMode = try FileManager.default.attributesOfItem(atPath: configPath)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        let loaded = try ConfigLoader(environment: [:]).load(path: configPath)
        #expect(loaded.config.gateway?.mode == .local)
        let token = try #require(loaded.config.gateway?.auth?.token)
        #expect(token.count == 48)

        let before = try String(contentsOfFile: configPath, encoding: .utf8)
        let again = try await OpenClawProcess(["--dev", "setup", "--json"], environment: sandbox.environment())
        #expect(await again.wait() == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.text.utf8)) as? [String: Any])
        #expect(report["wrote"] as? Bool == false)
        #expect(report["configPath"] as? String == configPath)
        #expect(try String(contentsOfFile: configPath, encoding: .utf8) == before, "an existing config is never overwritten")

        // The dev port would be 19001; the test pins a free one through the env var the profile never overrides.
        let port = Sandbox.freePort()
        let env = ["OPENCLAW_GATEWAY_PORT": String(port), "TMPDIR": sandbox.home]
        let gateway = try await OpenClawProcess(["--dev", "gateway"], environment: sandbox.environment(env))
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        #expect(!gateway.text.contains("Generated a new token"))
        let health = try await OpenClawProcess(["--dev", "health"], environment: sandbox.environment(env))
        #expect(await health.wait() == 0, "\(health.text)")
        #expect(health.text.contains("Gateway: ok (ws://127.0.0.1:\(port)"))
        await gateway.stop()
    }

    @Test func defaultSetupUsesTheDefaultStateDirAndSaysWhenAConfigExists() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let setup = try await OpenClawProcess(["setup"], environment: sandbox.environment())
        #expect(await setup.wait() == 0, "\(setup.text)")
        #expect(setup.text.contains("Wrote \(sandbox.configPath)"))
        #expect(setup.text.contains("Start the gateway: openclaw gateway"))
        let existing = try await OpenClawProcess(["setup"], environment: sandbox.environment())
        #expect(await existing.wait() == 0)
        #expect(existing.text.contains("Config already exists at \(sandbox.configPath); not overwriting it."))
    }
}
