// Tests/Conformance/ProtocolVersionTests.swift - a v3 client and a v4 client on one gateway, each in its own shape

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

@Suite("Protocol 3 and 4 on one gateway")
struct ProtocolVersionTests {
    @Test func eachClientGetsHelloOkForItsVersionAndTheSamePresence() async throws {
        try await TestGateway.with { gateway in
            let (v3, hello3) = try await GatewayBehaviourTests.connected(gateway, protocolVersion: 3)
            let (v4, hello4) = try await GatewayBehaviourTests.connected(gateway, protocolVersion: 4)
            #expect(hello3["payload"]?["protocol"] == 3)
            #expect(hello4["payload"]?["protocol"] == 4)
            // v4 requires auth; v3 gets it too (always sent). Neither gets a field of the other's version.
            #expect(hello4["payload"]?["auth"]?["role"] == "operator")
            #expect(hello3["payload"]?["auth"]?["role"] == "operator")
            #expect(hello3["payload"]?["pluginSurfaceUrls"] == nil)
            #expect(hello4["payload"]?["canvasHostUrl"] == nil)
            #expect(hello4["payload"]?["server"]?.objectValue.map { Set($0.keys) } == ["version", "connId"])

            // A third client's connect reaches both as the same presence list.
            let (third, _) = try await GatewayBehaviourTests.connected(
                gateway, client: ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend", "instanceId": "third"], protocolVersion: 4
            )
            let hasThird: (JSONValue) -> Bool = { frame in
                frame["event"] == "presence" && frame["payload"]?["presence"]?.arrayValue?.contains { $0["instanceId"] == "third" } == true
            }
            let presence3 = try await GatewayBehaviourTests.next(v3, where: hasThird)
            let presence4 = try await GatewayBehaviourTests.next(v4, where: hasThird)
            let entry3 = presence3["payload"]?["presence"]?.arrayValue?.first { $0["instanceId"] == "third" }
            let entry4 = presence4["payload"]?["presence"]?.arrayValue?.first { $0["instanceId"] == "third" }
            #expect(entry3 != nil && entry3 == entry4)
            #expect(presence3["stateVersion"]?["presence"]?.intValue != nil)
            for socket in [v3, v4, third] { await socket.close() }
        }
    }

    @Test func aChatRunStreamsCumulativeDeltasToV3AndDeltaTextToV4() async throws {
        try await AgentHarness.with([ChatTests.slowHello]) { harness in
            let v3 = try await harness.connect(protocolVersion: 3)
            let v4 = try await harness.connect(protocolVersion: 4)
            defer {
                Task {
                    await v3.close()
                    await v4.close()
                }
            }
            #expect(try await v4.call("s", "chat.send", ["sessionKey": "main", "message": "Say hello", "idempotencyKey": "both"])["ok"] == true)
            let isFinal: (JSONValue) -> Bool = { $0["event"] == "chat" && $0["payload"]?["state"] == "final" }
            let deltas3 = try await v3.collect(until: isFinal).filter { $0["event"] == "chat" && $0["payload"]?["state"] == "delta" }.compactMap {
                $0["payload"]
            }
            let deltas4 = try await v4.collect(until: isFinal).filter { $0["event"] == "chat" && $0["payload"]?["state"] == "delta" }.compactMap {
                $0["payload"]
            }
            #expect(deltas3.count >= 2 && deltas3.count == deltas4.count)
            var sent = ""
            for (old, new) in zip(deltas3, deltas4) {
                // Both carry the cumulative message; only v4 says what is new.
                #expect(old["message"] == new["message"])
                #expect(old["deltaText"] == nil && old["replace"] == nil)
                sent += new["deltaText"]?.stringValue ?? "<none>"
                #expect(new["message"]?["content"]?[0]?["text"]?.stringValue == sent)
                #expect(new["replace"] == nil)
            }
        }
    }

