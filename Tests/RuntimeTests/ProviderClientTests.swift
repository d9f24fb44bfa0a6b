// Tests/RuntimeTests/ProviderClientTests.swift - model provider clients against a real local HTTP upstream

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

/// Drains a stream, keeping what arrived before an error.
private func collect(_ stream: AsyncThrowingStream<ModelEvent, any Error>) async -> (events: [ModelEvent], error: (any Error)?) {
    var events: [ModelEvent] = []
    do {
        for try await event in stream { events.append(event) }
        return (events, nil)
    } catch {
        return (events, error)
    }
}

private func text(_ events: [ModelEvent]) -> String {
    events.map { if case .textDelta(let text) = $0 { text } else { "" } }.joined()
}

private func data(_ json: String) -> FakeModelServer.Step { .send("data: \(json)\n\n") }

private func anthropic(_ type: String, _ json: String) -> FakeModelServer.Step { .send("event: \(type)\ndata: \(json)\n\n") }

private let hello = ModelRequest(model: "m1", messages: [ModelMessage(role: .system, content: "be brief"), ModelMessage(role: .user, content: "hi")])
private let fast = ProviderTimeouts(connect: .seconds(5), firstToken: .seconds(5), idle: .seconds(5), total: .seconds(10))
private let noWait = ProviderRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))

