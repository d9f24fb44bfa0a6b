// Tests/CLITests/StartupGuardTests.swift - `openclaw gateway` refuses to start with upstream's words and exit codes

import Foundation
import Testing

@Suite("gateway start-up guards", .serialized)
struct StartupGuardTests {
    private func run(_ arguments: [String], config: String? = nil, env: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        if let config { try sandbox.writeConfig(config) }
        let process = try await OpenClawProcess(arguments, environment: sandbox.environment(env))
        let status = await process.wait()
        return (status, process.text)
    }

    @Test func missingConfigIsRefused() async throws {
        let result = try await run(["gateway"])
        #expect(result.status == 1)
        #expect(result.output.contains("Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured)."))
    }

    @Test func configWithoutModeIsSuspicious() async throws {
        let result = try await run(["gateway"], config: #"{"gateway": {"port": 1}}"#)
        #expect(result.status == 1)
        #expect(result.output.contains("Gateway start blocked: existing config is missing gateway.mode."))
        #expect(result.output.contains("Config write audit: "))
    }

    @Test func remoteModeIsBlocked() async throws {
        let result = try await run(["gateway"], config: #"{"gateway": {"mode": "remote"}}"#)
        #expect(result.status == 1)
        #expect(result.output.contains("Gateway start blocked: set gateway.mode=local (current: remote) or pass --allow-unconfigured."))
    }

    @Test func invalidConfigNamesTheProblem() async throws {
        let result = try await run(["gateway"], config: #"{"gateway": {"mode": "local", "port": "high"}}"#)
        #expect(result.status == 1)
        #expect(result.output.contains("Gateway failed to start: Invalid config at "))
        #expect(result.output.contains("- gateway.port: must be integer"))
    }

    @Test func nonLoopbackBindWithoutAuthIsRefused() async throws {
        let result = try await run(["gateway", "--bind", "lan", "--auth", "none", "--allow-unconfigured"])
        #expect(result.status == 1)
        #expect(result.output.contains("Refusing to bind gateway to lan without auth."))
        #expect(result.output.contains("Set gateway.auth.token/password (or OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD) or pass --token/--password."))
    }

    @Test func passwordModeNeedsAPassword() async throws {
        let result = try await run(["gateway", "--auth", "password", "--allow-unconfigured"])
        #expect(result.status == 1)
        #expect(result.output.contains("Gateway auth is set to password, but no password is configured."))
    }

    @Test(arguments: [
        (["gateway", "--port", "http", "--allow-unconfigured"], "Invalid port"),
        (["gateway", "--port", "70000", "--allow-unconfigured"], "Invalid port"),
        (["gateway", "--bind", "0.0.0.0", "--allow-unconfigured"], #"Invalid --bind (use "loopback", "lan", "tailnet", "auto", or "custom")"#),
        (["gateway", "--auth", "magic", "--allow-unconfigured"], #"Invalid --auth (use "none", "token", "password", or "trusted-proxy")"#),
        (["gateway", "--password", "a", "--password-file", "/tmp/x", "--allow-unconfigured"], "Use either --password or --password-file."),
        (["--dev", "--profile", "x", "gateway"], "Cannot combine --dev with --profile"),
    ])
    func badFlagsAreRefused(_ arguments: [String], _ message: String) async throws {
        let result = try await run(arguments)
        #expect(result.status == 1)
        #expect(result.output.contains(message), "\(result.output)")
    }
}
