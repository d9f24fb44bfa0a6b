// Tests/Conformance/HTTP/ResponsesHarness.swift - a gateway serving /v1/responses over a scripted model, and an SSE reader

import AsyncHTTPClient
import Foundation
import Generated
import NIOCore
import NIOHTTP1
import ProtocolSupport
import Runtime
import TestUpstream

/// A fake model server, an in-process gateway using it (`local/test-model`) with `/v1/responses`
/// enabled or not, and an HTTP client for the gateway's port.
struct ResponsesHarness {
    let upstream: FakeModelServer
    let gateway: TestGateway
    let client: HTTPClient

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { gateway.url.replacingOccurrences(of: "ws://", with: "http://") }
    var token: String { gateway.token ?? "" }

    /// Runs `body` with a fresh upstream, gateway and client, and stops all three afterwards.
    static func with(
        _ replies: [FakeModelServer.Reply] = [], fallback: FakeModelServer.Reply? = nil, enabled: Bool = true,
        _ body: (ResponsesHarness) async throws -> Void
    ) async throws {
        let config: JSONValue = ["gateway": ["http": ["endpoints": ["responses": ["enabled": .bool(enabled)]]]]]
        try await HTTPStack.run(replies: replies, fallback: fallback, config: config) { stack in
            try await body(ResponsesHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client))
        }
    }

    /// An HTTP answer, its body read to the end.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
        var errorType: String? { json["error"]?["type"]?.stringValue }
    }

    private func request(_ method: HTTPMethod, _ path: String, body: ByteBuffer?, token: String??, headers: [String: String]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        let bearer = token ?? self.token
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if body != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        return request
    }

    /// Sends a request (the gateway's token unless `token` says otherwise; `.some(nil)` sends none).
    func send(
        _ method: HTTPMethod = .POST, _ path: String = "/v1/responses", body: String? = nil, bytes: ByteBuffer? = nil, token: String?? = nil,
        headers: [String: String] = [:]
    ) async throws -> Answer {
        let request = request(method, path, body: bytes ?? body.map { ByteBuffer(string: $0) }, token: token, headers: headers)
        let response = try await client.execute(request, timeout: .seconds(20))
        let buffer = try await response.body.collect(upTo: 1 << 24)
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    /// `send` with a JSON body.
    func post(_ body: JSONValue, headers: [String: String] = [:]) async throws -> Answer {
        try await send(body: body.text, headers: headers)
    }

    /// One server-sent event: its `event:` name and parsed `data:` (nil for `[DONE]`).
    struct Event {
        var name: String?
        var data: JSONValue?
        var raw: String
        var type: String? { data?["type"]?.stringValue }
    }

    /// Posts `body` and reads the event stream to its end (or until `until` returns true, then hangs up).
    func stream(_ body: JSONValue, until: (Event) -> Bool = { _ in false }) async throws -> (status: Int, headers: HTTPHeaders, events: [Event]) {
        let response = try await client.execute(
            request(.POST, "/v1/responses", body: ByteBuffer(string: body.text), token: nil, headers: [:]), timeout: .seconds(20))
        var events: [Event] = []
        var pending = ""
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let range = pending.range(of: "\n\n") {
                let block = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                guard let event = Self.parse(block) else { continue }
                events.append(event)
                if until(event) { return (Int(response.status.code), response.headers, events) }
            }
        }
        return (Int(response.status.code), response.headers, events)
    }

    static func parse(_ block: String) -> Event? {
        var name: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        guard !data.isEmpty else { return nil }
        let text = data.joined(separator: "\n")
        return Event(name: name, data: text == "[DONE]" ? nil : try? JSONValue.parse(text), raw: block)
    }

    /// The bodies the fake upstream received, oldest first.
    var upstreamBodies: [JSONValue] { upstream.requests.withLock { $0.map(\.body) } }
}
