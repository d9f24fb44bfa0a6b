// Sources/gateway-bench/ChatCompletionsBench.swift - `POST /v1/chat/completions` through the gateway against the upstream directly

import AsyncHTTPClient
import Foundation
import NIOCore

/// The OpenAI-compatible endpoint's cost: the same chat-completions request sent through the gateway
/// (an agent run per request, answered as one JSON body or as SSE chunks) and straight to the fast
/// upstream, each closed-loop with 1 and `httpClients` concurrent clients for `httpSeconds`:
/// requests per second, p50/p99 latency, the added p50 and the throughput ratio.
///
/// Requests carry no `user`, so each one is a new session (the stateless case most clients are);
/// a last run with a fixed `user` (one session, non-streaming, one client) shows what that costs.
/// Latency is request → whole body (non-streaming) or request → `data: [DONE]` (streaming), and
/// every answer is checked to carry the upstream's whole text. The upstream always streams, so its
/// baseline is the stream the gateway itself consumes, whatever the request's `stream` says.
/// Streamed requests to the gateway open a new connection each (see `request`).
struct ChatCompletionsBench {
    let options: BenchOptions
    let gateway: GatewayProcess
    let upstream: BenchUpstream
    let report: Report

    /// Where a request goes: the gateway's chat completions or Responses endpoint, or the upstream directly.
    private enum Target: String {
        case gateway, responses, upstream
    }

    /// One closed-loop run's numbers.
    private struct Phase {
        var latencies: [Duration]
        var elapsed: Duration
        /// The gateway's CPU time over the measured requests (zero for the upstream's own phases).
        var gatewayCPUMs: Double
        var cpuPerRequestMs: Double { gatewayCPUMs / Double(max(latencies.count, 1)) }
        var perSecond: Double { Double(latencies.count) / elapsed.seconds }
        var p50: Duration { Percentiles(latencies)(50) }
        var p99: Duration { Percentiles(latencies)(99) }
    }

    func run() async throws {
        // Its own client: the shared one allows 8 connections per host, fewer than the concurrent clients.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(options.httpClients, 1) * 2)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await measure(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func measure(_ client: HTTPClient) async throws {
        let concurrency = Array(Set([1, options.httpClients])).sorted()
        for stream in [false, true] {
            let mode = stream ? "streaming" : "non-streaming"
            for clients in concurrency {
                let key = "chat_\(stream ? "stream" : "json")_\(clients)c"
                let noun = clients == 1 ? "client" : "clients"
                let viaGateway = try await phase(.gateway, stream: stream, clients: clients, client: client)
                let direct = try await phase(.upstream, stream: stream, clients: clients, client: client)
                report.record(
                    "\(key)_gateway_per_s", viaGateway.perSecond, decimals: 0, unit: "req/s",
                    label: "chat completions \(mode), \(clients) \(noun)"
                )
                report.recordMs("\(key)_gateway_p50_ms", viaGateway.p50, label: "… through the gateway p50")
                report.recordMs("\(key)_gateway_p99_ms", viaGateway.p99, label: "… through the gateway p99")
                report.record("\(key)_gateway_cpu_ms", viaGateway.cpuPerRequestMs, decimals: 3, unit: "ms", label: "… gateway CPU per request")
                report.record("\(key)_upstream_per_s", direct.perSecond, decimals: 0, unit: "req/s", label: "… straight to the upstream")
                report.recordMs("\(key)_upstream_p50_ms", direct.p50, label: "… straight to the upstream p50")
                report.recordMs("\(key)_added_p50_ms", viaGateway.p50 - direct.p50, label: "… added latency (p50 − upstream p50)")
                report.record(
                    "\(key)_throughput_ratio", viaGateway.perSecond / direct.perSecond, decimals: 3, unit: "×",
                    label: "… throughput, gateway / upstream"
                )
            }
        }
        // `POST /v1/responses` (non-streaming): the same run behind the other OpenAI-compatible endpoint.
        for clients in concurrency {
            let noun = clients == 1 ? "client" : "clients"
            let viaGateway = try await phase(.responses, stream: false, clients: clients, client: client)
            let direct = try await phase(.upstream, stream: false, clients: clients, client: client)
            let key = "responses_json_\(clients)c"
            report.record("\(key)_gateway_per_s", viaGateway.perSecond, decimals: 0, unit: "req/s", label: "responses non-streaming, \(clients) \(noun)")
            report.recordMs("\(key)_gateway_p50_ms", viaGateway.p50, label: "… through the gateway p50")
            report.record("\(key)_gateway_cpu_ms", viaGateway.cpuPerRequestMs, decimals: 3, unit: "ms", label: "… gateway CPU per request")
            report.record("\(key)_upstream_per_s", direct.perSecond, decimals: 0, unit: "req/s", label: "… straight to the upstream")
            report.recordMs("\(key)_added_p50_ms", viaGateway.p50 - direct.p50, label: "… added latency (p50 − upstream p50)")
            report.record(
                "\(key)_throughput_ratio", viaGateway.perSecond / direct.perSecond, decimals: 3, unit: "×", label: "… throughput, gateway / upstream"
            )
        }
        // The same with a fixed `user`: one session, so what a new session costs drops out.
        let oneSession = try await phase(.gateway, stream: false, clients: 1, client: client, user: "bench-user")
        report.record(
            "chat_json_1c_user_gateway_per_s", oneSession.perSecond, decimals: 0, unit: "req/s",
            label: "chat completions non-streaming, 1 session"
        )
        report.recordMs("chat_json_1c_user_gateway_p50_ms", oneSession.p50, label: "… through the gateway p50 (fixed `user`)")
        report.record("rss_http_mb", try gateway.memoryMB(), decimals: 1, unit: "MB", label: "gateway RSS after the HTTP requests")
    }

