// Tests/Conformance/HTTP/HooksHarness.swift - a gateway with hooks and /tools/invoke over a scripted model

import AsyncHTTPClient
import Foundation
import Generated
import NIOCore
import NIOHTTP1
import ProtocolSupport
import Runtime
import TestUpstream

/// A fake model server, an in-process gateway using it (`local/test-model`, agents `main` and
/// `ops`) with extra config merged in (`hooks`, `gateway.tools` …), and an HTTP client.
struct HooksHarness {
    let upstream: FakeModelServer
    let gateway: TestGateway
    let client: HTTPClient
    let stateDir: String

    static let hookToken = "hook-secret-token"

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { gateway.url.replacingOccurrences(of: "ws://", with: "http://") }
    var token: String { gateway.token ?? "" }

    /// Hooks on with `hookToken`, plus `hooks` overrides.
    static func hooks(_ overrides: JSONValue = [:]) -> JSONValue {
        ["hooks": JSONValue.object(["enabled": true, "token": .string(hookToken)]).merging(overrides)]
    }

    /// Runs `body` with a fresh upstream, gateway and client, and stops all three afterwards.
    static func with(
        config extra: JSONValue = [:], setup: GatewaySetup = .standard, replies: [FakeModelServer.Reply] = [], fallback: FakeModelServer.Reply? = nil,
        _ body: (HooksHarness) async throws -> Void
    ) async throws {
        let agents: JSONValue = ["list": [["id": "main", "default": true], ["id": "ops"]]]
        try await HTTPStack.run(replies: replies, fallback: fallback, setup: setup, config: JSONValue.object(["agents": agents]).merging(extra)) { stack in
            try await body(HooksHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir))
        }
    }

    /// An HTTP answer, its body read to the end.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
        var contentType: String { headers.first(name: "Content-Type") ?? "" }
    }

    /// Sends `body` to `path` with exactly `headers` (no credentials unless given).
    func send(_ method: HTTPMethod = .POST, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: bytes))
    }

    /// POSTs to a hook with the hook token as a bearer.
    func hook(_ path: String, _ body: JSONValue, headers: [String: String] = [:]) async throws -> Answer {
        try await send(.POST, path, body: body.text, headers: ["Authorization": "Bearer \(Self.hookToken)"].merging(headers) { $1 })
    }

    /// POSTs to `/tools/invoke` with the gateway token.
    func invoke(_ body: JSONValue) async throws -> Answer {
        try await send(.POST, "/tools/invoke", body: body.text, headers: ["Authorization": "Bearer \(token)"])
    }

    /// The session keys the gateway knows, over its WebSocket.
    func sessionKeys() async throws -> [String] {
        let socket = try await AgentHarness(upstream: upstream, gateway: gateway, stateDir: stateDir).connect()
        let list = try await socket.call("l", "sessions.list", [:])
        await socket.close()
        return list["payload"]?["sessions"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
    }
}
