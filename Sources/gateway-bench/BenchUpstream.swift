// Sources/gateway-bench/BenchUpstream.swift - the fast model upstream of the agent runs, and its streams fetched directly

import AsyncHTTPClient
import Foundation
import NIOCore
import TestUpstream

/// A reply the upstream streams: `tokens` content chunks (each one SSE event, one write), `tok `
/// and a last `tok.`, so the text has no surrounding whitespace the gateway could trim.
struct BenchStream: Sendable {
    let tokens: Int
    /// The assistant text: the chunks joined.
    let text: String
    let reply: FakeModelServer.Reply
    /// The response body's size, to check that a direct fetch read all of it.
    let bytes: Int

    init(tokens: Int) {
        let chunks = (0..<tokens).map { $0 == tokens - 1 ? "tok." : "tok " }
        self.tokens = tokens
        self.text = chunks.joined()
        self.reply = OpenAIScript.text(chunks, completionTokens: tokens)
        self.bytes = reply.steps.reduce(0) { total, step in
            if case .send(let text) = step { return total + text.utf8.count }
            return total
        }
    }
}

/// A `FakeModelServer` in this process that answers every chat-completions request with `stream`,
/// written as fast as it can, unless another reply was `script`ed for the next requests. The
/// gateway's agent runs use it as their model; `fetchDirect` reads a stream without the gateway,
/// the baseline of the overhead.
final class BenchUpstream: Sendable {
    static let providerId = "local"
    static let model = "bench-model"

    /// The reply to every request not scripted otherwise.
    let stream: BenchStream
    /// `http://127.0.0.1:<port>/v1`
    let baseURL: String
    private let server: FakeModelServer

    private init(stream: BenchStream, baseURL: String, server: FakeModelServer) {
        self.stream = stream
        self.baseURL = baseURL
        self.server = server
    }

    /// Starts the server on an ephemeral loopback port.
    static func start(tokens: Int) async -> BenchUpstream {
        let stream = BenchStream(tokens: tokens)
        let server = FakeModelServer(replies: [], fallback: stream.reply)
        return BenchUpstream(stream: stream, baseURL: await server.start(), server: server)
    }

    /// The gateway's `openclaw.json`: this server as provider `local`, its model the default, up to
    /// 32 runs at once; `POST /v1/chat/completions` served when `chatCompletions`.
    /// - Parameter synchronous: `gateway.sessionStore.synchronous` (`full`, the default, or `normal`).
    func gatewayConfig(chatCompletions: Bool, synchronous: String = "full") -> String {
        #"""
        {"models":{"providers":{"\#(Self.providerId)":{"baseUrl":"\#(baseURL)","api":"openai-completions","apiKey":"bench","models":[{"id":"\#(Self.model)"}]}}},\#
        "agents":{"defaults":{"model":{"primary":"\#(Self.providerId)/\#(Self.model)"},"maxConcurrent":32}},\#
        "gateway":{"http":{"endpoints":{"chatCompletions":{"enabled":\#(chatCompletions)},"responses":{"enabled":\#(chatCompletions)}}},"sessionStore":{"synchronous":"\#(synchronous)"}}}
        """#
    }

    /// Answers the next `count` requests with `stream` instead of the default; only deterministic
    /// while requests arrive one at a time.
    func script(_ stream: BenchStream, count: Int) {
        server.enqueue(Array(repeating: stream.reply, count: count))
    }

    /// One streamed chat completion straight from the server, read to its end and checked to be
    /// `stream` (the default unless scripted); returns how long it took.
    func fetchDirect(_ stream: BenchStream? = nil) async throws -> Duration {
        let expected = (stream ?? self.stream).bytes
        var request = HTTPClientRequest(url: baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer bench")
        request.body = .bytes(
            ByteBuffer(string: #"{"model":"\#(Self.model)","stream":true,"messages":[{"role":"user","content":"hello"}]}"#)
        )
        let started = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        guard response.status == .ok else { throw BenchError("direct upstream fetch: HTTP \(response.status.code)") }
        var received = 0
        for try await chunk in response.body { received += chunk.readableBytes }
        let elapsed = ContinuousClock.now - started
        guard received == expected else { throw BenchError("direct upstream fetch: \(received) bytes, expected \(expected)") }
        return elapsed
    }

    func stop() async {
        await server.stop()
    }
}