    /// `clients` closed loops (each sends the next request when its last answer is complete): three
    /// unmeasured requests each, then every request that starts within `httpSeconds`.
    private func phase(_ target: Target, stream: Bool, clients: Int, client: HTTPClient, user: String? = nil) async throws -> Phase {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask { for _ in 0..<3 { _ = try await request(target, stream: stream, client: client, user: user) } }
            }
            try await group.waitForAll()
        }
        let cpuBefore = target == .upstream ? 0 : try gateway.cpuMilliseconds()
        let started = ContinuousClock.now
        let until = started + .seconds(options.httpSeconds)
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var samples: [Duration] = []
                    while ContinuousClock.now < until { samples.append(try await request(target, stream: stream, client: client, user: user)) }
                    return samples
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        let cpu = target == .upstream ? 0 : try gateway.cpuMilliseconds() - cpuBefore
        return Phase(latencies: latencies, elapsed: elapsed, gatewayCPUMs: cpu)
    }

    /// One request, timed to its complete answer, then checked; `user` pins the gateway's session.
    private func request(_ target: Target, stream: Bool, client: HTTPClient, user: String? = nil) async throws -> Duration {
        var request: HTTPClientRequest
        let model: String
        switch target {
        case .gateway:
            request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway.port)/v1/chat/completions")
            request.headers.add(name: "authorization", value: "Bearer \(gateway.token)")
            // The gateway closes the connection after a stream (Hummingbird's inbound-close handling)
            // without saying so; a pooled connection reused after that fails. Each stream gets its own.
            if stream { request.headers.add(name: "connection", value: "close") }
            model = "openclaw"
        case .responses:
            request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway.port)/v1/responses")
            request.headers.add(name: "authorization", value: "Bearer \(gateway.token)")
            model = "openclaw"
        case .upstream:
            request = HTTPClientRequest(url: upstream.baseURL + "/chat/completions")
            request.headers.add(name: "authorization", value: "Bearer bench")
            model = BenchUpstream.model
        }
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        let userMember = user.map { #","user":"\#($0)""# } ?? ""
        request.body = .bytes(
            ByteBuffer(
                string: target == .responses
                    ? #"{"model":"\#(model)","input":"hi"\#(userMember)}"#
                    : #"{"model":"\#(model)","messages":[{"role":"user","content":"hi"}],"stream":\#(stream)\#(userMember)}"#
            )
        )

        let done = Array("data: [DONE]\n\n".utf8)
        let started = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(30))
        var body = ByteBuffer()
        var finished: ContinuousClock.Instant?
        for try await chunk in response.body {
            var chunk = chunk
            body.writeBuffer(&chunk)
            // Streams end at `[DONE]`; whatever follows (the chunked encoding's end) is not waited for.
            if finished == nil, target == .upstream || stream, body.readableBytesView.suffix(done.count).elementsEqual(done) {
                finished = .now
            }
        }
        let elapsed = (finished ?? .now) - started
        let text = String(buffer: body)
        guard response.status == .ok else { throw BenchError("\(target.rawValue) chat completion: HTTP \(response.status.code): \(text.prefix(300))") }
        switch target {
        case .upstream:
            guard body.readableBytes == upstream.stream.bytes else {
                throw BenchError("upstream chat completion: \(body.readableBytes) bytes, expected \(upstream.stream.bytes)")
            }
        case .gateway:
            let content = stream ? try Self.streamedContent(text) : try Self.content(body)
            guard content == upstream.stream.text else {
                throw BenchError("gateway chat completion (stream: \(stream)) answered \(content.prefix(100).debugDescription), expected the upstream's text")
            }
        case .responses:
            let content = try Self.outputText(body)
            guard content == upstream.stream.text else {
                throw BenchError("gateway response answered \(content.prefix(100).debugDescription), expected the upstream's text")
            }
        }
        return elapsed
    }

    private struct ResponseObject: Decodable {
        struct Item: Decodable {
            struct Part: Decodable { let text: String? }
            let content: [Part]?
        }
        let output: [Item]
    }

    /// Every `output_text` of a Responses answer, joined.
    private static func outputText(_ body: ByteBuffer) throws -> String {
        let response = try JSONDecoder().decode(ResponseObject.self, from: Data(body.readableBytesView))
        return response.output.flatMap { $0.content ?? [] }.compactMap(\.text).joined()
    }

    private struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { let content: String? }
            let message: Message
        }
        let choices: [Choice]
    }

    private struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { let content: String? }
            let delta: Delta?
        }
        let choices: [Choice]
    }

    /// `choices[0].message.content` of a non-streaming answer.
    private static func content(_ body: ByteBuffer) throws -> String {
        let completion = try JSONDecoder().decode(Completion.self, from: Data(body.readableBytesView))
        return completion.choices.first?.message.content ?? ""
    }

    /// The deltas' content joined; the stream must end with `data: [DONE]`.
    private static func streamedContent(_ text: String) throws -> String {
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        guard events.last == "data: [DONE]" else { throw BenchError("gateway chat completion stream did not end with [DONE]: \(text.suffix(200))") }
        var content = ""
        for event in events.dropLast() {
            guard event.hasPrefix("data: ") else { throw BenchError("unexpected stream event: \(event.prefix(200))") }
            let chunk = try JSONDecoder().decode(Chunk.self, from: Data(event.dropFirst(6).utf8))
            content += chunk.choices.first?.delta?.content ?? ""
        }
        return content
    }
}
