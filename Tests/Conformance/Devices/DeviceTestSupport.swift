// Tests/Conformance/Devices/DeviceTestSupport.swift - devices connecting from loopback or from this machine's LAN address

import Foundation
import Generated
import Runtime
import Testing

/// This machine's first non-loopback IPv4 address: connecting to it makes the gateway see a remote peer
/// without any traffic leaving the host. Nil on a machine with only loopback.
enum LocalAddress {
    static let nonLoopbackIPv4: String? = HostFacts.primaryLANIPv4

    /// Suites that connect as a remote peer are skipped, saying why, on a machine with only loopback.
    static let skipWithoutLAN = ConditionTrait.enabled(
        if: nonLoopbackIPv4 != nil, "this machine has no non-loopback IPv4 address to connect from as a remote peer"
    )
}

/// A gateway listening on 0.0.0.0 (bind `lan`) with the URLs to reach it as a local and as a remote peer.
struct LANGateway {
    let gateway: TestGateway
    let stateDir: String
    let port: Int
    let remoteIP: String

    var localURL: String { "ws://127.0.0.1:\(port)" }
    var remoteURL: String { "ws://\(remoteIP):\(port)" }

    static func start(
        _ setup: GatewaySetup = GatewaySetup(),
        stateDir: String = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-devices-\(UUID().uuidString)").path
    ) async throws -> LANGateway? {
        guard let ip = LocalAddress.nonLoopbackIPv4 else { return nil }
        var setup = setup
        setup.hosts = ["0.0.0.0"]
        let gateway = try await TestGateway.start(setup, stateDir: stateDir)
        let port = Int(gateway.url.split(separator: ":").last!)!
        return LANGateway(gateway: gateway, stateDir: stateDir, port: port, remoteIP: ip)
    }

    /// Runs `body` against a fresh LAN gateway and always stops it; records why when the machine has no LAN address.
    static func with(_ setup: GatewaySetup = GatewaySetup(), _ body: (LANGateway) async throws -> Void) async throws {
        // Callers' suites carry `LocalAddress.skipWithoutLAN`, so a missing address does not get here.
        guard let lan = try await start(setup) else { return }
        do {
            try await body(lan)
        } catch {
            await lan.gateway.stop()
            throw error
        }
        await lan.gateway.stop()
    }

    /// An operator on loopback with the shared token and the CLI's scopes (admin, approvals, pairing): paired silently.
    func admin(_ identity: DeviceIdentity = DeviceIdentity()) async throws -> GatewayClient {
        try await GatewayClient.connect(GatewayClientOptions(url: localURL, token: gateway.token, identity: identity))
    }

    /// Options for a device connecting from the LAN address.
    func remote(_ identity: DeviceIdentity, scopes: [String] = ["operator.read"], token: String? = nil, deviceToken: String? = nil) -> GatewayClientOptions {
        var options = GatewayClientOptions(url: remoteURL, token: token, identity: identity)
        options.deviceToken = deviceToken
        options.clientId = .test
        options.clientMode = .test
        options.displayName = "remote tester"
        options.scopes = scopes
        return options
    }
}

/// Connect outcomes, for expectations.
enum ConnectOutcome {
    case connected(GatewayClient)
    case rejected(ErrorShape)

    static func attempt(_ options: GatewayClientOptions) async throws -> ConnectOutcome {
        do {
            return .connected(try await GatewayClient.connect(options))
        } catch {
            guard case .rejected(_, let shape, _) = error else { throw error }
            return .rejected(shape)
        }
    }

    var error: ErrorShape? {
        if case .rejected(let shape) = self { return shape }
        return nil
    }

    var client: GatewayClient? {
        if case .connected(let client) = self { return client }
        return nil
    }
}

extension GatewayClient {
    /// The next event named `name` (others are skipped), or a failure after `timeout`.
    func nextEvent(
        _ name: String, timeout: Duration = .seconds(10), where filter: @escaping @Sendable (EventFrame) -> Bool = { _ in true }
    ) async throws -> EventFrame {
        let events = self.events
        return try await withTimeout(timeout, "event \(name)") {
            for await frame in events where frame.event == name && filter(frame) { return frame }
            throw WireClient.Timeout(what: "event \(name) (socket closed)")
        }
    }

    /// Waits until the gateway closes this socket (the event stream ends).
    func waitUntilClosed(timeout: Duration = .seconds(10)) async throws {
        let events = self.events
        try await withTimeout(timeout, "the socket to close") {
            for await _ in events {}
        }
    }
}

extension EventFrame {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try WireJSON.decode(T.self, from: WireJSON.encode(payload ?? .null))
    }
}

extension LANGateway {
    /// A raw socket from the LAN address that sends a connect signed by `identity`; for checking frames and closes exactly.
    func rawSignedConnect(_ identity: DeviceIdentity, scopes: [String] = ["operator.read"], protocolVersion: Int = 3) async throws -> WireClient {
        let socket = try await WireClient.connect(remoteURL)
        let challenge = try await GatewayBehaviourTests.next(socket) { $0["event"] == "connect.challenge" }
        let nonce = try #require(challenge["payload"]?["nonce"]?.stringValue)
        var params = ConnectParams(
            minProtocol: protocolVersion, maxProtocol: protocolVersion, client: ConnectClient(id: .test, version: "1.0.0", platform: "linux", mode: .test),
            role: "operator", scopes: scopes, auth: ConnectAuth(token: gateway.token)
        )
        params.device = try identity.sign(params, nonce: nonce)
        let request: JSONValue = [
            "type": "req", "id": "connect", "method": "connect", "params": try WireJSON.decode(JSONValue.self, from: WireJSON.encode(params)),
        ]
        try await socket.send(request.text)
        return socket
    }
}
