// Tests/Conformance/Agents/AgentHarness.swift - a gateway whose model is a scripted upstream started by the test

import Crypto
import Foundation
import Generated
import ProtocolSupport
import Runtime
import TestUpstream

/// A fake model server plus an in-process gateway configured to use it (`local/test-model`).
struct AgentHarness {
    let upstream: FakeModelServer
    let gateway: TestGateway
    let stateDir: String

    /// Runs `body` with a fresh upstream and gateway, and stops both afterwards.
    static func with(
        _ replies: [FakeModelServer.Reply], fallback: FakeModelServer.Reply? = nil, agents: String = "", stateDir: String? = nil,
        _ body: (AgentHarness) async throws -> Void
    ) async throws {
        let upstream = FakeModelServer(replies: replies, fallback: fallback)
        let baseURL = await upstream.start()
        let dir = stateDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-agents-\(UUID().uuidString)").path
        let config = try config(baseURL: baseURL, agents: agents)
        let gateway: TestGateway
        do {
            gateway = try await TestGateway.start(config: config, stateDir: dir)
        } catch {
            await upstream.stop()
            throw error
        }
        let harness = AgentHarness(upstream: upstream, gateway: gateway, stateDir: dir)
        do {
            try await body(harness)
        } catch {
            await gateway.stop()
            await upstream.stop()
            throw error
        }
        await gateway.stop()
        await upstream.stop()
    }

    /// The config: one provider `local` at the fake upstream, `local/test-model` as the default model.
    static func config(baseURL: String, agents: String = "") throws -> OpenClawConfig {
        let defaults = agents.isEmpty ? #""defaults":{"model":{"primary":"local/test-model"},"timeoutSeconds":30}"# : agents
        let text =
            #"{"models":{"providers":{"local":{"baseUrl":"\#(baseURL)","api":"openai-completions","apiKey":"test-key","models":[{"id":"test-model","name":"Test Model","contextWindow":4096}]}}},"agents":{\#(defaults)}}"#
        return try WireJSON.decode(OpenClawConfig.self, from: Data(text.utf8))
    }

    /// A connected operator socket (admin unless told otherwise). Clients other than a backend
    /// `gateway-client` keep their scopes only with a device identity: `device: true` signs one.
    func connect(
        caps: [String] = [], scopes: JSONValue = ["operator.admin"], client: JSONValue? = nil, device: Bool = false, protocolVersion: Int = 3
    ) async throws -> AgentSocket {
        let socket = try await WireClient.connect(gateway.url)
        guard case .text(let challenge) = try await socket.next() else { throw HarnessError("no connect.challenge") }
        var params: JSONValue = [
            "minProtocol": .int(protocolVersion), "maxProtocol": .int(protocolVersion),
            "client": client ?? ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"],
            "role": "operator", "scopes": scopes, "auth": ["token": .string(gateway.token ?? "")],
        ]
        if !caps.isEmpty { params = params.merging(JSONValue.object(["caps": .array(caps.map { .string($0) })])) }
        if device {
            let nonce = try JSONValue.parse(challenge)["payload"]?["nonce"]?.stringValue ?? ""
            params = params.merging(["device": try Self.signedDevice(params, nonce: nonce)])
        }
        try await socket.send(JSONValue.object(["type": "req", "id": "connect", "method": "connect", "params": params]).text)
        let agentSocket = AgentSocket(socket: socket)
        let hello = try await agentSocket.next { $0["type"] == "res" }
        guard hello["ok"] == true else { throw HarnessError("connect failed: \(hello.text)") }
        return agentSocket
    }

