// Tests/CLITests/StatusTests.swift - `openclaw status` against a running gateway and against none

import Foundation
import Generated
import Runtime
import Testing

@Suite("status", .serialized)
struct StatusTests {
    @Test func aRunningGatewayIsSummarised() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let env = try sandbox.isolatedEnvironment(port: port)
        let gateway = try await OpenClawProcess(["gateway", "--allow-unconfigured"], environment: env)
        defer { Task { await gateway.stop() } }
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")

        let status = try await OpenClawProcess(["status", "--all"], environment: env)
        #expect(await status.wait() == 0, "\(status.text)")
        #expect(status.text.contains("Gateway: reachable (ws://127.0.0.1:\(port), "), "\(status.text)")
        #expect(status.text.contains("Version: \(GatewayVersion.current)"))
        #expect(status.text.contains("Uptime: "))
        #expect(status.text.contains("Listener: bind=loopback (127.0.0.1), port=\(port), auth=token, pid \(gateway.pid)"))
        #expect(status.text.contains("Sessions: 0 ("))
        #expect(status.text.contains("Channels: none configured"))
        #expect(status.text.contains("Agents: main (default)"), "\(status.text)")

        let json = try await OpenClawProcess(["status", "--json"], environment: env)
        #expect(await json.wait() == 0)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.text.utf8))
        #expect(object["gateway"]?["reachable"]?.boolValue == true)
        #expect(object["status"]?["gateway"]?["port"]?.intValue == port)

        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
    }

    @Test func noGatewayIsReportedAsUnreachableWithANonZeroExit() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let env = sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)])
        let status = try await OpenClawProcess(["status", "--timeout", "3000"], environment: env)
        #expect(await status.wait() == 1)
        #expect(status.text.contains("Gateway: unreachable (ws://127.0.0.1:\(port))"), "\(status.text)")
        #expect(status.text.contains("connection refused"))

        let json = try await OpenClawProcess(["status", "--json", "--timeout", "3000"], environment: env)
        #expect(await json.wait() == 1)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.text.utf8))
        #expect(object["gateway"]?["reachable"]?.boolValue == false)
    }
}
