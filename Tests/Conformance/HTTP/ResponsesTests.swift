// Tests/Conformance/HTTP/ResponsesTests.swift - POST /v1/responses over real HTTP against a scripted model

import AsyncHTTPClient
import Foundation
import NIOCore
import ProtocolSupport
import TestUpstream
import Testing

@Suite("POST /v1/responses")
struct ResponsesTests {
    static let weatherTool: JSONValue = [
        "type": "function", "name": "get_weather", "description": "Weather for a city",
        "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
    ]

    @Test func answersWithACompletedResponseObject() async throws {
        try await ResponsesHarness.with([OpenAIScript.text(["Hello", " world"], promptTokens: 12, completionTokens: 4)]) { h in
            let answer = try await h.post([
                "model": "openclaw", "input": "Say hello", "instructions": "Be brief.", "max_output_tokens": 64,
            ])
            #expect(answer.status == 200)
            let body = answer.json
            #expect(body["id"]?.stringValue?.hasPrefix("resp_") == true)
            #expect(body["object"] == "response")
            #expect(body["status"] == "completed")
            #expect(body["model"] == "openclaw")
            #expect(body["created_at"]?.intValue != nil)
            #expect(body["parallel_tool_calls"] == true)
            #expect(body["tools"] == [])
            #expect(body["tool_choice"] == "auto")
            #expect(body["error"] == .null)
            let message = try #require(body["output"]?[0])
            #expect(message["type"] == "message")
            #expect(message["role"] == "assistant")
            #expect(message["status"] == "completed")
            #expect(message["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(message["content"] == [["type": "output_text", "text": "Hello world", "annotations": []]])
            #expect(body["usage"]?["input_tokens"] == 12)
            #expect(body["usage"]?["output_tokens"] == 4)
            #expect(body["usage"]?["total_tokens"] == 16)
            #expect(body["usage"]?["output_tokens_details"]?["reasoning_tokens"] == 0)

            let sent = try #require(h.upstreamBodies.first)
            let messages = sent["messages"]?.arrayValue ?? []
            #expect(messages.first?["role"] == "system")
            #expect(messages.first?["content"]?.stringValue?.contains("Be brief.") == true)
            #expect(messages.last == ["role": "user", "content": "Say hello"])
            #expect(sent["max_tokens"] == 64)
        }
    }

    @Test func streamsTheEventSequenceTheSDKExpects() async throws {
        try await ResponsesHarness.with([OpenAIScript.text(["Hel", "lo"])]) { h in
            let (status, headers, events) = try await h.stream(["input": "hi", "stream": true])
            #expect(status == 200)
            #expect(headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
            let types = events.map { $0.type ?? "[DONE]" }
            #expect(
                types == [
                    "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                    "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                    "response.output_item.done", "response.completed", "[DONE]",
                ])
            let data = events.compactMap(\.data)
            #expect(data.map { $0["sequence_number"]?.intValue } == Array(0..<data.count).map { Optional($0) })
            for event in events where event.data != nil { #expect(event.name == event.type) }
            #expect(data[0]["response"]?["status"] == "in_progress")
            #expect(data[0]["response"]?["output"] == [])
            let itemId = try #require(data[2]["item"]?["id"]?.stringValue)
            for delta in data where delta["type"] == "response.output_text.delta" {
                #expect(delta["item_id"] == .string(itemId))
                #expect(delta["output_index"] == 0)
                #expect(delta["content_index"] == 0)
                #expect(delta["logprobs"] == [])
            }
            #expect(data.filter { $0["type"] == "response.output_text.delta" }.compactMap { $0["delta"]?.stringValue }.joined() == "Hello")
            #expect(data[6]["text"] == "Hello")
            let completed = try #require(data.last?["response"])
            #expect(completed["status"] == "completed")
            #expect(completed["id"] == data[0]["response"]?["id"])
            #expect(completed["output"]?[0]?["content"]?[0]?["text"] == "Hello")
            #expect(completed["usage"]?["total_tokens"] == 15)
        }
    }

