// Tests/CLITests/ReloadTests.swift - config hot reload and restart of a real gateway process (ops.md §4)

import Foundation
import Generated
import Runtime
import Testing

@Suite("config reload", .serialized)
struct ReloadTests {
    /// A config the gateway starts from: local mode, a fixed token, a short debounce.
    private func config(port: Int, mode: String = "hybrid", extra: String = "") -> String {
        """
        {
          gateway: {
            mode: "local", port: \(port), auth: { token: "t0k" \(extra.isEmpty ? "" : ", " + extra) },
            reload: { mode: "\(mode)", debounceMs: 50 },
          },
        }
        """
    }

    private func start(_ sandbox: Sandbox, env: [String: String] = [:]) async throws -> OpenClawProcess {
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment(env))
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")
        return gateway
    }

    private func connect(_ port: Int) async throws -> GatewayClient {
        try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: "t0k", identity: DeviceIdentity()))
    }

    /// Waits for `marker` to occur `count` times in the output.
    private func waitForCount(_ process: OpenClawProcess, _ marker: String, _ count: Int) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if process.text.components(separatedBy: marker).count - 1 >= count { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Reads events until `shutdown`, then expects the socket to be closed with 1012.
    private func expectRestartClose(_ client: GatewayClient) async {
        var shutdown: EventFrame?
        for await event in client.events where event.event == "shutdown" {
            shutdown = event
            break
        }
        #expect(shutdown?.payload == ["reason": "gateway restarting", "restartExpectedMs": 1500])
        for await _ in client.events {}
        do {
            _ = try await client.request("health")
            Issue.record("a request after the restart close should fail")
        } catch {
            #expect("\(error)".contains("code 1012"), "\(error)")
        }
        await client.close()
    }

    @Test func aHotEditAppliesWhileTheClientStaysConnected() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        let client = try await connect(port)
        try sandbox.writeConfig(config(port: port, extra: "rateLimit: { maxAttempts: 3 }"))
        #expect(await gateway.waitForOutput("config hot reload applied (gateway.auth.rateLimit)"), "\(gateway.text)")
        #expect(gateway.text.contains("config change detected; evaluating reload (gateway.auth.rateLimit)"))
        // A logging change applies too, and the client is still served on the same socket.
        try sandbox.writeConfig(
            config(port: port, extra: "rateLimit: { maxAttempts: 3 }").replacingOccurrences(
                of: "gateway: {", with: "logging: { consoleLevel: \"debug\" }, gateway: {"))
        #expect(await gateway.waitForOutput("evaluating reload (logging)"), "\(gateway.text)")
        #expect(!gateway.text.contains("ws ← req"))
        // The new console level applies just after that line: ask until a request's debug line shows up.
        let deadline = ContinuousClock.now + .seconds(20)
        while !gateway.text.contains("ws ← req"), ContinuousClock.now < deadline {
            let health = try await client.request("health")
            #expect(health["ok"] == .bool(true))
            _ = await gateway.waitForOutput("ws ← req", timeout: .milliseconds(200))
        }
        #expect(gateway.text.contains("ws ← req"), "debug lines reach the console after the reload:\n\(gateway.text)")
        #expect(!gateway.text.contains("gateway restarting"))
        await client.close()
        await gateway.stop()
    }

    @Test func aPortEditInHybridModeRestartsOnTheNewPort() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        let client = try await connect(port)
        let newPort = Sandbox.freePort()
        try sandbox.writeConfig(config(port: newPort))
        await expectRestartClose(client)
        #expect(await gateway.waitForOutput("listening on ws://127.0.0.1:\(newPort)"), "\(gateway.text)")
        #expect(await waitForCount(gateway, "[gateway] ready", 2), "\(gateway.text)")
        #expect(gateway.text.contains("config change requires gateway restart (gateway.port)"))
        #expect(gateway.text.contains("restart mode: in-process restart"))

        let health = try await OpenClawProcess(["health"], environment: sandbox.environment())
        #expect(await health.wait() == 0, "\(health.text)")
        #expect(health.text.contains("Gateway: ok (ws://127.0.0.1:\(newPort)"), "\(health.text)")
        // A reconnecting client finds the new config in effect.
        let again = try await connect(newPort)
        #expect(again.hello.server.version.isEmpty == false)
        await again.close()
        await gateway.stop()
        #expect(gateway.process.termination?.status == 0)
    }

    @Test func anInvalidEditIsSkippedAndALaterValidOneApplies() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        try sandbox.writeConfig(config(port: port).replacingOccurrences(of: "gateway: {", with: "bogus: 1, gateway: {"))
        #expect(await gateway.waitForOutput("config reload skipped (invalid config): "), "\(gateway.text)")
        #expect(gateway.text.contains("bogus"), "\(gateway.text)")
        let client = try await connect(port)
        try sandbox.writeConfig(config(port: port, extra: "rateLimit: { maxAttempts: 4 }"))
        #expect(await gateway.waitForOutput("config hot reload applied (gateway.auth.rateLimit)"), "\(gateway.text)")
        await client.close()
        await gateway.stop()
    }

    @Test func offModeIgnoresEdits() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port, mode: "off"))
        let gateway = try await start(sandbox)
        try sandbox.writeConfig(config(port: Sandbox.freePort(), mode: "off"))
        #expect(await gateway.waitForOutput("config reload disabled (gateway.reload.mode=off)"), "\(gateway.text)")
        let client = try await connect(port)
        await client.close()
        #expect(!gateway.text.contains("gateway restarting"))
        await gateway.stop()
    }

    @Test func hotModeLogsAndIgnoresARestartClassEdit() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port, mode: "hot"))
        let gateway = try await start(sandbox)
        try sandbox.writeConfig(config(port: Sandbox.freePort(), mode: "hot"))
        #expect(await gateway.waitForOutput("config reload requires gateway restart; hot mode ignoring (gateway.port)"), "\(gateway.text)")
        let client = try await connect(port)
        await client.close()
        await gateway.stop()
    }

    @Test func restartModeRestartsOnAnyChange() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port, mode: "restart"))
        let gateway = try await start(sandbox)
        let client = try await connect(port)
        try sandbox.writeConfig(config(port: port, mode: "restart", extra: "rateLimit: { maxAttempts: 3 }"))
        await expectRestartClose(client)
        #expect(await waitForCount(gateway, "[gateway] ready", 2), "\(gateway.text)")
        #expect(gateway.text.contains("config change requires gateway restart (gateway.auth.rateLimit)"), "\(gateway.text)")
        await gateway.stop()
    }

    @Test func anEditorStyleReplaceIsPickedUp() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        for attempts in [3, 4] {
            let temp = sandbox.stateDir + "/.openclaw.json.swp"
            try config(port: port, extra: "rateLimit: { maxAttempts: \(attempts) }").write(toFile: temp, atomically: false, encoding: .utf8)
            #expect(rename(temp, sandbox.configPath) == 0)
            #expect(await waitForCount(gateway, "config hot reload applied (gateway.auth.rateLimit", attempts - 2), "\(gateway.text)")
        }
        await gateway.stop()
    }

    @Test func sigusr1RestartsInProcess() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        let client = try await connect(port)
        gateway.signal(SIGUSR1)
        await expectRestartClose(client)
        #expect(await waitForCount(gateway, "[gateway] ready", 2), "\(gateway.text)")
        #expect(gateway.text.contains("signal SIGUSR1 received"))
        #expect(gateway.text.contains("received SIGUSR1; restarting"))
        #expect(gateway.isRunning)
        // The lock was released and taken again by the same process.
        let lock = GatewayLock.path(configPath: sandbox.configPath, environment: sandbox.environment())
        #expect(GatewayLock.readOwner(at: lock)?.pid == gateway.pid)
        let again = try await connect(port)
        await again.close()
        await gateway.stop()
        #expect(GatewayLock.readOwner(at: lock) == nil, "the lock is released on exit")
    }

    @Test func aSupervisedRestartExitsZero() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox, env: ["OPENCLAW_SYSTEMD_UNIT": "openclaw-gateway.service"])
        gateway.signal(SIGUSR1)
        #expect(await gateway.wait() == 0)
        #expect(gateway.text.contains("restart mode: full process restart (supervisor restart)"), "\(gateway.text)")
    }

    @Test func includedFilesAreMergedAndWatched() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port).replacingOccurrences(of: "gateway: {", with: "$include: \"./extra/limits.json5\", gateway: {"))
        try FileManager.default.createDirectory(atPath: sandbox.stateDir + "/extra", withIntermediateDirectories: true)
        let included = sandbox.stateDir + "/extra/limits.json5"
        try #"{ logging: { level: "info" } }"#.write(toFile: included, atomically: true, encoding: .utf8)
        let gateway = try await start(sandbox)
        try #"{ logging: { level: "debug" } }"#.write(toFile: included, atomically: true, encoding: .utf8)
        #expect(await gateway.waitForOutput("config change detected; evaluating reload (logging.level)"), "\(gateway.text)")
        await gateway.stop()
    }
}
