// Tests/Conformance/Devices/DevicePairingRestartTests.swift - pairings, tokens and requests survive a restart

import Foundation
import Generated
import Runtime
import Testing

@Suite("Device pairing across restarts", LocalAddress.skipWithoutLAN)
struct DevicePairingRestartTests {
    @Test func pairingsTokensAndPendingRequestsSurviveARestart() async throws {
        guard let first = try await LANGateway.start() else {
            return  // unreachable: the suite is disabled without a LAN address
        }
        let stateDir = first.stateDir
        // A local device is paired silently and gets a token; a remote one leaves a pending request.
        let local = DeviceIdentity()
        var localOptions = first.remote(local, token: first.gateway.token)
        localOptions.url = first.localURL
        let token: String
        let requestId: String
        do {
            let client = try #require(try await ConnectOutcome.attempt(localOptions).client)
            token = try #require(client.hello.auth?.deviceToken)
            await client.close()
            requestId = try #require(
                try await ConnectOutcome.attempt(first.remote(DeviceIdentity(), token: first.gateway.token)).error?.details?["requestId"]?.stringValue
            )
        } catch {
            await first.gateway.stop()
            throw error
        }
        await first.gateway.stop()

        // On disk in upstream's shapes, readable only by the owner.
        for name in ["pending.json", "paired.json"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: stateDir + "/devices/" + name)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(name)")
        }
        let paired = try JSONValue.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: stateDir + "/devices/paired.json")), as: UTF8.self))
        #expect(paired[local.deviceId]?["tokens"]?["operator"]?["token"]?.stringValue == token)
        let pending = try JSONValue.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: stateDir + "/devices/pending.json")), as: UTF8.self))
        #expect(pending[requestId]?["requestId"]?.stringValue == requestId)

        let second = try #require(try await LANGateway.start(stateDir: stateDir))
        do {
            var tokenOnly = localOptions
            tokenOnly.url = second.localURL
            tokenOnly.token = nil
            tokenOnly.deviceToken = token
            let client = try #require(try await ConnectOutcome.attempt(tokenOnly).client)
            #expect(client.hello.auth?.deviceToken == token)
            await client.close()
            let admin = try await second.admin()
            let list = try await admin.devicePairList()
            #expect(list.pending.map(\.requestId) == [requestId])
            #expect(list.paired.contains { $0.deviceId == local.deviceId })
            await admin.close()
        } catch {
            await second.gateway.stop()
            throw error
        }
        await second.gateway.stop()
    }
}
