// Tests/CLITests/MultiGatewayTests.swift - two gateways side by side; the lock refuses a second on one config path

import Foundation
import Generated
import Runtime
import Testing

@Suite("multiple gateways", .serialized)
struct MultiGatewayTests {
    /// An isolated instance: its own state dir, config path and port, as upstream's multiple-gateways guide asks.
    private struct Instance {
        let stateDir: String
        let configPath: String
        let port: Int
        let environment: [String: String]

        init(_ sandbox: Sandbox, name: String, token: String) throws {
            stateDir = sandbox.home + "/\(name)-state"
            configPath = sandbox.home + "/\(name)-config/openclaw.json"
            port = Sandbox.freePort()
            try FileManager.default.createDirectory(atPath: sandbox.home + "/\(name)-config", withIntermediateDirectories: true)
            try #"{gateway: {mode: "local", auth: {token: "\#(token)"}}}"#.write(toFile: configPath, atomically: true, encoding: .utf8)
            environment = sandbox.environment([
                "OPENCLAW_STATE_DIR": stateDir, "OPENCLAW_CONFIG_PATH": configPath, "OPENCLAW_GATEWAY_PORT": String(port), "TMPDIR": sandbox.home,
            ])
        }
    }

    private func start(_ environment: [String: String]) async throws -> OpenClawProcess {
        let gateway = try await OpenClawProcess(["gateway"], environment: environment)
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        return gateway
    }

    @Test func twoGatewaysRunSideBySideAndEachCLICallReachesItsOwn() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let a = try Instance(sandbox, name: "a", token: "token-a")
        let b = try Instance(sandbox, name: "b", token: "token-b")
        let gatewayA = try await start(a.environment)
        let gatewayB = try await start(b.environment)
        for (instance, gateway) in [(a, gatewayA), (b, gatewayB)] {
            let health = try await OpenClawProcess(["health"], environment: instance.environment)
            #expect(await health.wait() == 0, "\(health.text)")
            #expect(health.text.contains("Gateway: ok (ws://127.0.0.1:\(instance.port)"), "\(health.text)")

            let call = try await OpenClawProcess(["gateway", "call", "status", "--json"], environment: instance.environment)
            #expect(await call.wait() == 0, "\(call.text)")
            let status = try JSONDecoder().decode(StatusSummary.self, from: Data(call.text.utf8))
            #expect(status.configPath == instance.configPath)
            #expect(status.stateDir == instance.stateDir)
            #expect(status.gateway.port == instance.port)
            #expect(status.gateway.pid == Int(gateway.pid))
        }
        // Each holds the lock of its own config path.
        #expect(GatewayLock.readOwner(at: GatewayLock.path(configPath: a.configPath, environment: a.environment))?.pid == gatewayA.pid)
        #expect(GatewayLock.readOwner(at: GatewayLock.path(configPath: b.configPath, environment: b.environment))?.pid == gatewayB.pid)
        await gatewayA.stop()
        await gatewayB.stop()
    }

    @Test func aSecondGatewayOnTheSameConfigPathIsRefusedUnlessMultiIsAllowed() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let first = try Instance(sandbox, name: "one", token: "token-one")
        let gateway = try await start(first.environment)
        let lockPath = GatewayLock.path(configPath: first.configPath, environment: first.environment)
        let owner = try #require(GatewayLock.readOwner(at: lockPath))
        #expect(owner.pid == gateway.pid)
        #expect(owner.configPath == first.configPath)

        // Same config path, another port: the lock (not the port) refuses it, after upstream's 5000 ms wait, with exit 0.
        var second = first.environment
        second["OPENCLAW_GATEWAY_PORT"] = String(Sandbox.freePort())
        let refused = try await OpenClawProcess(["gateway"], environment: second)
        #expect(await refused.wait(timeout: .seconds(30)) == 0, "\(refused.text)")
        #expect(refused.text.contains("Gateway failed to start: gateway already running (pid \(gateway.pid)); lock timeout after 5000ms"), "\(refused.text)")
        #expect(refused.text.contains("If the gateway is supervised, stop it with: openclaw gateway stop"))
        #expect(!refused.text.contains("[gateway] ready"))

        var allowed = second
        allowed["OPENCLAW_ALLOW_MULTI_GATEWAY"] = "1"
        let multi = try await start(allowed)
        let health = try await OpenClawProcess(["health"], environment: allowed)
        #expect(await health.wait() == 0, "\(health.text)")
        await multi.stop()
        #expect(GatewayLock.readOwner(at: lockPath)?.pid == gateway.pid, "the lock-free gateway left the lock alone")
        await gateway.stop()
        #expect(!FileManager.default.fileExists(atPath: lockPath))
    }
}
