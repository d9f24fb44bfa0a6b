// Tests/Conformance/Devices/DevicePairingTests.swift - pairing a remote device end to end over real sockets

import Foundation
import Generated
import Runtime
import Testing

/// A device connecting from this machine's LAN address is a remote peer: it must be approved, then gets a
/// device token it can connect with alone; revoke, rotate and remove take effect on its open sockets.
@Suite("Device pairing (remote peers)", LocalAddress.skipWithoutLAN)
struct DevicePairingTests {
    @Test func remoteDeviceIsPairedApprovedAndConnectsWithItsTokenUntilRevokedRotatedAndRemoved() async throws {
        try await LANGateway.with { lan in
            let admin = try await lan.admin()
            let device = DeviceIdentity()
            let shared = lan.gateway.token

            // 1. Unpaired: NOT_PAIRED with a request id; the pairing operator hears of it.
            let first = try await ConnectOutcome.attempt(lan.remote(device, token: shared))
            let refusal = try #require(first.error)
            #expect(refusal.code == .notPaired)
            // The operator client speaks protocol 4, so the refusal has v4's wording.
            #expect(refusal.message == "pairing required: device is not approved yet")
            #expect(refusal.details?["code"]?.stringValue == "PAIRING_REQUIRED")
            #expect(refusal.details?["reason"]?.stringValue == "not-paired")
            let requestId = try #require(refusal.details?["requestId"]?.stringValue)
            let requested = try await admin.nextEvent("device.pair.requested").decode(DevicePairingRequest.self)
            #expect(requested.requestId == requestId && requested.deviceId == device.deviceId)
            #expect(requested.remoteIp == lan.remoteIP)
            #expect(requested.silent == false)

            // 2. A repeat connect refreshes that request instead of filing another.
            let again = try await ConnectOutcome.attempt(lan.remote(device, token: shared))
            #expect(again.error?.details?["requestId"]?.stringValue == requestId)
            let listed = try await admin.devicePairList()
            #expect(listed.pending.map(\.requestId) == [requestId])
            #expect(listed.pending.first?.scopes == ["operator.read"])
            #expect(listed.paired.map(\.deviceId) == [admin.options.identity!.deviceId])
            #expect(listed.paired.first?.tokens?.map(\.role) == ["operator"])

            // 3. Approve: the operator sees the resolution; the device now connects and gets its token.
            let approved = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: requestId))
            #expect(approved.device.deviceId == device.deviceId)
            #expect(approved.device.scopes == ["operator.read"])
            let resolved = try await admin.nextEvent("device.pair.resolved").decode(DevicePairResolvedEvent.self)
            #expect(resolved.requestId == requestId && resolved.decision == .approved)
            let paired = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: shared)).client)
            let auth = try #require(paired.hello.auth)
            let deviceToken = try #require(auth.deviceToken)
            #expect(deviceToken.count == 43)
            #expect(auth.role == "operator" && auth.scopes == ["operator.read"])
            #expect(auth.issuedAtMs != nil)
            await paired.close()

            // 4. The token alone, without the shared secret; the listing never shows it.
            let tokenOnly = try #require(try await ConnectOutcome.attempt(lan.remote(device, deviceToken: deviceToken)).client)
            #expect(tokenOnly.hello.auth?.deviceToken == deviceToken)
            _ = try await tokenOnly.request(GatewayMethod.status.rawValue)
            // v3-mid fallback: the device token sent as `auth.token` also authenticates a signed device.
            let fallback = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: deviceToken)).client)
            #expect(fallback.hello.auth?.deviceToken == deviceToken)
            await fallback.close()
            let listJSON = try await admin.request(GatewayMethod.devicePairList.rawValue)
            #expect(!listJSON.text.contains(deviceToken))
            #expect(!listJSON.text.contains("approvedScopes"))

            // 5. Wrong tokens: upstream's codes and recovery hints.
            let wrongDevice = try #require(try await ConnectOutcome.attempt(lan.remote(device, deviceToken: "not-the-token")).error)
            #expect(wrongDevice.code == .invalidRequest)
            #expect(wrongDevice.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH")
            #expect(wrongDevice.details?["canRetryWithDeviceToken"] == false)
            #expect(wrongDevice.details?["recommendedNextStep"]?.stringValue == "update_auth_credentials")
            let wrongShared = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: "wrong-shared")).error)
            #expect(wrongShared.details?["code"]?.stringValue == "AUTH_TOKEN_MISMATCH")
            #expect(wrongShared.details?["canRetryWithDeviceToken"] == true)
            #expect(wrongShared.details?["recommendedNextStep"]?.stringValue == "retry_with_device_token")

            // 6. Revoke closes the open socket; the old token stops working and the role needs approval again.
            let revoked = try await admin.deviceTokenRevoke(DeviceTokenRevokeParams(deviceId: device.deviceId, role: "operator"))
            #expect(revoked.deviceId == device.deviceId && revoked.revokedAtMs > 0)
            try await tokenOnly.waitUntilClosed()
            let afterRevoke = try #require(try await ConnectOutcome.attempt(lan.remote(device, deviceToken: deviceToken)).error)
            #expect(afterRevoke.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH")
            let upgrade = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: shared)).error)
            #expect(upgrade.details?["reason"]?.stringValue == "role-upgrade")
            let reRequest = try #require(upgrade.details?["requestId"]?.stringValue)
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: reRequest))

            // 7. Rotate: another device's token is not returned; the open socket closes; only the new token works.
            let beforeRotate = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: shared)).client)
            let reissued = try #require(beforeRotate.hello.auth?.deviceToken)
            #expect(reissued != deviceToken)
            let rotated = try await admin.deviceTokenRotate(DeviceTokenRotateParams(deviceId: device.deviceId, role: "operator"))
            #expect(rotated.token == nil && rotated.scopes == ["operator.read"])
            try await beforeRotate.waitUntilClosed()
            #expect(
                try await ConnectOutcome.attempt(lan.remote(device, deviceToken: reissued)).error?.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH"
            )
            let current = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: shared)).client)
            let newToken = try #require(current.hello.auth?.deviceToken)
            #expect(newToken != reissued)

            // 8. Remove closes it and forgets the device: back to not-paired.
            let removed = try await admin.devicePairRemove(DeviceIdParams(deviceId: device.deviceId))
            #expect(removed.deviceId == device.deviceId)
            try await current.waitUntilClosed()
            #expect(
                try await ConnectOutcome.attempt(lan.remote(device, deviceToken: newToken)).error?.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH"
            )
            #expect(try await ConnectOutcome.attempt(lan.remote(device, token: shared)).error?.details?["reason"]?.stringValue == "not-paired")
            await admin.close()
        }
    }

    @Test func askingForMoreScopesNeedsApprovalEvenOnLoopback() async throws {
        try await LANGateway.with { lan in
            let admin = try await lan.admin()
            let device = DeviceIdentity()
            // Remote: paired with read, then asks for write too.
            let requestId = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).error?.details?["requestId"]?.stringValue)
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: requestId))
            let more = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, scopes: ["operator.read", "operator.write"], token: lan.gateway.token)).error
            )
            #expect(more.code == .notPaired && more.details?["reason"]?.stringValue == "scope-upgrade")
            let pending = try await admin.devicePairList().pending
            #expect(pending.first?.isRepair == true && pending.first?.scopes == ["operator.read", "operator.write"])
            let upgradeId = try #require(more.details?["requestId"]?.stringValue)
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: upgradeId))
            let upgraded = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, scopes: ["operator.read", "operator.write"], token: lan.gateway.token)).client
            )
            #expect(upgraded.hello.auth?.scopes == ["operator.read", "operator.write"])
            await upgraded.close()

            // Loopback: a new device is paired silently, but more scopes later are never silent.
            let local = DeviceIdentity()
            var options = lan.remote(local, token: lan.gateway.token)
            options.url = lan.localURL
            let silent = try #require(try await ConnectOutcome.attempt(options).client)
            #expect(silent.hello.auth?.deviceToken != nil && silent.hello.auth?.scopes == ["operator.read"])
            await silent.close()
            options.scopes = ["operator.read", "operator.admin"]
            let localUpgrade = try #require(try await ConnectOutcome.attempt(options).error)
            #expect(localUpgrade.details?["reason"]?.stringValue == "scope-upgrade")
            await admin.close()
        }
    }

    @Test func approvingNeedsTheScopesItGrants() async throws {
        try await LANGateway.with { lan in
            let admin = try await lan.admin()
            // An approver holding pairing but not admin cannot grant admin.
            var approverOptions = lan.remote(DeviceIdentity(), scopes: ["operator.pairing"], token: lan.gateway.token)
            approverOptions.url = lan.localURL
            let approver = try await GatewayClient.connect(approverOptions)
            let device = DeviceIdentity()
            let requestId = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, scopes: ["operator.admin"], token: lan.gateway.token)).error?.details?["requestId"]?
                    .stringValue
            )
            do {
                _ = try await approver.devicePairApprove(DevicePairRequestIdParams(requestId: requestId))
                Issue.record("an approver without operator.admin granted it")
            } catch let error as GatewayClientError {
                guard case .requestFailed(_, let shape) = error else { throw error }
                #expect(shape.message == "missing scope: operator.admin")
            }
            do {
                _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: "nope"))
                Issue.record("approving an unknown request succeeded")
            } catch let error as GatewayClientError {
                guard case .requestFailed(_, let shape) = error else { throw error }
                #expect(shape.code == .invalidRequest && shape.message == "unknown requestId")
            }
            let rejected = try await admin.devicePairReject(DevicePairRequestIdParams(requestId: requestId))
            #expect(rejected.deviceId == device.deviceId)
            let resolved = try await admin.nextEvent("device.pair.resolved") { $0.payload?["decision"]?.stringValue == "rejected" }
            #expect(resolved.payload?["requestId"]?.stringValue == requestId)
            #expect(try await admin.devicePairList().pending.isEmpty)
            await approver.close()
            await admin.close()
        }
    }

    @Test func theRefusalIsNotPairedThenClose1008() async throws {
        try await LANGateway.with { lan in
            let socket = try await lan.rawSignedConnect(DeviceIdentity())
            let response = try await GatewayBehaviourTests.next(socket) { $0["type"] == "res" }
            #expect(response["ok"] == false)
            #expect(response["error"]?["code"] == "NOT_PAIRED")
            #expect(response["error"]?["message"] == "pairing required")
            #expect(response["error"]?["details"]?["code"] == "PAIRING_REQUIRED")
            #expect(response["error"]?["details"]?["reason"] == "not-paired")
            #expect(response["error"]?["details"]?["requestId"]?.stringValue?.isEmpty == false)
            let close = try await socket.waitForClose()
            #expect(close.code == 1008 && close.reason == "pairing required")
            await socket.close()
        }
    }

    @Test func deviceTokenFailuresHaveTheirOwnRateLimitBucket() async throws {
        try await LANGateway.with(GatewaySetup(rateLimitMaxAttempts: 2)) { lan in
            let admin = try await lan.admin()
            let device = DeviceIdentity()
            let requestId = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).error?.details?["requestId"]?.stringValue
            )
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: requestId))
            for _ in 0..<2 {
                let wrong = try await ConnectOutcome.attempt(lan.remote(device, deviceToken: "wrong"))
                #expect(wrong.error?.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH")
            }
            let limited = try #require(try await ConnectOutcome.attempt(lan.remote(device, deviceToken: "wrong")).error)
            #expect(limited.details?["code"]?.stringValue == "AUTH_RATE_LIMITED")
            #expect(limited.retryAfterMs != nil)
            // The shared secret's bucket is untouched: the same address still connects with it.
            let shared = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).client)
            await shared.close()
            await admin.close()
        }
    }

    @Test func aDeviceTokenCallerWithoutAdminManagesOnlyItsOwnDevice() async throws {
        try await LANGateway.with { lan in
            let admin = try await lan.admin()
            let device = DeviceIdentity()
            let scopes = ["operator.pairing", "operator.read"]
            let requestId = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, scopes: scopes, token: lan.gateway.token)).error?.details?["requestId"]?.stringValue
            )
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: requestId))
            let token = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, scopes: scopes, token: lan.gateway.token)).client?.hello.auth?.deviceToken)
            let own = try #require(try await ConnectOutcome.attempt(lan.remote(device, scopes: scopes, deviceToken: token)).client)
            let list = try await own.devicePairList()
            #expect(list.paired.map(\.deviceId) == [device.deviceId])
            do {
                _ = try await own.devicePairRemove(DeviceIdParams(deviceId: admin.options.identity!.deviceId))
                Issue.record("a device-token caller removed another device")
            } catch let error as GatewayClientError {
                guard case .requestFailed(_, let shape) = error else { throw error }
                #expect(shape.message == "device pairing removal denied")
            }
            // Rotating its own token returns the new token to it, then closes its socket.
            let rotated = try await own.deviceTokenRotate(DeviceTokenRotateParams(deviceId: device.deviceId, role: "operator"))
            let fresh = try #require(rotated.token)
            #expect(fresh != token && rotated.scopes == scopes)
            try await own.waitUntilClosed()
            let reconnected = try #require(try await ConnectOutcome.attempt(lan.remote(device, scopes: scopes, deviceToken: fresh)).client)
            await reconnected.close()
            await admin.close()
        }
    }

    @Test func aPairedOperatorAskingToBeANodeIsARoleUpgradeWithATokenPerRole() async throws {
        try await LANGateway.with { lan in
            let admin = try await lan.admin()
            let device = DeviceIdentity()
            let first = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).error?.details?["requestId"]?.stringValue)
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: first))
            var node = lan.remote(device, scopes: [], token: lan.gateway.token)
            node.role = "node"
            let upgrade = try #require(try await ConnectOutcome.attempt(node).error)
            #expect(upgrade.details?["reason"]?.stringValue == "role-upgrade")
            let approved = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: try #require(upgrade.details?["requestId"]?.stringValue)))
            #expect(approved.device.roles == ["node", "operator"])
            #expect(approved.device.tokens?.map(\.role) == ["node", "operator"])
            let asNode = try #require(try await ConnectOutcome.attempt(node).client)
            #expect(asNode.hello.auth?.role == "node" && asNode.hello.auth?.scopes == [] && asNode.hello.auth?.deviceToken != nil)
            // Revoking the node token closes only the node socket; the operator role keeps working.
            let asOperator = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).client)
            _ = try await admin.deviceTokenRevoke(DeviceTokenRevokeParams(deviceId: device.deviceId, role: "node"))
            try await asNode.waitUntilClosed()
            _ = try await asOperator.request(GatewayMethod.status.rawValue)
            await asOperator.close()
            await admin.close()
        }
    }
}
