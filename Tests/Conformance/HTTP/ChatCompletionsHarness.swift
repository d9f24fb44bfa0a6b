// Tests/Conformance/HTTP/ChatCompletionsHarness.swift - a gateway with the OpenAI-compatible endpoints over a scripted model

import AsyncHTTPClient
import Foundation
import Generated
import NIOCore
import NIOHTTP1
import ProtocolSupport
import Runtime
import TestUpstream

/// A fake model server, an in-process gateway using it (`local/test-model`) with the chosen HTTP
/// endpoints enabled, and an HTTP client for the gateway's port.
struct ChatCompletionsHarness {
    let upstream: FakeModelServer
    let gateway: TestGateway
    let client: HTTPClient
    let stateDir: String

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { gateway.url.replacingOccurrences(of: "ws://", with: "http://") }
    var token: String { gateway.token ?? "" }

    /// Two agents: `main` (the default, named Mainly) and `ops` (named Opsy).
    static let twoAgents =
        #""defaults":{"model":{"primary":"local/test-model"},"timeoutSeconds":30},"list":[{"id":"main","default":true,"identity":{"name":"Mainly"}},{"id":"ops","identity":{"name":"Opsy"}}]"#

    /// Runs `body` with a fresh upstream, gateway and client, and stops all three afterwards.
    static func with(
        _ replies: [FakeModelServer.Reply] = [], fallback: FakeModelServer.Reply? = nil, chatCompletions: Bool = true, responses: Bool = false,
        agents: String = twoAgents, _ body: (ChatCompletionsHarness) async throws -> Void
    ) async throws {
        let endpoints: JSONValue = ["chatCompletions": ["enabled": .bool(chatCompletions)], "responses": ["enabled": .bool(responses)]]
        let config: JSONValue = ["gateway": ["http": ["endpoints": endpoints]], "agents": try JSONValue.parse("{\(agents)}")]
        try await HTTPStack.run(replies: replies, fallback: fallback, config: config) { stack in
            try await body(ChatCompletionsHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir))
        }
    }

    /// An HTTP answer, its body read to the end.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
        /// `{"error":{"message"}}`.
        var errorMessage: String? { json["error"]?["message"]?.stringValue }
        var errorType: String? { json["error"]?["type"]?.stringValue }
    }

    /// Sends a request (the gateway's token unless `token` says otherwise; nil sends none).
    func send(
        _ method: HTTPMethod = .POST, _ path: String = "/v1/chat/completions", body: String? = nil, token: String?? = .some(nil),
        headers: [String: String] = [:], limit: Int = 1 << 24
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        switch token {
        case .some(.some(let value)): request.headers.add(name: "Authorization", value: "Bearer \(value)")
        case .some(.none): request.headers.add(name: "Authorization", value: "Bearer \(self.token)")
        case .none: break
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: limit)
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: bytes))
    }

    /// POSTs a Chat Completions body given as a JSON value.
    func complete(_ body: JSONValue, headers: [String: String] = [:]) async throws -> Answer {
        try await send(body: body.text, headers: headers)
    }

    /// The `data:` payloads of an SSE body, in order (`[DONE]` included as a string).
    static func events(_ text: String) -> [String] {
        text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n").filter { $0.hasPrefix("data: ") }
            return lines.isEmpty ? nil : lines.map { String($0.dropFirst(6)) }.joined(separator: "\n")
        }
    }

    /// The JSON chunks of an SSE body (without `[DONE]`).
    static func chunks(_ text: String) -> [JSONValue] {
        events(text).filter { $0 != "[DONE]" }.compactMap { try? JSONValue.parse($0) }
    }

    /// The `messages` the upstream got in its `index`th request.
    func upstreamMessages(_ index: Int = 0) -> [JSONValue] {
        upstream.requests.withLock { $0.indices.contains(index) ? $0[index].body["messages"]?.arrayValue ?? [] : [] }
    }

    /// The session keys the gateway knows, over its WebSocket.
    func sessionKeys() async throws -> [String] {
        let socket = try await AgentHarness(upstream: upstream, gateway: gateway, stateDir: stateDir).connect()
        defer { Task { await socket.close() } }
        let list = try await socket.call("l", "sessions.list", [:])
        return list["payload"]?["sessions"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
    }
}
