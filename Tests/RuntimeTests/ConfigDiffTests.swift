// Tests/RuntimeTests/ConfigDiffTests.swift - changed leaf paths and the reload plan built from them

import Foundation
import Generated
import Logging
import Testing

@testable import Runtime

@Suite("Config diff")
struct ConfigDiffTests {
    private func tree(_ text: String) throws -> JSONValue {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func identicalTreesHaveNoChanges() throws {
        let value = try tree(#"{ gateway: { port: 1, auth: { token: "a" } }, list: [1, 2] }"#)
        #expect(ConfigDiff.changedPaths(value, value).isEmpty)
    }

    @Test func objectsRecurseToLeafPaths() throws {
        let old = try tree(#"{ gateway: { port: 1, auth: { token: "a" } }, logging: { level: "info" } }"#)
        let new = try tree(#"{ gateway: { port: 2, auth: { token: "a", rateLimit: { maxAttempts: 3 } } }, hooks: { enabled: true } }"#)
        #expect(ConfigDiff.changedPaths(old, new) == ["gateway.auth.rateLimit", "gateway.port", "hooks", "logging"])
    }

    @Test func anyArrayDifferenceMarksTheWholeArray() throws {
        let old = try tree(#"{ gateway: { trustedProxies: ["a", "b"] } }"#)
        let new = try tree(#"{ gateway: { trustedProxies: ["a", "c"] } }"#)
        #expect(ConfigDiff.changedPaths(old, new) == ["gateway.trustedProxies"])
    }

    @Test func aReplacedRootIsRoot() {
        #expect(ConfigDiff.changedPaths(.object([:]), .array([])) == ["<root>"])
    }

    @Test func thePlanClassifiesPathsWithTheGeneratedTable() {
        let plan = ReloadPlan(paths: ["gateway.port", "gateway.auth.rateLimit.maxAttempts", "logging.level", "hooks.path", "gateway.reload.mode"])
        #expect(plan.restart == ["gateway.port"])
        #expect(plan.hot == ["gateway.auth.rateLimit.maxAttempts", "hooks.path"])
        #expect(plan.none == ["logging.level", "gateway.reload.mode"])
        #expect(plan.actions == [.reconfigureAuthLimits, .reloadLogging, .reloadHooks])
    }

    @Test func supervisorsAreDetectedFromTheEnvironment() {
        #expect(GatewayRunner.supervisor([:]) == nil)
        #expect(GatewayRunner.supervisor(["XPC_SERVICE_NAME": "0"]) == nil)
        #expect(GatewayRunner.supervisor(["XPC_SERVICE_NAME": "ai.openclaw.gateway"]) == "launchd")
        #expect(GatewayRunner.supervisor(["INVOCATION_ID": "abc"]) == "systemd")
        #expect(GatewayRunner.supervisor(["JOURNAL_STREAM": "8:123"]) == "systemd")
    }
}

@Suite("Restart draining")
struct RestartDrainingTests {
    @Test func newRequestsAreRefusedWhileARestartDrainsExceptHealth() async throws {
        let gateway = Gateway(settings: GatewaySettings.inProcess(auth: .none), logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await gateway.run(handleSignals: false) }
        let port = await gateway.waitUntilListening()
        var options = GatewayClientOptions(url: "ws://127.0.0.1:\(port)")
        options.clientId = .gatewayClient
        options.clientMode = .backend
        let client = try await GatewayClient.connect(options)
        gateway.hub.restart.beginDraining()
        do {
            _ = try await client.request("system-presence")
            Issue.record("a request during a restart drain should be refused")
        } catch {
            guard case .requestFailed(_, let shape) = error else { throw error }
            #expect(shape.code == .unavailable)
            #expect(shape.message == "gateway restarting; retry shortly")
            #expect(shape.retryable == true)
            #expect(shape.retryAfterMs == 500)
        }
        let health = try await client.request("health", as: HealthSummary.self)
        #expect(health.ok)
        await client.close()
        await gateway.stop()
        _ = try? await task.value
    }
}
