// Tests/CLITests/DevicesCommandTests.swift - `openclaw devices …` against a real gateway process

import Foundation
import Generated
import Runtime
import Testing

@Suite("devices command", .serialized)
struct DevicesCommandTests {
    static let token = "cli-devices-token"

    private func run(_ arguments: [String], _ environment: [String: String]) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: environment)
        let status = await process.wait()
        return (status, process.text)
    }

    /// A device on loopback: paired silently for `operator.read`, then asking for more is a pending scope upgrade.
    private func deviceAsking(port: Int, displayName: String) async throws -> DeviceIdentity {
        let identity = DeviceIdentity()
        var options = GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: Self.token, identity: identity)
        options.clientId = .test
        options.clientMode = .test
        options.displayName = displayName
        options.scopes = ["operator.read"]
        let client = try await GatewayClient.connect(options)
        await client.close()
        options.scopes = ["operator.read", "operator.write"]
        do {
            _ = try await GatewayClient.connect(options)
            Issue.record("a scope upgrade connected without approval")
        } catch {
            guard case .rejected(_, let shape, _) = error else { throw error }
            #expect(shape.details?["reason"]?.stringValue == "scope-upgrade")
        }
        return identity
    }

    @Test func listApproveRejectRotateRevokeAndRemoveThroughTheGateway() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig("{ gateway: { mode: 'local', auth: { token: '\(Self.token)' } } }")
        let port = Sandbox.freePort()
        let env = try sandbox.isolatedEnvironment(port: port)
        let gateway = try await OpenClawProcess(["gateway"], environment: env)
        do {
            #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
            let nothing = try await run(["devices", "approve"], env)
            #expect(nothing.status == 1)
            #expect(nothing.text.contains("No pending device pairing requests to approve"), "\(nothing.text)")

            let device = try await deviceAsking(port: port, displayName: "Laptop")
            let list = try await run(["devices", "list"], env)
            #expect(list.status == 0, "\(list.text)")
            #expect(list.text.contains("Pending (1)"), "\(list.text)")
            #expect(list.text.contains("Laptop") && list.text.contains("repair"), "\(list.text)")
            #expect(list.text.contains("Paired (2)"), "\(list.text)")

            let json = try await run(["devices", "list", "--json"], env)
            let listed = try WireJSON.decode(DevicePairListResult.self, from: Data(json.text.utf8))
            let requestId = try #require(listed.pending.first?.requestId)
            #expect(!json.text.contains("\"token\""))

            let approve = try await run(["devices", "approve", "--latest"], env)
            #expect(approve.status == 0, "\(approve.text)")
            #expect(approve.text.contains("Approved Laptop (\(device.deviceId)) (\(requestId))"), "\(approve.text)")

            let rotate = try await run(["devices", "rotate", "--device", device.deviceId, "--role", "operator", "--scope", "operator.read"], env)
            #expect(rotate.status == 0, "\(rotate.text)")
            let rotated = try WireJSON.decode(DeviceTokenRotateResult.self, from: Data(rotate.text.utf8))
            #expect(rotated.scopes == ["operator.read"] && rotated.token == nil)

            let revoke = try await run(["devices", "revoke", "--device", device.deviceId, "--role", "operator"], env)
            #expect(revoke.status == 0, "\(revoke.text)")
            #expect(try WireJSON.decode(DeviceTokenRevokeResult.self, from: Data(revoke.text.utf8)).revokedAtMs > 0)

            let missing = try await run(["devices", "rotate", "--device", device.deviceId], env)
            #expect(missing.status != 0 && missing.text.contains("--device and --role are required"), "\(missing.text)")

            let removed = try await run(["devices", "remove", device.deviceId], env)
            #expect(removed.status == 0 && removed.text.contains("Removed \(device.deviceId)"), "\(removed.text)")
            let unknown = try await run(["devices", "remove", device.deviceId], env)
            #expect(unknown.status == 1 && unknown.text.contains("unknown deviceId"), "\(unknown.text)")

            let other = try await deviceAsking(port: port, displayName: "Phone")
            let pending = try WireJSON.decode(DevicePairListResult.self, from: Data(try await run(["devices", "list", "--json"], env).text.utf8)).pending
            let otherRequest = try #require(pending.first { $0.deviceId == other.deviceId }?.requestId)
            let reject = try await run(["devices", "reject", otherRequest], env)
            #expect(reject.status == 0 && reject.text.contains("Rejected \(other.deviceId)"), "\(reject.text)")
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }
}
