// Tests/CLITests/GatewayStatusTests.swift - `openclaw gateway status` against a running gateway, none, and a planted unit

import Foundation
import Generated
import Runtime
import Testing

@Suite("gateway status", .serialized)
struct GatewayStatusTests {
    /// The sandbox's environment with its own TMPDIR (so the lock file stays inside it) and a fixed port.
    private func environment(_ sandbox: Sandbox, port: Int) throws -> [String: String] {
        try sandbox.isolatedEnvironment(port: port)
    }

    private func run(_ arguments: [String], _ environment: [String: String]) async throws -> (Int32, String) {
        let process = try await OpenClawProcess(arguments, environment: environment)
        let status = await process.wait()
        return (status, process.text)
    }

    @Test func aRunningGatewayShowsRuntimeRunningAndRPCProbeOk() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let env = try environment(sandbox, port: port)
        let gateway = try await OpenClawProcess(["gateway", "--allow-unconfigured"], environment: env)
        defer { Task { await gateway.stop() } }
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        let pid = gateway.pid

        let (code, text) = try await run(["gateway", "status", "--require-rpc"], env)
        #expect(code == 0, "\(text)")
        #expect(text.contains("RPC probe: ok"), "\(text)")
        #expect(text.contains("Runtime: running (pid \(pid)"), "\(text)")
        #expect(text.contains("Gateway: bind=loopback (127.0.0.1), port=\(port) (env OPENCLAW_GATEWAY_PORT)"), "\(text)")
        #expect(text.contains("Probe target: ws://127.0.0.1:\(port)"))
        #expect(text.contains("Listening: 127.0.0.1:\(port)"), "\(text)")
        #expect(text.contains("Config (cli): \(sandbox.configPath)\n"), "\(text)")
        #expect(text.contains("Service unit not found."))
        #expect(!text.contains("Troubles: run openclaw status"))
        // Upstream's order of the main lines.
        let order = ["Service: ", "File logs: ", "Config (cli): ", "Gateway: ", "Probe target: ", "Runtime: ", "RPC probe: ", "Listening: "]
        let positions = order.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted(), "\(text)")

        let (jsonCode, json) = try await run(["gateway", "status", "--json"], env)
        #expect(jsonCode == 0)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(object["rpc"]?["ok"]?.boolValue == true, "\(json)")
        #expect(object["rpc"]?["url"]?.stringValue == "ws://127.0.0.1:\(port)")
        #expect(object["gateway"]?["port"]?.intValue == port)
        #expect(object["gateway"]?["portSource"]?.stringValue == "env OPENCLAW_GATEWAY_PORT")
        #expect(object["gateway"]?["bindMode"]?.stringValue == "loopback")
        #expect(object["service"]?["label"]?.stringValue == "systemd")
        #expect(object["service"]?["runtime"]?["status"]?.stringValue == "running")
        #expect(object["service"]?["runtime"]?["pid"]?.intValue == Int(pid))
        #expect(object["config"]?["cli"]?["path"]?.stringValue == sandbox.configPath)
        #expect(object["config"]?["mismatch"]?.boolValue == false)
        #expect(object["port"]?["status"]?.stringValue == "busy")

        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
    }

    @Test func noGatewayShowsRPCProbeFailedAndRequireRPCFails() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let env = try environment(sandbox, port: port)

        let (code, text) = try await run(["gateway", "status", "--timeout", "3000"], env)
        #expect(code == 0, "\(text)")
        #expect(text.contains("Runtime: stopped"), "\(text)")
        #expect(text.contains("RPC probe: failed\nRPC target: ws://127.0.0.1:\(port)\n  gateway not reachable at ws://127.0.0.1:\(port)"), "\(text)")
        #expect(text.contains("Config (cli): \(sandbox.configPath) (missing)"))
        #expect(text.contains("Troubles: run openclaw status"))
        #expect(text.contains("Troubleshooting: https://docs.openclaw.ai/troubleshooting"))

        let (required, _) = try await run(["gateway", "status", "--require-rpc", "--timeout", "3000"], env)
        #expect(required == 1)

        let (noProbeCode, noProbe) = try await run(["gateway", "status", "--no-probe"], env)
        #expect(noProbeCode == 0)
        #expect(!noProbe.contains("RPC probe"), "\(noProbe)")

        let (_, json) = try await run(["gateway", "status", "--json", "--timeout", "3000"], env)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(object["rpc"]?["ok"]?.boolValue == false)
        #expect(object["rpc"]?["error"]?.stringValue?.contains("connection refused") == true, "\(json)")
        #expect(object["service"]?["runtime"]?["status"]?.stringValue == "stopped")
    }

    @Test func aUnitWithAnotherConfigPathIsReportedAsTheRootCause() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let env = try environment(sandbox, port: port)
        let unitDir = sandbox.home + "/.config/systemd/user"
        try FileManager.default.createDirectory(atPath: unitDir, withIntermediateDirectories: true)
        let otherConfig = sandbox.home + "/.openclaw-work/openclaw.json"
        try """
        [Unit]
        Description=OpenClaw Gateway

        [Service]
        ExecStart=/opt/openclaw/bin/openclaw gateway --port \(port)
        Restart=always
        WorkingDirectory=\(sandbox.home)/.openclaw-work
        Environment=OPENCLAW_STATE_DIR=\(sandbox.home)/.openclaw-work
        Environment=OPENCLAW_CONFIG_PATH=\(otherConfig)
        Environment=OPENCLAW_GATEWAY_PORT=\(port)
        Environment=OPENCLAW_GATEWAY_TOKEN=planted-secret

        [Install]
        WantedBy=default.target
        """.write(toFile: unitDir + "/openclaw-gateway.service", atomically: true, encoding: .utf8)

        let (code, text) = try await run(["gateway", "status", "--no-probe"], env)
        #expect(code == 0)
        #expect(text.contains("Command: /opt/openclaw/bin/openclaw gateway --port \(port)"), "\(text)")
        #expect(text.contains("Service file: \(unitDir)/openclaw-gateway.service"))
        #expect(
            text.contains("Service env: OPENCLAW_CONFIG_PATH=\(otherConfig) OPENCLAW_GATEWAY_PORT=\(port) OPENCLAW_STATE_DIR=\(sandbox.home)/.openclaw-work"),
            "\(text)")
        #expect(!text.contains("planted-secret"))
        #expect(text.contains("Config (cli): \(sandbox.configPath)"))
        #expect(text.contains("Config (service): \(otherConfig) (missing)"))
        #expect(text.contains("Root cause: CLI and service are using different config paths (likely a profile/state-dir mismatch)."))
        #expect(text.contains("Fix: rerun openclaw gateway install --force"))
        #expect(!text.contains("Service unit not found."))

        let (_, json) = try await run(["gateway", "status", "--no-probe", "--json"], env)
        #expect(!json.contains("planted-secret"))
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(object["config"]?["mismatch"]?.boolValue == true)
        #expect(object["config"]?["daemon"]?["path"]?.stringValue == otherConfig)
        #expect(object["service"]?["command"]?["programArguments"]?.arrayValue?.count == 4)
        #expect(object["service"]?["command"]?["environment"]?["OPENCLAW_CONFIG_PATH"]?.stringValue == otherConfig)
        #expect(object["service"]?["command"]?["sourcePath"]?.stringValue == unitDir + "/openclaw-gateway.service")
        #expect(object["rpc"] == .null)

        try "[Service]\nExecStart=/x gateway\n".write(toFile: unitDir + "/openclaw-gateway-work.service", atomically: true, encoding: .utf8)
        let (_, deep) = try await run(["gateway", "status", "--no-probe", "--deep"], env)
        #expect(deep.contains("Other gateway-like services detected (best effort):\n- \(unitDir)/openclaw-gateway-work.service"), "\(deep)")
        let (_, shallow) = try await run(["gateway", "status", "--no-probe"], env)
        #expect(!shallow.contains("Other gateway-like services"))
    }

    @Test func anInvalidConfigIsMarkedAndItsIssuesAreInTheJSON() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let env = try environment(sandbox, port: Sandbox.freePort())
        try sandbox.writeConfig(#"{gateway: {mode: "local", bogus: 1}}"#)
        let (code, text) = try await run(["gateway", "status", "--no-probe"], env)
        #expect(code == 0)
        #expect(text.contains("Config (cli): \(sandbox.configPath) (invalid)"), "\(text)")
        let (_, json) = try await run(["gateway", "status", "--no-probe", "--json"], env)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(object["config"]?["cli"]?["valid"]?.boolValue == false)
        #expect(object["config"]?["cli"]?["issues"]?.arrayValue == ["gateway: unexpected property 'bogus'"])
    }
}
