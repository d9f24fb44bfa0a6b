// Tests/Conformance/Devices/DevicePairingEventsTests.swift - who hears of pairing requests

import Foundation
import Generated
import Runtime
import Testing

/// `device.pair.requested` / `.resolved` reach only connections holding `operator.pairing` or admin.
@Suite("Device pairing events", LocalAddress.skipWithoutLAN)
struct DevicePairingEventsTests {
    /// A device-less local backend with the shared token keeps the scopes it asks for.
    static func backend(_ url: String, token: String?, scopes: [String]) async throws -> WireClient {
        let socket = try await WireClient.connect(url)
        _ = try await socket.next()
        let request: JSONValue = [
            "type": "req", "id": "connect", "method": "connect",
            "params": [
                "minProtocol": 3, "maxProtocol": 3, "client": ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"],
                "role": "operator", "scopes": .array(scopes.map { .string($0) }), "auth": ["token": .string(token ?? "")],
            ],
        ]
        try await socket.send(request.text)
        let hello = try await GatewayBehaviourTests.next(socket) { $0["type"] == "res" }
        #expect(hello["ok"] == true)
        return socket
    }

    @Test func pairingEventsGoOnlyToPairingScopedConnections() async throws {
        try await LANGateway.with { lan in
            let reader = try await Self.backend(lan.localURL, token: lan.gateway.token, scopes: ["operator.read", "operator.write"])
            let pairing = try await Self.backend(lan.localURL, token: lan.gateway.token, scopes: ["operator.pairing"])
            let admin = try await lan.admin()

            let device = DeviceIdentity()
            let requestId = try #require(
                try await ConnectOutcome.attempt(lan.remote(device, token: lan.gateway.token)).error?.details?["requestId"]?.stringValue
            )
            let toPairing = try await GatewayBehaviourTests.next(pairing) { $0["event"] == "device.pair.requested" }
            #expect(toPairing["payload"]?["requestId"]?.stringValue == requestId)
            _ = try await admin.nextEvent("device.pair.requested")
            _ = try await admin.devicePairApprove(DevicePairRequestIdParams(requestId: requestId))
            let resolved = try await GatewayBehaviourTests.next(pairing) { $0["event"] == "device.pair.resolved" }
            #expect(resolved["payload"]?["decision"] == "approved")

            // Both events were broadcast before this request was answered; none reached the read/write socket.
            try await reader.send(#"{"type":"req","id":"after","method":"health"}"#)
            var seen: [String] = []
            _ = try await GatewayBehaviourTests.next(reader) { frame in
                if let name = frame["event"]?.stringValue { seen.append(name) }
                return frame["type"] == "res" && frame["id"] == "after"
            }
            #expect(!seen.contains { $0.hasPrefix("device.pair.") }, "\(seen)")
            await reader.close()
            await pairing.close()
            await admin.close()
        }
    }
}
