// Tests/Conformance/HTTP/ChatCompletionsTests.swift - POST /v1/chat/completions and GET /v1/models over real HTTP

import AsyncHTTPClient
import Foundation
import NIOCore
import ProtocolSupport
import TestUpstream
import Testing

@Suite("OpenAI Chat Completions over HTTP")
struct ChatCompletionsTests {
    static let hello: JSONValue = ["model": "openclaw", "messages": [["role": "user", "content": "Say hello"]]]

    // MARK: - Answers

    @Test func aCompletionCarriesTheAnswerUsageAndTheEchoedModel() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["Hello", ", world"], promptTokens: 12, completionTokens: 3)]) { harness in
            let body: JSONValue = [
                "model": "openclaw/default",
                "messages": [
                    ["role": "system", "content": "Be brief."],
                    ["role": "developer", "content": [["type": "text", "text": "Answer in English."]]],
                    ["role": "user", "content": "First question"],
                    ["role": "assistant", "content": "First answer"],
                    ["role": "user", "content": [["type": "text", "text": "Second"], ["type": "input_text", "text": "question"]]],
                ],
            ]
            let answer = try await harness.complete(body)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.headers.first(name: "content-type") == "application/json; charset=utf-8")
            let json = answer.json
            #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl_") == true)
            #expect(json["object"] == "chat.completion")
            #expect(json["model"] == "openclaw/default")
            #expect(json["created"]?.intValue.map { abs($0 - Int(Date().timeIntervalSince1970)) < 60 } == true)
            #expect(json["choices"]?[0]?["index"] == 0)
            #expect(json["choices"]?[0]?["message"]?["role"] == "assistant")
            #expect(json["choices"]?[0]?["message"]?["content"] == "Hello, world")
            #expect(json["choices"]?[0]?["finish_reason"] == "stop")
            #expect(json["usage"] == ["prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15])

            // The model saw the system/developer text in its system prompt and the client's history in order.
            let messages = harness.upstreamMessages()
            #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "user"])
            let system = messages.first?["content"]?.stringValue ?? ""
            #expect(system.contains("Be brief.") && system.contains("Answer in English."))
            #expect(messages.dropFirst().map { $0["content"]?.stringValue ?? "" } == ["First question", "First answer", "Second\nquestion"])
        }
    }

    @Test func anEmptyAnswerSaysSo() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text([])]) { harness in
            let answer = try await harness.complete(Self.hello)
            #expect(answer.json["choices"]?[0]?["message"]?["content"] == "No response from OpenClaw.")
        }
    }

    @Test func maxTokensReachTheModel() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["a"]), OpenAIScript.text(["b"])]) { harness in
            _ = try await harness.complete(Self.hello.merging(["max_tokens": 7]))
            _ = try await harness.complete(Self.hello.merging(["max_tokens": 7, "max_completion_tokens": 9]))
            let sent = harness.upstream.requests.withLock { $0.map { $0.body["max_tokens"] } }
            #expect(sent == [7, 9])
        }
    }

    // MARK: - Streaming

    @Test func aStreamSendsTheRoleDeltasAFinishUsageAndDone() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["Hel", "lo", "!"], promptTokens: 4, completionTokens: 2)]) { harness in
            // `stream` in the body decides, not the Accept header.
            let answer = try await harness.complete(
                Self.hello.merging(["stream": true, "stream_options": ["include_usage": true]]), headers: ["Accept": "application/json"]
            )
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "content-type") == "text/event-stream; charset=utf-8")
            #expect(answer.headers.first(name: "cache-control") == "no-cache")
            let events = ChatCompletionsHarness.events(answer.text)
            #expect(events.last == "[DONE]")
            let chunks = ChatCompletionsHarness.chunks(answer.text)
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" && $0["model"] == "openclaw" })
            #expect(Set(chunks.compactMap { $0["id"]?.stringValue }).count == 1)
            #expect(chunks.first?["choices"]?[0]?["delta"] == ["role": "assistant"])
            let deltas = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }
            #expect(deltas == ["Hel", "lo", "!"])
            let finish = try #require(chunks.dropLast().last)
            #expect(finish["choices"]?[0]?["delta"] == .object([:]))
            #expect(finish["choices"]?[0]?["finish_reason"] == "stop")
            #expect(chunks.last?["choices"] == [])
            #expect(chunks.last?["usage"] == ["prompt_tokens": 4, "completion_tokens": 2, "total_tokens": 6])
        }
    }

    @Test func streamsInARowWorkOnAPoolingClient() async throws {
        // A stream ends its connection; `Connection: close` tells a pooling client not to reuse it.
        try await ChatCompletionsHarness.with(fallback: OpenAIScript.text(["again"])) { harness in
            for _ in 0..<3 {
                let answer = try await harness.complete(Self.hello.merging(["stream": true]))
                #expect(answer.status == 200)
                #expect(answer.headers.first(name: "connection")?.lowercased() == "close")
                #expect(ChatCompletionsHarness.events(answer.text).last == "[DONE]")
            }
            #expect(try await harness.complete(Self.hello).status == 200)
        }
    }

    @Test func aStreamWithoutIncludeUsageHasNoUsageChunk() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["ok"])]) { harness in
            let answer = try await harness.complete(Self.hello.merging(["stream": true]))
            let chunks = ChatCompletionsHarness.chunks(answer.text)
            #expect(chunks.allSatisfy { $0["usage"] == nil })
            #expect(chunks.last?["choices"]?[0]?["finish_reason"] == "stop")
            #expect(ChatCompletionsHarness.events(answer.text).last == "[DONE]")
        }
    }

    @Test func anUpstreamFailureMidStreamEndsWithAnErrorChunk() async throws {
        let broken = FakeModelServer.Reply.sse([OpenAIScript.event(#"{"choices":[{"index":0,"delta":{"content":"par"}}]}"#), .disconnect])
        try await ChatCompletionsHarness.with([broken]) { harness in
            let answer = try await harness.complete(Self.hello.merging(["stream": true]))
            #expect(answer.status == 200)
            let chunks = ChatCompletionsHarness.chunks(answer.text)
            #expect(chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue } == ["par", "Error: internal error"])
            #expect(chunks.last?["choices"]?[0]?["finish_reason"] == "stop")
            #expect(ChatCompletionsHarness.events(answer.text).last == "[DONE]")
        }
    }

    @Test func anAbandonedStreamAbortsTheRunAndTheGatewayStaysHealthy() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.endless("thinking"), OpenAIScript.text(["still here"])]) { harness in
            var request = HTTPClientRequest(url: harness.baseURL + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(harness.token)")
            request.body = .bytes(ByteBuffer(string: Self.hello.merging(["stream": true]).text))
            let (seen, seenSink) = AsyncStream.makeStream(of: String.self)
            let reader = Task {
                let response = try await harness.client.execute(request, timeout: .seconds(30))
                for try await buffer in response.body { seenSink.yield(String(buffer: buffer)) }
            }
            // Wait until the first delta arrived, then walk away mid-stream.
            var received = ""
            for await text in seen {
                received += text
                if received.contains("thinking") { break }
            }
            reader.cancel()
            try await within(15) { for await _ in harness.upstream.disconnects { break } }

            let answer = try await harness.complete(Self.hello)
            #expect(answer.status == 200)
            #expect(answer.json["choices"]?[0]?["message"]?["content"] == "still here")
        }
    }

    @Test func aClientThatHangsUpBeforeTheAnswerAbortsTheRun() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.endless("thinking"), OpenAIScript.text(["still here"])]) { harness in
            var arrivals = harness.upstream.arrivals.makeAsyncIterator()
            let waiting = Task { try await harness.complete(Self.hello) }
            _ = await arrivals.next()
            // The model is generating; the client gives up (its timeout, a cancelled request).
            waiting.cancel()
            _ = await waiting.result
            try await within(15) { for await _ in harness.upstream.disconnects { break } }

            let answer = try await harness.complete(Self.hello)
            #expect(answer.status == 200)
            #expect(answer.json["choices"]?[0]?["message"]?["content"] == "still here")
            #expect(answer.headers.first(name: "Connection") == "close")
        }
    }

    // MARK: - Client tools

    static let weatherTool: JSONValue = [
        "type": "function",
        "function": [
            "name": "get_weather", "description": "Weather for a city", "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
        ],
    ]

    @Test func aClientToolCallEndsTheCompletionWithToolCalls() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.toolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Oslo"}"#)]) { harness in
            let answer = try await harness.complete(Self.hello.merging(["tools": [Self.weatherTool], "tool_choice": "auto"]))
            #expect(answer.status == 200, "\(answer.text)")
            let choice = answer.json["choices"]?[0]
            #expect(choice?["finish_reason"] == "tool_calls")
            #expect(
                choice?["message"]?["tool_calls"] == [
                    ["id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Oslo"}"#]]
                ])
            let offered = harness.upstream.requests.withLock { $0.first?.body["tools"]?.arrayValue ?? [] }
            let weather = offered.first { $0["function"]?["name"] == "get_weather" }
            #expect(weather?["function"]?["description"] == "Weather for a city")
            #expect(weather?["function"]?["parameters"]?["properties"]?["city"]?["type"] == "string")
        }
    }

    @Test func aStreamedToolCallEndsWithToolCallsFinish() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.toolCall(id: "call_9", name: "get_weather", arguments: #"{"city":"Rome"}"#)]) { harness in
            let answer = try await harness.complete(Self.hello.merging(["tools": [Self.weatherTool], "stream": true]))
            let chunks = ChatCompletionsHarness.chunks(answer.text)
            let calls = chunks.compactMap { $0["choices"]?[0]?["delta"]?["tool_calls"] }
            #expect(calls == [[["index": 0, "id": "call_9", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Rome"}"#]]]])
            #expect(chunks.last?["choices"]?[0]?["finish_reason"] == "tool_calls")
            #expect(ChatCompletionsHarness.events(answer.text).last == "[DONE]")
        }
    }

    @Test func toolResultsGoBackToTheModelWithTheirCallIds() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["It is sunny in Oslo."])]) { harness in
            let body: JSONValue = [
                "tools": [Self.weatherTool],
                "messages": [
                    ["role": "user", "content": "Weather in Oslo?"],
                    [
                        "role": "assistant", "content": nil,
                        "tool_calls": [["id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Oslo"}"#]]],
                    ],
                    ["role": "tool", "tool_call_id": "call_1", "content": "sunny"],
                ],
            ]
            let answer = try await harness.complete(body)
            #expect(answer.json["choices"]?[0]?["message"]?["content"] == "It is sunny in Oslo.")
            let messages = harness.upstreamMessages()
            #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool"])
            #expect(messages[2]["tool_calls"]?[0]?["id"] == "call_1")
            #expect(messages[2]["tool_calls"]?[0]?["function"]?["name"] == "get_weather")
            #expect(messages[3]["tool_call_id"] == "call_1")
            #expect(messages[3]["content"] == "sunny")
        }
    }

    @Test func toolChoiceNoneOffersNoToolsAtAll() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["fine"])]) { harness in
            let answer = try await harness.complete(Self.hello.merging(["tools": [Self.weatherTool], "tool_choice": "none"]))
            #expect(answer.status == 200)
            // Neither the client's tools nor the gateway's built-in ones.
            #expect(harness.upstream.requests.withLock { $0.first?.body["tools"] } == nil)
        }
    }

    @Test func aRequiredToolTheModelIgnoresIsAnUpstreamError() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["no tools for me"])]) { harness in
            let answer = try await harness.complete(
                Self.hello.merging(["tools": [Self.weatherTool], "tool_choice": ["type": "function", "function": ["name": "get_weather"]]])
            )
            #expect(answer.status == 502)
            #expect(answer.errorType == "api_error")
            let system = harness.upstreamMessages().first?["content"]?.stringValue ?? ""
            #expect(system.contains("get_weather"))
        }
    }

    // MARK: - Agent and session

    @Test func theHeaderOrTheModelPicksTheAgent() async throws {
        try await ChatCompletionsHarness.with(fallback: OpenAIScript.text(["ok"])) { harness in
            for (model, header, name) in [
                ("openclaw", nil, "Mainly"), ("openclaw/ops", nil, "Opsy"), ("openclaw:OPS", nil, "Opsy"), ("agent:ops", nil, "Opsy"),
                ("openclaw/main", "ops", "Opsy"),
            ] as [(String, String?, String)] {
                let before = harness.upstream.requestCount
                let answer = try await harness.complete(
                    Self.hello.merging(["model": .string(model)]), headers: header.map { ["x-openclaw-agent-id": $0] } ?? [:])
                #expect(answer.status == 200, "\(model): \(answer.text)")
                #expect(answer.json["model"] == .string(model))
                let system = harness.upstreamMessages(before).first?["content"]?.stringValue ?? ""
                #expect(system.contains("You are \(name)"), "\(model) / \(header ?? "-"): \(system)")
            }
            let alias = try await harness.complete(Self.hello, headers: ["x-openclaw-agent": "ops"])
            #expect(alias.status == 200)
            #expect(harness.upstreamMessages(harness.upstream.requestCount - 1).first?["content"]?.stringValue?.contains("You are Opsy") == true)
        }
    }

    @Test func otherModelsAndUnknownAgentsAreRefused() async throws {
        try await ChatCompletionsHarness.with { harness in
            let other = try await harness.complete(Self.hello.merging(["model": "gpt-4o"]))
            #expect(other.status == 400)
            #expect(other.errorType == "invalid_request_error")
            #expect(other.errorMessage == "Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.")
            let unknown = try await harness.complete(Self.hello.merging(["model": "openclaw/ghost"]))
            #expect(unknown.status == 400)
            #expect(unknown.errorMessage?.contains("ghost") == true)
            let header = try await harness.complete(Self.hello, headers: ["x-openclaw-agent-id": "nobody"])
            #expect(header.status == 400)
            #expect(harness.upstream.requestCount == 0)
        }
    }

    @Test func sessionKeysFollowTheHeaderThenTheUserElseAreFresh() async throws {
        try await ChatCompletionsHarness.with(fallback: OpenAIScript.text(["ok"])) { harness in
            _ = try await harness.complete(Self.hello.merging(["user": "alice"]))
            _ = try await harness.complete(Self.hello.merging(["user": "alice"]))
            _ = try await harness.complete(Self.hello, headers: ["x-openclaw-session-key": "agent:ops:project-x"])
            _ = try await harness.complete(Self.hello)
            _ = try await harness.complete(Self.hello)
            let keys = try await harness.sessionKeys()
            #expect(keys.filter { $0 == "agent:main:openai-user:alice" }.count == 1)
            #expect(keys.contains("agent:ops:project-x"))
            #expect(keys.filter { $0.hasPrefix("agent:main:openai:") }.count == 2)
            #expect(keys.count == 4)
        }
    }

    @Test func reservedSessionKeysAreRefused() async throws {
        try await ChatCompletionsHarness.with { harness in
            for key in ["subagent:x", "cron:nightly", "acp:abc", "agent:main:subagent:y"] {
                let answer = try await harness.complete(Self.hello, headers: ["x-openclaw-session-key": key])
                #expect(answer.status == 400, "\(key)")
                #expect(answer.errorType == "invalid_request_error")
            }
            #expect(harness.upstream.requestCount == 0)
        }
    }

    // MARK: - Bad input

    @Test func malformedAndMistypedBodiesAreRefusedWithASpecificMessage() async throws {
        try await ChatCompletionsHarness.with { harness in
            let cases: [(String, String)] = [
                ("{not json", "Invalid JSON body: expected a JSON object"),
                ("[1,2]", "Invalid JSON body: expected a JSON object"),
                (#"{"messages":"hi"}"#, "`messages` must be an array of message objects."),
                (#"{"messages":[{"role":"user","content":"hi"}],"stream":"yes"}"#, "`stream` must be a boolean."),
                (#"{"messages":[{"role":"user","content":"hi"}],"model":5}"#, "`model` must be a string."),
                (#"{"messages":[{"role":"user","content":42}]}"#, "`messages[0].content` must be a string or an array of content parts."),
                (#"{"messages":[{"content":"hi"}]}"#, "`messages[0].role` must be a string."),
                (#"{"messages":[{"role":"system","content":"only rules"}]}"#, "Missing user message in `messages`."),
                (#"{"messages":[{"role":"user","content":"hi"}],"tools":{}}"#, "`tools` must be an array."),
                (#"{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"custom"}]}"#, "`tools[0].type` must be \"function\"."),
                (
                    #"{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{}}]}"#,
                    "`tools[0].function.name` must be a non-empty string."
                ),
                (#"{"messages":[{"role":"user","content":"hi"}],"tool_choice":"required"}"#, "`tool_choice` \"required\" needs at least one entry in `tools`."),
                (#"{"messages":[{"role":"user","content":"hi"}],"temperature":3}"#, "`temperature` must be between 0 and 2."),
                (#"{"messages":[{"role":"user","content":"hi"}],"max_tokens":-1}"#, "`max_tokens` must be a positive integer."),
            ]
            for (body, message) in cases {
                let answer = try await harness.send(body: body)
                #expect(answer.status == 400, "\(body): \(answer.status) \(answer.text)")
                #expect(answer.errorType == "invalid_request_error", "\(body)")
                #expect(answer.errorMessage == message, "\(body)")
            }
            let pinned = try await harness.complete(
                Self.hello.merging(["tools": [Self.weatherTool], "tool_choice": ["type": "function", "function": ["name": "nope"]]]))
            #expect(pinned.status == 400)
            let allowed = try await harness.complete(Self.hello.merging(["tools": [Self.weatherTool], "tool_choice": ["type": "allowed_tools"]]))
            #expect(allowed.status == 400)
            #expect(harness.upstream.requestCount == 0)
        }
    }

    @Test func anOversizedBodyIs413() async throws {
        try await ChatCompletionsHarness.with { harness in
            let big = String(repeating: "a", count: 20 * 1024 * 1024 + 10)
            let answer = try await harness.send(body: #"{"messages":[{"role":"user","content":"\#(big)"}]}"#)
            #expect(answer.status == 413)
            #expect(answer.errorMessage == "Payload too large")
        }
    }

    @Test func otherMethodsAre405() async throws {
        try await ChatCompletionsHarness.with { harness in
            let answer = try await harness.send(.GET)
            #expect(answer.status == 405)
            #expect(answer.headers.first(name: "allow") == "POST")
        }
    }

    @Test func aDisabledEndpointIsAPlain404() async throws {
        try await ChatCompletionsHarness.with(chatCompletions: false) { harness in
            let answer = try await harness.complete(Self.hello)
            #expect(answer.status == 404)
            #expect(answer.text == "Not Found")
            let models = try await harness.send(.GET, "/v1/models")
            #expect(models.status == 404)
        }
    }

    @Test func aWrongOrMissingKeyIs401() async throws {
        try await ChatCompletionsHarness.with { harness in
            let wrong = try await harness.send(body: Self.hello.text, token: "not-the-token")
            #expect(wrong.status == 401)
            #expect(wrong.json == ["error": ["message": "Unauthorized", "type": "unauthorized"]])
            let missing = try await harness.send(body: Self.hello.text, token: nil)
            #expect(missing.status == 401)
            let modelsWrongKey = try await harness.send(.GET, "/v1/models", token: "nope")
            #expect(modelsWrongKey.status == 401)
            #expect(harness.upstream.requestCount == 0)
        }
    }

    @Test func upstreamFailuresMapToOpenAIStatuses() async throws {
        let limited = FakeModelServer.Reply.error(429, #"{"error":{"message":"slow down"}}"#, headers: ["retry-after": "120"])
        let rejected = FakeModelServer.Reply.error(400, #"{"error":{"message":"bad request upstream"}}"#)
        try await ChatCompletionsHarness.with([limited, rejected]) { harness in
            let first = try await harness.complete(Self.hello)
            #expect(first.status == 429, "\(first.text)")
            #expect(first.errorType == "rate_limit_error")
            let second = try await harness.complete(Self.hello)
            #expect(second.status == 502, "\(second.text)")
            #expect(second.errorType == "api_error")
            #expect(second.errorMessage == "upstream provider error")
        }
    }

    // MARK: - Models

    @Test func theModelsListNamesEveryAgentTarget() async throws {
        try await ChatCompletionsHarness.with { harness in
            let list = try await harness.send(.GET, "/v1/models")
            #expect(list.status == 200)
            #expect(list.json["object"] == "list")
            let data = list.json["data"]?.arrayValue ?? []
            #expect(data.compactMap { $0["id"]?.stringValue } == ["openclaw", "openclaw/default", "openclaw/main", "openclaw/ops"])
            #expect(data.first == ["id": "openclaw", "object": "model", "created": 0, "owned_by": "openclaw", "permission": []])

            let one = try await harness.send(.GET, "/v1/models/openclaw%2Fops")
            #expect(one.status == 200)
            #expect(one.json["id"] == "openclaw/ops")
            let slashed = try await harness.send(.GET, "/v1/models/openclaw/ops")
            #expect(slashed.json["id"] == "openclaw/ops")
            let missing = try await harness.send(.GET, "/v1/models/gpt-4o")
            #expect(missing.status == 404)
            let post = try await harness.send(.POST, "/v1/models", body: "{}")
            #expect(post.status == 405)
            #expect(post.headers.first(name: "allow") == "GET")
        }
    }

    @Test func theModelsListIsServedWhenOnlyResponsesIsEnabled() async throws {
        try await ChatCompletionsHarness.with(chatCompletions: false, responses: true) { harness in
            let models = try await harness.send(.GET, "/v1/models")
            #expect(models.status == 200)
            let completion = try await harness.complete(Self.hello)
            #expect(completion.status == 404)
        }
    }
}
