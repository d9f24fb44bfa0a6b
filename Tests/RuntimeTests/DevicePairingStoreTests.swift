// Tests/RuntimeTests/DevicePairingStoreTests.swift - the pairing files and the connect triggers, on a fake clock

import Foundation
import Generated
import Synchronization
import Testing

@testable import Runtime

@Suite("Device pairing store")
struct DevicePairingStoreTests {
    final class FakeClock: Sendable {
        let ms = Mutex(1_000_000)
        func advance(_ delta: Int) { ms.withLock { $0 += delta } }
    }

    static func store() -> (DevicePairingStore, FakeClock, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pairing-store-\(UUID().uuidString)").path
        let clock = FakeClock()
        return (DevicePairingStore(stateDir: dir, now: { clock.ms.withLock { $0 } }), clock, dir)
    }

    static func claim(_ id: String = "dev1", role: String = "operator", scopes: [String] = ["operator.read"], platform: String = "linux") -> DeviceClaim {
        DeviceClaim(
            deviceId: id, publicKey: "key-\(id)", displayName: "Device", platform: platform, deviceFamily: nil, clientId: "test", clientMode: "test",
            role: role, scopes: scopes, remoteIp: "192.0.2.9"
        )
    }

    @Test func aRepeatRequestRefreshesAndADifferentOneReplacesWithMergedScopes() async throws {
        let (store, clock, _) = Self.store()
        let (first, created, _) = try await store.request(Self.claim(), silent: false, isRepair: false)
        #expect(created)
        clock.advance(1000)
        let (again, createdAgain, _) = try await store.request(Self.claim(), silent: true, isRepair: false)
        #expect(!createdAgain && again.requestId == first.requestId && again.ts == first.ts + 1000 && again.silent == false)
        let (wider, createdWider, supersededByWider) = try await store.request(Self.claim(scopes: ["operator.write"]), silent: false, isRepair: false)
        #expect(createdWider && wider.requestId != first.requestId)
        #expect(supersededByWider.map(\.requestId) == [first.requestId])
        #expect(wider.scopes == ["operator.read", "operator.write"])
        #expect(try await store.list().pending.map(\.requestId) == [wider.requestId])
    }

    @Test func pendingRequestsExpireAfterFiveMinutes() async throws {
        let (store, clock, _) = Self.store()
        let (request, _, _) = try await store.request(Self.claim(), silent: false, isRepair: false)
        clock.advance(ProtocolLimits.devicePairingPendingTtlMs - 1)
        #expect(try await store.pendingRequest(request.requestId) != nil)
        clock.advance(2)
        #expect(try await store.pendingRequest(request.requestId) == nil)
        #expect(try await store.approve(request.requestId) == nil)
    }

    @Test func approvalMintsATokenPerRoleAndTheTriggersFollowUpstreamsOrder() async throws {
        let (store, _, dir) = Self.store()
        let (request, _, _) = try await store.request(Self.claim(), silent: false, isRepair: false)
        let approved = try #require(try await store.approve(request.requestId))
        let token = try #require(approved.device.tokens?["operator"])
        #expect(token.token.count == 43 && token.scopes == ["operator.read"])
        #expect(approved.device.approvedScopes == ["operator.read"])
        let record = try await store.pairedDevice("dev1")
        #expect(PairingRequirement.reason(for: Self.claim(), record: record) == nil)
        #expect(PairingRequirement.reason(for: Self.claim(scopes: []), record: record) == nil)
        #expect(PairingRequirement.reason(for: Self.claim(platform: "Darwin"), record: record) == .metadataUpgrade)
        #expect(PairingRequirement.reason(for: Self.claim(platform: " LINUX "), record: record) == nil)
        #expect(PairingRequirement.reason(for: Self.claim(role: "node", scopes: ["operator.admin"], platform: "darwin"), record: record) == .metadataUpgrade)
        #expect(PairingRequirement.reason(for: Self.claim(role: "node", scopes: ["operator.admin"]), record: record) == .roleUpgrade)
        #expect(PairingRequirement.reason(for: Self.claim(scopes: ["operator.admin"]), record: record) == .scopeUpgrade)
        var otherKey = Self.claim()
        otherKey.publicKey = "another-key"
        #expect(PairingRequirement.reason(for: otherKey, record: record) == .notPaired)

        #expect(try await store.verifyToken(deviceId: "dev1", publicKey: "key-dev1", role: "operator", token: token.token, scopes: ["operator.read"]) == nil)
        #expect(try await store.verifyToken(deviceId: "dev1", publicKey: "key-dev1", role: "operator", token: "x", scopes: []) == .tokenMismatch)
        #expect(
            try await store.verifyToken(deviceId: "dev1", publicKey: "key-dev1", role: "operator", token: token.token, scopes: ["operator.write"])
                == .scopeMismatch)
        #expect(try await store.verifyToken(deviceId: "dev1", publicKey: "key-dev1", role: "node", token: token.token, scopes: []) == .roleMissing)
        _ = try await store.revoke(deviceId: "dev1", role: "operator")
        #expect(try await store.verifyToken(deviceId: "dev1", publicKey: "key-dev1", role: "operator", token: token.token, scopes: []) == .tokenRevoked)
        #expect(PairingRequirement.reason(for: Self.claim(), record: try await store.pairedDevice("dev1")) == .roleUpgrade)
        #expect(try await store.rotate(deviceId: "dev1", role: "operator", scopes: ["operator.admin"]) == nil)
        let rotated = try #require(try await store.rotate(deviceId: "dev1", role: "operator", scopes: nil))
        #expect(rotated.revokedAtMs == nil && rotated.createdAtMs == token.createdAtMs && rotated.rotatedAtMs != nil && rotated.token != token.token)

        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/devices/paired.json")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let summary = try await store.list().paired.first
        #expect(summary?.tokens?.first?.role == "operator")
        #expect(!String(decoding: try WireJSON.encode(try await store.list()), as: UTF8.self).contains(rotated.token))
    }

    @Test func scopeRules() {
        #expect(DeviceScopes.allows(["operator.read", "operator.pairing"], within: ["operator.admin"]))
        #expect(DeviceScopes.allows(["operator.read"], within: ["operator.write"]))
        #expect(!DeviceScopes.allows(["operator.write"], within: ["operator.read"]))
        #expect(DeviceScopes.filter(["operator.read", "camera", "operator.read"], role: "operator") == ["operator.read"])
        #expect(DeviceScopes.filter(["operator.read", "camera"], role: "node") == ["camera"])
        #expect(DeviceScopes.misfit(["operator.read"], roles: ["node"]) == "operator.read")
        #expect(DeviceScopes.misfit(["operator.read"], roles: ["operator"]) == nil)
        #expect(DeviceAdmission.isLocalHost("127.0.0.1:18789") && DeviceAdmission.isLocalHost("[::1]:1") && DeviceAdmission.isLocalHost("LOCALHOST"))
        #expect(!DeviceAdmission.isLocalHost("192.0.2.2:18789") && !DeviceAdmission.isLocalHost("evil.example"))
        #expect(
            DeviceAdmission.isBrowserOrigin("http://127.0.0.1:18789") && !DeviceAdmission.isBrowserOrigin("ws://127.0.0.1:1")
                && !DeviceAdmission.isBrowserOrigin(nil))
    }
}