    @Test func aFunctionCallRoundTripsThroughPreviousResponseId() async throws {
        let replies = [
            OpenAIScript.toolCall(id: "call_w1", name: "get_weather", arguments: #"{"city":"Paris"}"#),
            OpenAIScript.text(["Sunny in Paris."]),
        ]
        try await ResponsesHarness.with(replies) { h in
            let first = try await h.post(["input": "Weather in Paris?", "tools": [Self.weatherTool]])
            #expect(first.status == 200)
            let call = try #require(first.json["output"]?.arrayValue?.first { $0["type"] == "function_call" })
            #expect(call["call_id"] == "call_w1")
            #expect(call["name"] == "get_weather")
            #expect(call["arguments"] == #"{"city":"Paris"}"#)
            #expect(call["status"] == "completed")
            #expect(first.json["tools"]?[0]?["name"] == "get_weather")
            let offered = h.upstreamBodies[0]["tools"]?.arrayValue ?? []
            #expect(offered.contains { $0["function"]?["name"] == "get_weather" })

            let responseId = try #require(first.json["id"]?.stringValue)
            let second = try await h.post([
                "previous_response_id": .string(responseId), "tools": [Self.weatherTool],
                "input": [["type": "function_call_output", "call_id": "call_w1", "output": #"{"temp":21}"#]],
            ])
            #expect(second.status == 200)
            #expect(second.json["previous_response_id"] == .string(responseId))
            #expect(second.json["output"]?[0]?["content"]?[0]?["text"] == "Sunny in Paris.")

            let messages = try #require(h.upstreamBodies.last?["messages"]?.arrayValue)
            let roles = messages.compactMap { $0["role"]?.stringValue }
            #expect(roles == ["system", "user", "assistant", "tool"])
            #expect(messages[1]["content"] == "Weather in Paris?")
            #expect(messages[2]["tool_calls"]?[0]?["id"] == "call_w1")
            #expect(messages[3]["tool_call_id"] == "call_w1")
            #expect(messages[3]["content"] == #"{"temp":21}"#)
        }
    }

    @Test func streamsAFunctionCallItem() async throws {
        try await ResponsesHarness.with([OpenAIScript.toolCall(id: "call_s1", name: "get_weather", arguments: #"{"city":"Oslo"}"#)]) { h in
            let (_, _, events) = try await h.stream(["input": "Weather in Oslo?", "stream": true, "tools": [Self.weatherTool]])
            let types = events.map { $0.type ?? "[DONE]" }
            #expect(
                types == [
                    "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                    "response.output_text.done", "response.content_part.done", "response.output_item.done",
                    "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
                    "response.output_item.done", "response.completed", "[DONE]",
                ])
            let data = events.compactMap(\.data)
            #expect(data.map { $0["sequence_number"]?.intValue } == Array(0..<data.count).map { Optional($0) })
            #expect(data[7]["output_index"] == 1)
            #expect(data[7]["item"]?["type"] == "function_call")
            #expect(data[7]["item"]?["arguments"] == "")
            #expect(data[8]["delta"] == #"{"city":"Oslo"}"#)
            #expect(data[9]["arguments"] == #"{"city":"Oslo"}"#)
            #expect(data[10]["item"]?["call_id"] == "call_s1")
            let output = data[11]["response"]?["output"]?.arrayValue ?? []
            #expect(output.map { $0["type"] } == ["message", "function_call"])
        }
    }

    @Test func aUserKeepsOneSessionAcrossRequests() async throws {
        try await ResponsesHarness.with([OpenAIScript.text(["First."]), OpenAIScript.text(["Second."])]) { h in
            let first = try await h.post(["input": "one", "user": "alice"])
            let second = try await h.post(["input": "two", "user": "alice"])
            #expect(first.status == 200 && second.status == 200)
            let messages = h.upstreamBodies.last?["messages"]?.arrayValue ?? []
            #expect(messages.dropFirst().map { $0["content"] } == ["one", "First.", "two"])
        }
    }

    @Test func aRequiredToolThatIsNotCalledFailsTheResponse() async throws {
        try await ResponsesHarness.with([OpenAIScript.text(["No tools today."])]) { h in
            let answer = try await h.post(["input": "hi", "tools": [Self.weatherTool], "tool_choice": "required"])
            #expect(answer.status == 502)
            #expect(answer.json["status"] == "failed")
            #expect(answer.errorType == "api_error")
            let system = h.upstreamBodies.first?["messages"]?[0]?["content"]?.stringValue ?? ""
            #expect(system.contains("must call"))
        }
    }

    @Test func refusesAnUnknownPreviousResponseId() async throws {
        try await ResponsesHarness.with { h in
            let answer = try await h.post(["input": "hi", "previous_response_id": "resp_nope"])
            #expect(answer.status == 400)
            #expect(answer.errorType == "invalid_request_error")
            #expect(h.upstream.requestCount == 0)
        }
    }

    @Test func isNotFoundWhenDisabled() async throws {
        try await ResponsesHarness.with(enabled: false) { h in
            let answer = try await h.post(["input": "hi"])
            #expect(answer.status == 404)
            #expect(answer.text == "Not Found")
        }
    }

    @Test func refusesBadCredentialsAndBadRequests() async throws {
        try await ResponsesHarness.with { h in
            let wrong = try await h.send(body: #"{"input":"hi"}"#, token: "wrong-token")
            #expect(wrong.status == 401)
            #expect(wrong.json == ["error": ["message": "Unauthorized", "type": "unauthorized"]])
            let missing = try await h.send(body: #"{"input":"hi"}"#, token: .some(nil))
            #expect(missing.status == 401)

            let malformed = try await h.send(body: #"{"input": "#)
            #expect(malformed.status == 400)
            #expect(malformed.errorType == "invalid_request_error")
            for body in [
                #"{"input":5}"#, #"{"input":"hi","stream":"yes"}"#, #"{"input":"hi","tools":[{"type":"web_search"}]}"#,
                #"{"input":"hi","model":"gpt-4o"}"#, #"{"input":[{"type":"function_call_output"}]}"#, #"{"input":"hi","tool_choice":"required"}"#,
            ] {
                let answer = try await h.send(body: body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.errorType == "invalid_request_error", "\(body)")
            }
            let get = try await h.send(.GET)
            #expect(get.status == 405)
            #expect(get.headers.first(name: "allow") == "POST")
            #expect(h.upstream.requestCount == 0)
        }
    }

    @Test func refusesABodyOver20MB() async throws {
        try await ResponsesHarness.with { h in
            let big = ByteBuffer(repeating: UInt8(ascii: " "), count: 20 * 1024 * 1024 + 1)
            let answer = try await h.send(bytes: big)
            #expect(answer.status == 413)
            #expect(answer.errorType == "invalid_request_error")
        }
    }

    @Test func reportsUpstreamFailures() async throws {
        // A 4xx is not retried, so the failure arrives at once.
        let failure = FakeModelServer.Reply.error(400, #"{"error":{"message":"bad request upstream"}}"#)
        try await ResponsesHarness.with(fallback: failure) { h in
            let answer = try await h.post(["input": "hi"])
            #expect(answer.status == 502)
            #expect(answer.errorType == "api_error")
            #expect(answer.json["status"] == "failed")
            #expect(answer.json["error"]?["code"] == "server_error")

            let (status, _, events) = try await h.stream(["input": "hi", "stream": true])
            #expect(status == 200)
            #expect(events.map { $0.type ?? "[DONE]" }.suffix(2) == ["response.failed", "[DONE]"])
            let failed = events.compactMap(\.data).last?["response"]
            #expect(failed?["status"] == "failed")
            #expect(failed?["error"]?["message"] == "upstream provider error")
        }
    }

    @Test func aClientThatHangsUpAbortsTheRun() async throws {
        try await ResponsesHarness.with([OpenAIScript.endless("Once upon"), OpenAIScript.text(["still here"])]) { h in
            let (_, _, events) = try await h.stream(["input": "tell a story", "stream": true]) { $0.type == "response.output_text.delta" }
            #expect(events.last?.data?["delta"] == "Once upon")
            // Hanging up closes the gateway's upstream request.
            let upstream = h.upstream
            let sawDisconnect = try await within(10) {
                for await _ in upstream.disconnects { return true }
                return false
            }
            #expect(sawDisconnect)
            let health = try await h.send(.GET, "/healthz", token: .some(nil))
            #expect(health.status == 200)
            let next = try await h.post(["input": "still there?"])
            #expect(next.status == 200)
            #expect(next.json["output"]?[0]?["content"]?[0]?["text"] == "still here")
        }
    }

    @Test func aClientThatHangsUpBeforeTheAnswerAbortsTheRun() async throws {
        try await ResponsesHarness.with([OpenAIScript.endless("Once upon"), OpenAIScript.text(["still here"])]) { h in
            var arrivals = h.upstream.arrivals.makeAsyncIterator()
            let waiting = Task { try await h.post(["input": "tell a story"]) }
            _ = await arrivals.next()
            waiting.cancel()
            _ = await waiting.result
            let upstream = h.upstream
            try await within(15) { for await _ in upstream.disconnects { break } }
            let next = try await h.post(["input": "still there?"])
            #expect(next.status == 200)
            #expect(next.json["output"]?[0]?["content"]?[0]?["text"] == "still here")
        }
    }
}
