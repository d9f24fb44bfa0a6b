// Tests/CLITests/RemoteCLITests.swift - the CLI in remote mode: URL precedence, pairing, its device token, offline devices

import Foundation
import Generated
import Runtime
import Testing

@Suite("remote CLI", .serialized)
struct RemoteCLITests {
    static let token = "remote-cli-token"

    private func run(_ arguments: [String], _ environment: [String: String]) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: environment)
        let status = await process.wait()
        return (status, process.text)
    }

    private func startGateway(_ sandbox: Sandbox, port: Int, bind: String = "loopback") async throws -> (OpenClawProcess, [String: String]) {
        // A non-loopback bind with the Control UI on needs explicit origins.
        try sandbox.writeConfig(
            "{ gateway: { mode: 'local', bind: '\(bind)', auth: { token: '\(Self.token)' }, controlUi: { allowedOrigins: ['http://localhost'] } } }"
        )
        let env = try sandbox.isolatedEnvironment(port: port)
        let gateway = try await OpenClawProcess(["gateway"], environment: env)
        guard await gateway.waitForOutput("[gateway] ready") else {
            await gateway.stop()
            throw GatewayDidNotStart(output: gateway.text)
        }
        return (gateway, env)
    }

    struct GatewayDidNotStart: Error { var output: String }

    private struct StoredAuth: Decodable {
        struct Entry: Decodable {
            var token: String
            var role: String
            var scopes: [String]
            var updatedAtMs: Int
        }
        var version: Int
        var deviceId: String
        var tokens: [String: Entry]
    }

    private func storedAuth(_ sandbox: Sandbox) throws -> StoredAuth? {
        guard let data = FileManager.default.contents(atPath: sandbox.stateDir + "/identity/device-auth.json") else { return nil }
        return try JSONDecoder().decode(StoredAuth.self, from: data)
    }

    private func requestId(in text: String) -> String? {
        guard let range = text.range(of: "openclaw devices approve ") else { return nil }
        let id = text[range.upperBound...].prefix { !$0.isWhitespace }
        return id.isEmpty || id.hasPrefix("<") ? nil : String(id)
    }

    @Test(LANAddress.required)
    func remoteCLIIsPairedThenConnectsWithItsDeviceTokenUntilItIsRevoked() async throws {
        let host = try Sandbox()
        let remote = try Sandbox()
        defer {
            host.remove()
            remote.remove()
        }
        let port = Sandbox.freePort()
        let url = "ws://\(LANAddress.ipv4!):\(port)"
        let (gateway, hostEnv) = try await startGateway(host, port: port, bind: "lan")
        do {
            try remote.writeConfig("{ gateway: { mode: 'remote', remote: { url: '\(url)', token: '\(Self.token)' } } }")
            let remoteEnv = remote.environment()

            let first = try await run(["health"], remoteEnv)
            #expect(first.status == 1, "\(first.text)")
            #expect(first.text.contains("pairing required: the gateway at \(url) has not approved this device"), "\(first.text)")
            let id = try #require(requestId(in: first.text), "\(first.text)")
            #expect(first.text.contains("request id: \(id)"))

            let approve = try await run(["devices", "approve", id], hostEnv)
            #expect(approve.status == 0, "\(approve.text)")
            #expect(approve.text.contains("Approved openclaw cli ("), "\(approve.text)")

            let paired = try await run(["health"], remoteEnv)
            #expect(paired.status == 0, "\(paired.text)")
            #expect(paired.text.contains("Gateway: ok (\(url),"), "\(paired.text)")
            let stored = try #require(try storedAuth(remote))
            #expect(stored.version == 1)
            let entry = try #require(stored.tokens["operator"])
            #expect(entry.role == "operator" && entry.token.count == 43 && entry.scopes.contains("operator.admin"))
            let mode = try FileManager.default.attributesOfItem(atPath: remote.stateDir + "/identity/device-auth.json")[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // The shared secret gone from the config: the device token alone is enough.
            try remote.writeConfig("{ gateway: { mode: 'remote', remote: { url: '\(url)' } } }")
            let tokenOnly = try await run(["health"], remoteEnv)
            #expect(tokenOnly.status == 0, "\(tokenOnly.text)")
            let status = try await run(["gateway", "status"], remoteEnv)
            #expect(status.text.contains("Probe target: \(url) (remote, from config gateway.remote.url)"), "\(status.text)")
            #expect(status.text.contains("RPC probe: ok"), "\(status.text)")

            let revoke = try await run(["devices", "revoke", "--device", stored.deviceId, "--role", "operator"], hostEnv)
            #expect(revoke.status == 0, "\(revoke.text)")
            let revoked = try await run(["health"], remoteEnv)
            #expect(revoked.status == 1, "\(revoked.text)")
            #expect(revoked.text.contains("rejected this device's token (AUTH_DEVICE_TOKEN_MISMATCH"), "\(revoked.text)")
            #expect(revoked.text.contains("Pairing is required again"), "\(revoked.text)")
            #expect(try storedAuth(remote)?.tokens["operator"] == nil)

            // With the shared secret back, the gateway files a new request (the revoked role needs approval again).
            try remote.writeConfig("{ gateway: { mode: 'remote', remote: { url: '\(url)', token: '\(Self.token)' } } }")
            let again = try await run(["health"], remoteEnv)
            #expect(again.status == 1, "\(again.text)")
            #expect(again.text.contains("pairing required") && requestId(in: again.text) != nil, "\(again.text)")
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    @Test func urlPrecedenceIsFlagThenEnvThenRemoteConfigThenLocal() async throws {
        let host = try Sandbox()
        let cli = try Sandbox()
        defer {
            host.remove()
            cli.remove()
        }
        let port = Sandbox.freePort()
        let deadPort = Sandbox.freePort()
        let (gateway, _) = try await startGateway(host, port: port)
        do {
            try cli.writeConfig("{ gateway: { mode: 'remote' } }")
            let misconfigured = try await run(["health"], cli.environment())
            #expect(misconfigured.status == 1)
            #expect(
                misconfigured.text.trimmingCharacters(in: .whitespacesAndNewlines) == "gateway remote mode misconfigured: gateway.remote.url missing",
                "\(misconfigured.text)"
            )
            let dashboardMisconfigured = try await run(["dashboard", "--no-open"], cli.environment())
            #expect(dashboardMisconfigured.status == 1 && dashboardMisconfigured.text.contains("gateway.remote.url missing"), "\(dashboardMisconfigured.text)")
            let statusMisconfigured = try await run(["gateway", "status", "--no-probe"], cli.environment())
            #expect(
                statusMisconfigured.text.contains("Target error: gateway remote mode misconfigured: gateway.remote.url missing"), "\(statusMisconfigured.text)")

            // Remote config: its URL (dead here) wins over the local port; credentials come from gateway.remote.token.
            try cli.writeConfig("{ gateway: { mode: 'remote', remote: { url: 'ws://127.0.0.1:\(deadPort)', token: '\(Self.token)' } } }")
            let env = cli.environment(["OPENCLAW_GATEWAY_PORT": String(port)])
            let config = try await run(["health", "--timeout", "3000"], env)
            #expect(config.status == 1)
            #expect(config.text.contains("gateway not reachable at ws://127.0.0.1:\(deadPort)"), "\(config.text)")
            // A remote target that does not answer is an error: no fallback to this machine's log file.
            let logs = try await run(["logs", "--timeout", "3000"], env)
            #expect(logs.status == 1 && !logs.text.contains("reading the local log file"), "\(logs.text)")
            let dashboard = try await run(["dashboard", "--no-open"], env)
            #expect(dashboard.text.contains("Dashboard URL: http://127.0.0.1:\(deadPort)/#token=\(Self.token)"), "\(dashboard.text)")

            // OPENCLAW_GATEWAY_URL beats gateway.remote.url.
            let envURL = cli.environment(["OPENCLAW_GATEWAY_URL": "ws://127.0.0.1:\(port)"])
            let fromEnv = try await run(["health"], envURL)
            #expect(fromEnv.status == 0, "\(fromEnv.text)")
            #expect(fromEnv.text.contains("Gateway: ok (ws://127.0.0.1:\(port),"), "\(fromEnv.text)")
            let status = try await run(["gateway", "status"], envURL)
            #expect(status.text.contains("Probe target: ws://127.0.0.1:\(port) (remote, from env OPENCLAW_GATEWAY_URL)"), "\(status.text)")
            #expect(status.text.contains("RPC probe: ok"), "\(status.text)")

            // --url beats the environment, and takes only explicit credentials.
            let flag = try await run(["health", "--url", "ws://127.0.0.1:\(deadPort)", "--token", Self.token, "--timeout", "3000"], envURL)
            #expect(flag.status == 1)
            #expect(flag.text.contains("gateway not reachable at ws://127.0.0.1:\(deadPort)"), "\(flag.text)")
            let json = try await run(["gateway", "status", "--url", "ws://127.0.0.1:\(port)", "--token", Self.token, "--json"], envURL)
            let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.text.utf8))
            #expect(object["gateway"]?["probeUrlSource"]?.stringValue == "--url", "\(json.text)")
            #expect(object["gateway"]?["remote"]?.boolValue == true)
            #expect(object["rpc"]?["ok"]?.boolValue == true, "\(json.text)")

            // Local mode: the local port, and `gateway.remote.url` is ignored.
            try cli.writeConfig("{ gateway: { mode: 'local', auth: { token: '\(Self.token)' }, remote: { url: 'ws://127.0.0.1:\(deadPort)' } } }")
            let local = try await run(["gateway", "status"], env)
            #expect(local.text.contains("Probe target: ws://127.0.0.1:\(port) (local, default)"), "\(local.text)")
            #expect(local.text.contains("RPC probe: ok"), "\(local.text)")
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    /// A device on loopback: paired silently for `operator.read`, then asking for more leaves a pending request.
    private func deviceAsking(port: Int) async throws -> DeviceIdentity {
        let identity = DeviceIdentity()
        var options = GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: Self.token, identity: identity)
        options.clientId = .test
        options.clientMode = .test
        options.displayName = "Tablet"
        options.scopes = ["operator.read"]
        let first = try await GatewayClient.connect(options)
        await first.close()
        options.scopes = ["operator.read", "operator.write"]
        if let client = try? await GatewayClient.connect(options) {
            await client.close()
            Issue.record("a scope upgrade connected without approval")
        }
        return identity
    }

    @Test func devicesListAndApproveEditTheStoreWhenTheGatewayIsDown() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let (gateway, env) = try await startGateway(sandbox, port: port)
        let device: DeviceIdentity
        do {
            device = try await deviceAsking(port: port)
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()

        let list = try await run(["devices", "list"], env)
        #expect(list.status == 0, "\(list.text)")
        #expect(list.text.contains("gateway not reachable; read \(sandbox.stateDir)/devices directly"), "\(list.text)")
        #expect(list.text.contains("Pending (1)") && list.text.contains("Tablet"), "\(list.text)")

        let unknown = try await run(["devices", "approve", "no-such-request"], env)
        #expect(unknown.status == 1 && unknown.text.contains("unknown requestId: no-such-request"), "\(unknown.text)")

        let approve = try await run(["devices", "approve", "--latest"], env)
        #expect(approve.status == 0, "\(approve.text)")
        #expect(approve.text.contains("gateway not reachable; edited \(sandbox.stateDir)/devices directly"), "\(approve.text)")
        #expect(approve.text.contains("Approved Tablet (\(device.deviceId))"), "\(approve.text)")

        let json = try await run(["devices", "list", "--json"], env)
        let listed = try WireJSON.decode(
            DevicePairListResult.self,
            from: Data(json.text.split(separator: "\n").filter { !$0.hasPrefix("gateway not reachable") }.joined(separator: "\n").utf8))
        #expect(listed.pending.isEmpty)
        #expect(listed.paired.contains { $0.deviceId == device.deviceId })
    }
}