    @Test func aRunErrorCarriesErrorKindForV4Only() async throws {
        try await AgentHarness.with([.error(401, #"{"error":{"message":"bad key"}}"#)]) { harness in
            let v3 = try await harness.connect(protocolVersion: 3)
            let v4 = try await harness.connect(protocolVersion: 4)
            defer {
                Task {
                    await v3.close()
                    await v4.close()
                }
            }
            #expect(try await v4.call("s", "chat.send", ["sessionKey": "main", "message": "hi", "idempotencyKey": "err"])["ok"] == true)
            let error3 = try await v3.event("chat") { $0["state"] == "error" }
            let error4 = try await v4.event("chat") { $0["state"] == "error" }
            #expect(error3["errorKind"] == nil)
            #expect(error4["errorKind"] == "unknown")
            #expect(error3["errorMessage"] == error4["errorMessage"])
        }
    }

    @Test func v4MethodParamsAreKnownToV4ConnectionsOnly() async throws {
        try await AgentHarness.with([.error(401, #"{"error":{"message":"bad key"}}"#)]) { harness in
            let v3 = try await harness.connect(protocolVersion: 3)
            let v4 = try await harness.connect(protocolVersion: 4)
            defer {
                Task {
                    await v3.close()
                    await v4.close()
                }
            }
            let params: JSONValue = ["sessionKey": "main", "agentId": "main", "message": "hi", "idempotencyKey": "v4-fields", "originatingChannel": "webchat"]
            let refused = try await v3.call("a", "chat.send", params)
            #expect(refused["error"]?["message"]?.stringValue?.contains("unexpected property") == true, "\(refused.text)")
            let accepted = try await v4.call("a", "chat.send", params)
            #expect(accepted["payload"]?["status"] == "started", "\(accepted.text)")
            // agentId picks the agent a short key belongs to; an unknown one is refused.
            let unknown = try await v4.call("b", "chat.history", ["sessionKey": "main", "agentId": "nobody"])
            #expect(unknown["payload"]?["sessionKey"] == "agent:nobody:main", "\(unknown.text)")
            // spawnedBy left the agent params in v4.
            let spawned = try await v4.call("c", "agent", ["message": "hi", "idempotencyKey": "sp", "spawnedBy": "agent:main:main"])
            #expect(spawned["error"]?["message"]?.stringValue?.contains("unexpected property 'spawnedBy'") == true, "\(spawned.text)")
        }
    }

    @Test func v4RequiresTheDeviceNonceAndKnowsItsOwnAuthFields() async throws {
        try await TestGateway.with { gateway in
            for (version, expected) in [(3, "unexpected property 'approvalRuntimeToken'"), (4, nil)] as [(Int, String?)] {
                let socket = try await WireClient.connect(gateway.url)
                _ = try await socket.next()
                let params: JSONValue = [
                    "minProtocol": .int(version), "maxProtocol": .int(version),
                    "client": ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"],
                    "auth": ["token": .string(gateway.token ?? ""), "approvalRuntimeToken": "x"],
                ]
                try await socket.send(JSONValue.object(["type": "req", "id": "c", "method": "connect", "params": params]).text)
                let response = try await GatewayBehaviourTests.next(socket) { $0["type"] == "res" }
                if let expected {
                    #expect(response["error"]?["message"] == .string("invalid connect params: at /auth: \(expected)"), "v\(version): \(response.text)")
                } else {
                    #expect(response["ok"] == true, "v\(version): \(response.text)")
                }
                await socket.close()
            }
        }
    }
}

@Suite("Protocol 3 and 4: pairing refusals", LocalAddress.skipWithoutLAN)
struct ProtocolVersionPairingTests {
    @Test func theNotPairedRefusalHasEachVersionsDetailsAndWording() async throws {
        try await LANGateway.with { lan in
            let v3 = try await lan.rawSignedConnect(DeviceIdentity(), protocolVersion: 3)
            let refusal3 = try await GatewayBehaviourTests.next(v3) { $0["type"] == "res" }
            let close3 = try await v3.waitForClose()
            let identity = DeviceIdentity()
            let v4 = try await lan.rawSignedConnect(identity, protocolVersion: 4)
            let refusal4 = try await GatewayBehaviourTests.next(v4) { $0["type"] == "res" }
            let close4 = try await v4.waitForClose()

            #expect(refusal3["error"]?["message"] == "pairing required")
            #expect(refusal3["error"]?["details"]?.objectValue.map { Set($0.keys) } == ["code", "reason", "requestId"])
            #expect(close3.code == 1008 && close3.reason == "pairing required")

            let details = refusal4["error"]?["details"]
            let requestId = try #require(details?["requestId"]?.stringValue)
            #expect(refusal4["error"]?["code"] == "NOT_PAIRED")
            #expect(refusal4["error"]?["message"] == "pairing required: device is not approved yet")
            #expect(details?["code"] == "PAIRING_REQUIRED" && details?["reason"] == "not-paired")
            #expect(details?["deviceId"] == .string(identity.deviceId))
            #expect(details?["requestedRole"] == "operator" && details?["requestedScopes"] == ["operator.read"])
            #expect(details?["remediationHint"]?.stringValue?.isEmpty == false)
            #expect(details?["approvedRoles"] == nil)
            #expect(close4.code == 1008 && close4.reason == "pairing required: device is not approved yet (requestId: \(requestId))")
            await v3.close()
            await v4.close()
        }
    }

    @Test func aSupersededRequestIsAnnouncedToV4OperatorsOnly() async throws {
        try await LANGateway.with { lan in
            let v4 = try await lan.admin()
            var options3 = GatewayClientOptions(url: lan.localURL, token: lan.gateway.token, identity: DeviceIdentity())
            options3.protocolVersions = 3...3
            let v3 = try await GatewayClient.connect(options3)
            #expect(v4.hello.protocol == 4 && v3.hello.protocol == 3)
            let device = DeviceIdentity()
            let first = try #require(try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).error?.details?["requestId"]?.stringValue)
            // More scopes: a new request replaces the first one.
            let wider = lan.remote(device, scopes: ["operator.read", "operator.write"], token: lan.gateway.token)
            let second = try #require(try await ConnectOutcome.attempt(wider).error?.details?["requestId"]?.stringValue)
            #expect(first != second)
            let superseded = try await v4.nextEvent("device.pair.resolved") { $0.payload?["requestId"]?.stringValue == first }
            #expect(superseded.payload?["decision"] == "superseded")
            // The v3 operator's next resolved event is the second request's rejection, not the first one's replacement.
            _ = try await v4.devicePairReject(DevicePairRequestIdParams(requestId: second))
            let resolved3 = try await v3.nextEvent("device.pair.resolved")
            #expect(resolved3.payload?["requestId"] == .string(second) && resolved3.payload?["decision"] == "rejected")
            await v3.close()
            await v4.close()
        }
    }
}