    /// A fresh device identity signed over the v3 payload of `params` (loopback devices need no pairing).
    private static func signedDevice(_ params: JSONValue, nonce: String) throws -> JSONValue {
        let key = Curve25519.Signing.PrivateKey()
        let rawPublic = key.publicKey.rawRepresentation
        let deviceId = DeviceID.derive(publicKey: rawPublic)
        let signedAt = Int(Date().timeIntervalSince1970 * 1000)
        let decoded = try JSONDecoder().decode(ConnectParams.self, from: Data(params.text.utf8))
        let device = ConnectDevice(id: deviceId, publicKey: Base64URL.encode(rawPublic), signature: "", signedAt: signedAt, nonce: nonce)
        let payload = DevicePayload.v3(
            device: device, params: decoded, role: decoded.role ?? "operator", scopes: decoded.scopes ?? [], token: decoded.auth?.token ?? "", nonce: nonce
        )
        let signature = Base64URL.encode(try key.signature(for: Data(payload.utf8)))
        return [
            "id": .string(deviceId), "publicKey": .string(Base64URL.encode(rawPublic)), "signature": .string(signature), "signedAt": .int(signedAt),
            "nonce": .string(nonce),
        ]
    }
}

/// A socket with helpers for requests and awaited frames.
struct AgentSocket {
    let socket: WireClient

    func send(_ id: String, _ method: String, _ params: JSONValue) async throws {
        try await socket.send(JSONValue.object(["type": "req", "id": .string(id), "method": .string(method), "params": params]).text)
    }

    /// Sends a request and returns its (first) response.
    func call(_ id: String, _ method: String, _ params: JSONValue, timeout: Duration = .seconds(20)) async throws -> JSONValue {
        try await send(id, method, params)
        return try await response(id, timeout: timeout)
    }

    func response(_ id: String, timeout: Duration = .seconds(20)) async throws -> JSONValue {
        try await next(timeout: timeout) { $0["type"] == "res" && $0["id"] == .string(id) }
    }

    /// The next event named `name` matching `filter`.
    func event(_ name: String, timeout: Duration = .seconds(20), where filter: (JSONValue) -> Bool = { _ in true }) async throws -> JSONValue {
        try await next(timeout: timeout) { $0["type"] == "event" && $0["event"] == .string(name) && filter($0["payload"] ?? .null) }["payload"] ?? .null
    }

    /// Every frame until (and including) the first matching `until`.
    func collect(timeout: Duration = .seconds(20), until: (JSONValue) -> Bool) async throws -> [JSONValue] {
        var frames: [JSONValue] = []
        let deadline = ContinuousClock.now + timeout
        while true {
            let frame = try await nextFrame(timeout: deadline - ContinuousClock.now)
            frames.append(frame)
            if until(frame) { return frames }
        }
    }

    func next(timeout: Duration = .seconds(20), where filter: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let frame = try await nextFrame(timeout: deadline - ContinuousClock.now)
            if filter(frame) { return frame }
        }
    }

    private func nextFrame(timeout: Duration) async throws -> JSONValue {
        guard timeout > .zero else { throw WireClient.Timeout(what: "a matching frame") }
        switch try await socket.next(timeout: timeout) {
        case .text(let text): return try JSONValue.parse(text)
        case .closed(let code, let reason): throw HarnessError("socket closed (\(code.map(String.init) ?? "-")) \(reason ?? "")")
        }
    }

    /// Reads frames until each of `filters` has matched one (in any order); returns the matches in
    /// the order of `filters`. Frames that match none are skipped.
    func each(timeout: Duration = .seconds(20), _ filters: [(JSONValue) -> Bool]) async throws -> [JSONValue] {
        var found: [JSONValue?] = Array(repeating: nil, count: filters.count)
        let deadline = ContinuousClock.now + timeout
        while found.contains(where: { $0 == nil }) {
            let frame = try await nextFrame(timeout: deadline - ContinuousClock.now)
            if let index = filters.indices.first(where: { found[$0] == nil && filters[$0](frame) }) { found[index] = frame }
        }
        return found.map { $0! }
    }

    /// Every frame until the gateway closes the socket, and the close code.
    func drain(timeout: Duration = .seconds(10)) async throws -> (frames: [JSONValue], closeCode: UInt16?) {
        var frames: [JSONValue] = []
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw WireClient.Timeout(what: "the socket to close") }
            switch try await socket.next(timeout: remaining) {
            case .text(let text): frames.append(try JSONValue.parse(text))
            case .closed(let code, _): return (frames, code)
            }
        }
    }

    func close() async { await socket.close() }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