/// Runs `body` against a fake upstream with `replies`, always stopping the server.
private func withServer<T>(_ replies: [FakeModelServer.Reply], _ body: (FakeModelServer, String) async throws -> T) async throws -> T {
    let server = FakeModelServer(replies: replies)
    let baseURL = await server.start()
    do {
        let result = try await body(server, baseURL)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

private func openAI(_ baseURL: String, timeouts: ProviderTimeouts = fast, retry: ProviderRetryPolicy = noWait) -> OpenAICompletionsProvider {
    OpenAICompletionsProvider(id: "local", baseURL: baseURL, apiKey: "sk-test", timeouts: timeouts, retry: retry)
}

private let openAIText: [FakeModelServer.Step] = [
    data(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#),
    data(#"{"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#),
    data(#"{"choices":[{"index":0,"delta":{"content":"lo, "}}]}"#),
    data(#"{"choices":[{"index":0,"delta":{"content":"wörld 🌍"}}]}"#),
    data(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
    data(#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}"#),
    .send("data: [DONE]\n\n"),
]

@Suite("SSE parser")
struct SSEParserTests {
    static let stream =
        "event: one\r\ndata: first\r\ndata: second\r\n\r\n: a comment\n\nid: 7\ndata:{\"x\":\"é🌍\"}\n\ndata: cr only\r\rdata\n\nevent: ignored-without-data\n\n"
    static let expected = [
        SSEEvent(event: "one", data: "first\nsecond"),
        SSEEvent(data: #"{"x":"é🌍"}"#, id: "7"),
        SSEEvent(data: "cr only", id: "7"),
        SSEEvent(data: "", id: "7"),
    ]

    @Test func parsesFieldsCommentsAndAllLineEndings() {
        var parser = SSEParser()
        #expect(parser.feed(Array(Self.stream.utf8)) == Self.expected)
        #expect(parser.finish() == nil)
    }

    @Test func everySplitPointGivesTheSameEvents() {
        let bytes = Array(Self.stream.utf8)
        for split in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            #expect(events == Self.expected, "split at \(split)")
        }
    }

    @Test func byteByByteGivesTheSameEvents() {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in Self.stream.utf8 { events += parser.feed([byte]) }
        #expect(events == Self.expected)
    }

    @Test func anEventWithoutItsBlankLineIsDispatchedAtTheEnd() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish() == SSEEvent(data: "tail"))
    }
}

@Suite("Model provider clients")
struct ProviderClientTests {
    @Test func openAITextStreamsInOrderWithUsage() async throws {
        try await withServer([.sse(openAIText)]) { server, baseURL in
            var request = hello
            request.tools = [ModelTool(name: "current_time", description: "now", parameters: ["type": "object", "properties": [:]])]
            request.maxTokens = 100
            request.temperature = 0.5
            let (events, error) = await collect(openAI(baseURL).stream(request))
            #expect(error == nil)
            #expect(
                events == [
                    .textDelta("Hel"), .textDelta("lo, "), .textDelta("wörld 🌍"),
                    .usage(ModelUsage(inputTokens: 12, outputTokens: 4)), .finish(.endTurn),
                ])
            let recorded = try #require(server.requests.withLock { $0.first })
            #expect(recorded.path == "/v1/chat/completions")
            #expect(recorded.headers["authorization"] == "Bearer sk-test")
            #expect(recorded.body["stream"] == true)
            #expect(recorded.body["stream_options"]?["include_usage"] == true)
            #expect(recorded.body["model"] == "m1")
            #expect(recorded.body["max_tokens"] == 100)
            #expect(recorded.body["messages"]?.arrayValue?.count == 2)
            #expect(recorded.body["tools"]?.arrayValue?.first?["function"]?["name"] == "current_time")
        }
    }

    @Test func openAIToolCallsAreAssembledFromFragments() async throws {
        let steps: [FakeModelServer.Step] = [
            data(
                #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"current_time","arguments":""}}]}}]}"#
            ),
            data(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"tz\":"}}]}}]}"#),
            data(
                #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"sessions_list","arguments":"{}"}}]}}]}"#
            ),
            data(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"UTC\"}"}}]}}]}"#),
            data(#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":null}"#),
            data(#"{"choices":[],"usage":{"prompt_tokens":30,"completion_tokens":9}}"#),
            .send("data: [DONE]\n\n"),
        ]
        try await withServer([.sse(steps)]) { _, baseURL in
            let (events, error) = await collect(openAI(baseURL).stream(hello))
            #expect(error == nil)
            #expect(
                events == [
                    .toolCallStarted(id: "call_a", name: "current_time"),
                    .toolCallArgumentsDelta(id: "call_a", delta: #"{"tz":"#),
                    .toolCallStarted(id: "call_b", name: "sessions_list"),
                    .toolCallArgumentsDelta(id: "call_b", delta: "{}"),
                    .toolCallArgumentsDelta(id: "call_a", delta: #""UTC"}"#),
                    .toolCallFinished(ModelToolCall(id: "call_a", name: "current_time", arguments: #"{"tz":"UTC"}"#)),
                    .toolCallFinished(ModelToolCall(id: "call_b", name: "sessions_list", arguments: "{}")),
                    .usage(ModelUsage(inputTokens: 30, outputTokens: 9)),
                    .finish(.toolUse),
                ])
        }
    }

    @Test func anthropicTextAndToolCallsAreAssembled() async throws {
        let steps: [FakeModelServer.Step] = [
            anthropic(
                "message_start",
                #"{"type":"message_start","message":{"id":"msg_1","role":"assistant","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}"#),
            anthropic("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            anthropic("ping", #"{"type":"ping"}"#),
            anthropic("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}}"#),
            anthropic("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"check."}}"#),
            anthropic("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            anthropic(
                "content_block_start",
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"current_time","input":{}}}"#),
            anthropic("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#),
            anthropic("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"tz\": \"U"}}"#),
            anthropic("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"TC\"}"}}"#),
            anthropic("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
            anthropic("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}"#),
            anthropic("message_stop", #"{"type":"message_stop"}"#),
        ]
        try await withServer([.sse(steps)]) { server, baseURL in
            let provider = AnthropicMessagesProvider(id: "anthropic", baseURL: baseURL, apiKey: "ak-test", timeouts: fast, retry: noWait)
            var request = hello
            request.messages += [
                ModelMessage(role: .assistant, content: "", toolCalls: [ModelToolCall(id: "toolu_0", name: "current_time", arguments: "{}")]),
                ModelMessage(role: .tool, content: "12:00", toolCallId: "toolu_0"),
            ]
            let (events, error) = await collect(provider.stream(request))
            #expect(error == nil)
            #expect(
                events == [
                    .textDelta("Let me "), .textDelta("check."),
                    .toolCallStarted(id: "toolu_1", name: "current_time"),
                    .toolCallArgumentsDelta(id: "toolu_1", delta: #"{"tz": "U"#),
                    .toolCallArgumentsDelta(id: "toolu_1", delta: #"TC"}"#),
                    .toolCallFinished(ModelToolCall(id: "toolu_1", name: "current_time", arguments: #"{"tz": "UTC"}"#)),
                    .usage(ModelUsage(inputTokens: 25, outputTokens: 42)),
                    .finish(.toolUse),
                ])
            let recorded = try #require(server.requests.withLock { $0.first })
            #expect(recorded.path == "/v1/messages")
            #expect(recorded.headers["x-api-key"] == "ak-test")
            #expect(recorded.headers["anthropic-version"] == "2023-06-01")
            #expect(recorded.body["system"] == "be brief")
            #expect(recorded.body["max_tokens"] == 4096)
            #expect(recorded.body["messages"]?.arrayValue?[1]["content"]?.arrayValue?.first?["type"] == "tool_use")
            #expect(recorded.body["messages"]?.arrayValue?[2]["content"]?.arrayValue?.first?["tool_use_id"] == "toolu_0")
        }
    }

    @Test func anthropicStreamedErrorsAndTruncationAreReported() async throws {
        let start = anthropic("message_start", #"{"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":0}}}"#)
        let replies: [FakeModelServer.Reply] = [
            .sse([start, anthropic("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)]),
            .sse([start, anthropic("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"cut"}}"#)]),
        ]
        try await withServer(replies) { server, baseURL in
            let provider = AnthropicMessagesProvider(id: "anthropic", baseURL: baseURL, apiKey: "k", timeouts: fast, retry: noWait)
            let (_, overloaded) = await collect(provider.stream(hello))
            #expect(overloaded as? ProviderError == .upstream(provider: "anthropic", message: "Overloaded"))
            let (events, truncated) = await collect(provider.stream(hello))
            #expect(events == [.textDelta("cut")])
            #expect(truncated as? ProviderError == .transport(provider: "anthropic", message: "the stream ended before message_stop"))
            #expect(server.requestCount == 2)
        }
    }

    @Test func sseSplitAcrossArbitraryWritesIsReassembled() async throws {
        let whole = openAIText.map { step -> String in
            if case .send(let text) = step { return text }
            return ""
        }.joined()
        let steps = Self.byteSafeSplit(whole)
        try await withServer([.sse(steps)]) { _, baseURL in
            let (events, error) = await collect(openAI(baseURL).stream(hello))
            #expect(error == nil)
            #expect(text(events) == "Hello, wörld 🌍")
            #expect(events.last == .finish(.endTurn))
        }
    }

    /// Writes of 1…7 bytes, cutting `data:` prefixes, JSON and blank lines anywhere, but only between
    /// characters (the fake server writes Strings); cuts inside a character are covered by the parser's tests.
    static func byteSafeSplit(_ whole: String) -> [FakeModelServer.Step] {
        var steps: [FakeModelServer.Step] = []
        var current = ""
        var size = 1
        for character in whole {
            current.append(character)
            if current.utf8.count >= size {
                steps.append(.send(current))
                current = ""
                size = size % 7 + 1
            }
        }
        if !current.isEmpty { steps.append(.send(current)) }
        return steps
    }

    @Test func a429IsRetriedHonouringRetryAfter() async throws {
        let replies: [FakeModelServer.Reply] = [
            .error(429, #"{"error":{"message":"slow down"}}"#, headers: ["retry-after": "0.05"]),
            .sse(openAIText),
        ]
        try await withServer(replies) { server, baseURL in
            // Backoff alone would wait 60 s (past the 10 s total timeout); succeeding quickly proves Retry-After was used.
            let retry = ProviderRetryPolicy(maxAttempts: 3, baseDelay: .seconds(60), maxDelay: .seconds(60))
            let (events, error) = await collect(openAI(baseURL, retry: retry).stream(hello))
            #expect(error == nil)
            #expect(text(events) == "Hello, wörld 🌍")
            #expect(server.requestCount == 2)
        }
    }

    @Test func aRetryAfterBeyondTheMaximumDelayFailsAtOnce() async throws {
        try await withServer([.error(429, #"{"error":{"message":"quota"}}"#, headers: ["retry-after": "3600"]), .sse(openAIText)]) { server, baseURL in
            let (_, error) = await collect(openAI(baseURL).stream(hello))
            #expect(error as? ProviderError == .http(provider: "local", status: 429, message: "quota"))
            #expect((error as? ProviderError)?.kind == "rate_limit")
            #expect(server.requestCount == 1)
        }
    }

    @Test func connectTimeoutCoversAServerThatNeverAnswers() async throws {
        try await withServer([FakeModelServer.Reply(steps: [], holdHead: true)]) { _, baseURL in
            let timeouts = ProviderTimeouts(connect: .milliseconds(200), firstToken: .seconds(5), idle: .seconds(5), total: .seconds(10))
            let (_, error) = await collect(openAI(baseURL, timeouts: timeouts).stream(hello))
            #expect(error as? ProviderError == .timeout(provider: "local", kind: .connect))
        }
    }

    @Test func a500BeforeTheFirstTokenIsRetried() async throws {
        let replies: [FakeModelServer.Reply] = [.error(500, #"{"error":{"message":"boom"}}"#), .sse(openAIText)]
        try await withServer(replies) { server, baseURL in
            let (events, error) = await collect(openAI(baseURL).stream(hello))
            #expect(error == nil)
            #expect(text(events) == "Hello, wörld 🌍")
            #expect(server.requestCount == 2)
        }
    }

    @Test func exhaustedRetriesReportStatusMessageAndProvider() async throws {
        let replies: [FakeModelServer.Reply] = [.error(503, #"{"error":{"message":"overloaded"}}"#), .error(503, #"{"error":{"message":"overloaded"}}"#)]
        try await withServer(replies) { server, baseURL in
            let retry = ProviderRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
            let (events, error) = await collect(openAI(baseURL, retry: retry).stream(hello))
            #expect(events.isEmpty)
            #expect(error as? ProviderError == .http(provider: "local", status: 503, message: "overloaded"))
            #expect("\(error!)" == #"provider "local" answered HTTP 503: overloaded"#)
            #expect(server.requestCount == 2)
        }
    }

    @Test func a401IsNotRetriedAndCarriesTheProvidersMessage() async throws {
        let body = #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#
        try await withServer([.error(401, body)]) { server, baseURL in
            let provider = AnthropicMessagesProvider(id: "anthropic", baseURL: baseURL, apiKey: "bad", timeouts: fast, retry: noWait)
            let (_, error) = await collect(provider.stream(hello))
            let providerError = try #require(error as? ProviderError)
            #expect(providerError == .http(provider: "anthropic", status: 401, message: "invalid x-api-key"))
            #expect(providerError.kind == "auth")
            #expect(server.requestCount == 1)
        }
    }

    @Test func anErrorMidStreamIsNotRetried() async throws {
        let replies: [FakeModelServer.Reply] = [
            .sse([data(#"{"choices":[{"index":0,"delta":{"content":"partial"}}]}"#), data(#"{"error":{"message":"upstream overloaded"}}"#)]),
            .sse(openAIText),
        ]
        try await withServer(replies) { server, baseURL in
            let (events, error) = await collect(openAI(baseURL).stream(hello))
            #expect(events == [.textDelta("partial")])
            #expect(error as? ProviderError == .upstream(provider: "local", message: "upstream overloaded"))
            #expect(server.requestCount == 1)
        }
    }

    @Test func aDroppedConnectionMidStreamIsATransportError() async throws {
        let replies: [FakeModelServer.Reply] = [
            .sse([data(#"{"choices":[{"index":0,"delta":{"content":"partial"}}]}"#), .disconnect]),
            .sse(openAIText),
        ]
        try await withServer(replies) { server, baseURL in
            let (events, error) = await collect(openAI(baseURL).stream(hello))
            #expect(events == [.textDelta("partial")])
            #expect((error as? ProviderError)?.kind == "transport", "\(String(describing: error))")
            #expect(server.requestCount == 1)
        }
    }

    @Test func firstTokenTimeoutFiresAndClosesTheRequest() async throws {
        try await withServer([.sse([.hang])]) { server, baseURL in
            let timeouts = ProviderTimeouts(connect: .seconds(5), firstToken: .milliseconds(200), idle: .seconds(5), total: .seconds(10))
            let (events, error) = await collect(openAI(baseURL, timeouts: timeouts).stream(hello))
            #expect(events.isEmpty)
            #expect(error as? ProviderError == .timeout(provider: "local", kind: .firstToken))
            try await within(1.5) { for await _ in server.disconnects { return } }
        }
    }

    @Test func idleTimeoutFiresBetweenEvents() async throws {
        try await withServer([.sse([data(#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#), .hang])]) { server, baseURL in
            let timeouts = ProviderTimeouts(connect: .seconds(5), firstToken: .seconds(5), idle: .milliseconds(200), total: .seconds(10))
            let (events, error) = await collect(openAI(baseURL, timeouts: timeouts).stream(hello))
            #expect(events == [.textDelta("Hi")])
            #expect(error as? ProviderError == .timeout(provider: "local", kind: .idle))
            try await within(1.5) { for await _ in server.disconnects { return } }
        }
    }

    @Test func totalTimeoutBoundsTheWholeStream() async throws {
        try await withServer([.sse([data(#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#), .hang])]) { _, baseURL in
            let timeouts = ProviderTimeouts(connect: nil, firstToken: nil, idle: nil, total: .milliseconds(300))
            let (_, error) = await collect(openAI(baseURL, timeouts: timeouts).stream(hello))
            #expect(error as? ProviderError == .timeout(provider: "local", kind: .total))
        }
    }

    @Test func abandoningTheStreamClosesTheUpstreamConnection() async throws {
        try await withServer([.sse([data(#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#), .hang])]) { server, baseURL in
            let provider = openAI(baseURL)
            let consumer = Task {
                for try await event in provider.stream(hello) where event == .textDelta("Hi") { return true }
                return false
            }
            #expect(try await consumer.value)  // leaving the loop releases the stream, which terminates it
            try await within(1.5) { for await _ in server.disconnects { return } }
        }
    }

    @Test func cancellingTheTaskMidStreamClosesTheUpstreamConnection() async throws {
        try await withServer([.sse([data(#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#), .hang])]) { server, baseURL in
            let (firstSeen, seen) = AsyncStream.makeStream(of: Void.self)
            let stream = openAI(baseURL).stream(hello)
            let consumer = Task {
                var events: [ModelEvent] = []
                do {
                    for try await event in stream {
                        events.append(event)
                        seen.yield()
                    }
                } catch {}
                return events
            }
            for await _ in firstSeen { break }
            consumer.cancel()
            #expect(await consumer.value == [.textDelta("Hi")])
            try await within(1.5) { for await _ in server.disconnects { return } }
        }
    }

    @Test func fallbackTriesTheNextModelBeforeAnyOutput() async throws {
        try await withServer([.error(500, #"{"error":{"message":"model down"}}"#), .sse(openAIText)]) { server, baseURL in
            let provider = openAI(baseURL, retry: ProviderRetryPolicy(maxAttempts: 1))
            let fallback = FallbackProvider(candidates: [
                ModelCandidate(provider: provider, model: "primary"), ModelCandidate(provider: provider, model: "backup"),
            ])
            let (events, error) = await collect(fallback.stream(hello))
            #expect(error == nil)
            #expect(text(events) == "Hello, wörld 🌍")
            #expect(server.requests.withLock { $0.map { $0.body["model"] } } == ["primary", "backup"])
        }
    }

    @Test func fallbackDoesNotSpliceAfterOutput() async throws {
        let replies: [FakeModelServer.Reply] = [
            .sse([data(#"{"choices":[{"index":0,"delta":{"content":"partial"}}]}"#), data(#"{"error":{"message":"gone"}}"#)]),
            .sse(openAIText),
        ]
        try await withServer(replies) { server, baseURL in
            let provider = openAI(baseURL)
            let fallback = FallbackProvider(candidates: [
                ModelCandidate(provider: provider, model: "primary"), ModelCandidate(provider: provider, model: "backup"),
            ])
            let (events, error) = await collect(fallback.stream(hello))
            #expect(events == [.modelSelected(provider: "local", model: "primary"), .textDelta("partial")])
            #expect(error as? ProviderError == .upstream(provider: "local", message: "gone"))
            #expect(server.requestCount == 1)
        }
    }

    @Test func aConfiguredProviderResolvesAndStreams() async throws {
        try await withServer([.sse(openAIText)]) { server, baseURL in
            let models: JSONValue = [
                "providers": [
                    "local": [
                        "baseUrl": .string(baseURL), "apiKey": "LOCAL_KEY", "api": "openai-completions",
                        "models": [["id": "tiny", "name": "Tiny", "contextWindow": 2048, "maxTokens": 256]],
                    ]
                ]
            ]
            let registry = ProviderRegistry(providers: models["providers"], environment: ["LOCAL_KEY": "from-env"], timeouts: fast, retry: noWait)
            let fallback = try registry.provider(primary: "local/tiny")
            let (events, error) = await collect(fallback.stream(hello))
            #expect(error == nil)
            #expect(text(events) == "Hello, wörld 🌍")
            let recorded = try #require(server.requests.withLock { $0.first })
            #expect(recorded.body["model"] == "tiny")
            #expect(recorded.headers["authorization"] == "Bearer from-env")
        }
    }
}

@Suite("Provider registry")
struct ProviderRegistryTests {
    @Test func builtInsWorkFromTheirEnvironmentVariables() throws {
        let registry = ProviderRegistry(providers: nil, environment: ["OPENAI_API_KEY": "sk-1", "ANTHROPIC_API_KEY": "ak-1", "OPENROUTER_API_KEY": "or-1"])
        let openai = try registry.resolve("openai/gpt-4o")
        #expect(openai.baseURL == "https://api.openai.com/v1")
        #expect(openai.api == .openaiCompletions)
        #expect(openai.apiKey == "sk-1")
        #expect(openai.modelId == "gpt-4o")
        let anthropic = try registry.resolve("anthropic/claude-sonnet-4")
        #expect(anthropic.baseURL == "https://api.anthropic.com/v1")
        #expect(anthropic.api == .anthropicMessages)
        let router = try registry.resolve("openrouter/anthropic/claude-sonnet-4")
        #expect(router.baseURL == "https://openrouter.ai/api/v1")
        #expect(router.modelId == "anthropic/claude-sonnet-4")
        #expect(router.apiKey == "or-1")
    }

    @Test func aMissingKeyNamesTheConfigKeyAndVariable() {
        let registry = ProviderRegistry(providers: nil, environment: [:])
        #expect(throws: ProviderError.notConfigured(#"no API key for provider "openai": set models.providers.openai.apiKey or OPENAI_API_KEY"#)) {
            try registry.resolve("openai/gpt-4o")
        }
        #expect(throws: ProviderError.notConfigured(#"no API key for provider "anthropic": set models.providers.anthropic.apiKey or ANTHROPIC_API_KEY"#)) {
            try registry.resolve("anthropic/claude-sonnet-4")
        }
    }

    @Test func configOverridesAndExtendsBuiltIns() throws {
        let models: JSONValue = [
            "providers": [
                "openai": ["apiKey": "sk-literal", "baseUrl": "http://127.0.0.1:9/v1"],
                "lab": ["baseUrl": "http://lab.local/v1", "api": "anthropic-messages", "models": [["id": "big", "contextWindow": 200000, "maxTokens": 8192]]],
            ]
        ]
        let registry = ProviderRegistry(providers: models["providers"], environment: ["OPENAI_API_KEY": "ignored"])
        let openai = try registry.resolve("openai/gpt-4o")
        #expect(openai.apiKey == "sk-literal")
        #expect(openai.baseURL == "http://127.0.0.1:9/v1")
        let lab = try registry.resolve("lab/big")
        #expect(lab.api == .anthropicMessages)
        #expect(lab.apiKey == nil, "a custom provider may run without a key (local servers)")
        #expect(lab.info?.contextWindow == 200000)
        #expect(lab.info?.maxTokens == 8192)
    }

    @Test func badReferencesAndConfigSayWhatToFix() {
        let models: JSONValue = ["providers": ["odd": ["baseUrl": "http://x", "api": "grpc"], "nourl": ["api": "openai-completions"]]]
        let registry = ProviderRegistry(providers: models["providers"], environment: [:])
        #expect(throws: ProviderError.notConfigured(#"model "gpt-4o" must be written as provider/model (for example openai/gpt-4o)"#)) {
            try registry.resolve("gpt-4o")
        }
        #expect(
            throws: ProviderError.notConfigured(
                #"unknown model provider "acme" in "acme/m": add models.providers.acme with baseUrl, api and apiKey, or use one of anthropic, openai, openrouter"#
            )
        ) {
            try registry.resolve("acme/m")
        }
        #expect(
            throws: ProviderError.notConfigured(
                #"unsupported api "grpc" for provider "odd": set models.providers.odd.api to openai-completions or anthropic-messages"#)
        ) {
            try registry.resolve("odd/m")
        }
        #expect(throws: ProviderError.notConfigured(#"no base URL for provider "nourl": set models.providers.nourl.baseUrl"#)) {
            try registry.resolve("nourl/m")
        }
    }
}
