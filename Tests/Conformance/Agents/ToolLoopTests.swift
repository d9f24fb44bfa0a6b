// Tests/Conformance/Agents/ToolLoopTests.swift - built-in tools: the loop, tool events, errors, the iteration bound

import Foundation
import Generated
import TestUpstream
import Testing

@Suite("The tool loop over the WebSocket")
struct ToolLoopTests {
    static func isFinal(_ runId: String) -> (JSONValue) -> Bool {
        { $0["event"] == "chat" && $0["payload"]?["state"] == "final" && $0["payload"]?["runId"] == .string(runId) }
    }

    @Test func aToolCallIsRunAndItsResultFedBackAndOnlyTheToolEventsClientSeesIt() async throws {
        let replies = [OpenAIScript.toolCall(id: "call_1", name: "current_time", arguments: #"{}"#), OpenAIScript.text(["It is ", "noon."])]
        try await AgentHarness.with(replies) { harness in
            let watcher = try await harness.connect(caps: ["tool-events"])
            defer { Task { await watcher.close() } }
            let plain = try await harness.connect()
            defer { Task { await plain.close() } }
            try await watcher.send("s", "chat.send", ["sessionKey": "main", "message": "What time is it?", "idempotencyKey": "tool-1"])
            let frames = try await watcher.collect(until: Self.isFinal("tool-1"))
            let plainFrames = try await plain.collect(until: Self.isFinal("tool-1"))

            let tools = frames.filter { $0["event"] == "agent" && $0["payload"]?["stream"] == "tool" }
            #expect(tools.count == 2)
            // Targeted frames: no connection seq; the payload keeps the run's own seq.
            #expect(tools.allSatisfy { $0["type"] == "event" && $0.objectValue?["seq"] == nil })
            #expect(
                tools.allSatisfy {
                    $0["payload"]?["seq"]?.intValue != nil && $0["payload"]?["runId"] == "tool-1" && $0["payload"]?["sessionKey"] == "agent:main:main"
                })
            let start = try #require(tools.first?["payload"]?["data"])
            #expect(start["phase"] == "start")
            #expect(start["name"] == "current_time")
            #expect(start["toolCallId"] == "call_1")
            #expect(start["args"] == [:])
            let result = try #require(tools.last?["payload"]?["data"])
            #expect(result["phase"] == "result")
            #expect(result["toolCallId"] == "call_1")
            #expect(result["isError"] == false)
            #expect(result["result"]?.stringValue?.contains("epochMs") == true)
            // Broadcast frames around them still count up per connection.
            let seqs = frames.compactMap { $0["seq"]?.intValue }
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)

            #expect(!plainFrames.contains { $0["payload"]?["stream"] == "tool" })
            #expect(plainFrames.contains { $0["event"] == "agent" && $0["payload"]?["stream"] == "assistant" })

            let final = try #require(frames.last?["payload"])
            #expect(final["message"]?["content"]?[0]?["text"] == "It is noon.")
            #expect(final["stopReason"] == "stop")

            // The model's second request carries its tool call and the tool's answer.
            let bodies = harness.upstream.requests.withLock { $0.map(\.body) }
            #expect(bodies.count == 2)
            let messages = try #require(bodies.last?["messages"]?.arrayValue)
            #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool"])
            #expect(messages[2]["tool_calls"] == [["id": "call_1", "type": "function", "function": ["name": "current_time", "arguments": "{}"]]])
            #expect(messages[3]["tool_call_id"] == "call_1")
            let toolContent = try #require(messages[3]["content"]?.stringValue)
            let toolJSON = try JSONValue.parse(toolContent)
            #expect(toolJSON["epochMs"]?.intValue != nil)
            #expect(toolJSON["utc"]?.stringValue?.hasSuffix("Z") == true)

            // The transcript keeps every step in upstream's shape.
            let history = try await watcher.call("h", "chat.history", ["sessionKey": "main"])
            let stored = try #require(history["payload"]?["messages"]?.arrayValue)
            #expect(stored.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "toolResult", "assistant"])
            #expect(stored[1]["content"]?[0] == ["type": "toolCall", "id": "call_1", "name": "current_time", "arguments": [:]])
            #expect(stored[1]["stopReason"] == "toolUse")
            #expect(stored[2]["toolCallId"] == "call_1" && stored[2]["toolName"] == "current_time" && stored[2]["isError"] == false)
            #expect(stored[3]["content"]?[0]?["text"] == "It is noon.")
        }
    }

    @Test func anUnknownToolGivesTheModelAnErrorAndTheRunStillEndsOk() async throws {
        let replies = [OpenAIScript.toolCall(id: "call_x", name: "launch_rockets", arguments: #"{"count":3}"#), OpenAIScript.text(["I cannot do that."])]
        try await AgentHarness.with(replies) { harness in
            let socket = try await harness.connect(caps: ["tool-events"])
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "Launch", "idempotencyKey": "tool-x"])
            let frames = try await socket.collect { $0["type"] == "res" && $0["id"] == "a" && $0["payload"]?["status"] != "accepted" }
            let final = try #require(frames.last)
            #expect(final["ok"] == true)
            #expect(final["payload"]?["status"] == "ok")
            #expect(final["payload"]?["result"]?["payloads"]?[0]?["text"] == "I cannot do that.")
            #expect(final["payload"]?["result"]?["meta"]?["toolCalls"] == 1)
            let result = frames.last { $0["payload"]?["stream"] == "tool" }?["payload"]?["data"]
            #expect(result?["phase"] == "result")
            #expect(result?["isError"] == true)
            #expect(result?["name"] == "launch_rockets")

            let toolMessage = harness.upstream.requests.withLock { $0.last?.body["messages"]?.arrayValue?.last }
            #expect(toolMessage?["role"] == "tool")
            #expect(toolMessage?["tool_call_id"] == "call_x")
            #expect(toolMessage?["content"]?.stringValue?.hasPrefix(#"error: unknown tool "launch_rockets""#) == true)
            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            let toolResult = history["payload"]?["messages"]?.arrayValue?.first { $0["role"] == "toolResult" }
            #expect(toolResult?["isError"] == true)
        }
    }

    @Test func maxToolIterationsBoundsTheLoopAndTheLastCallOffersNoTools() async throws {
        let agents = #""defaults":{"model":{"primary":"local/test-model"},"maxToolIterations":2}"#
        let replies = [
            OpenAIScript.toolCall(id: "call_1", name: "current_time", arguments: #"{}"#),
            OpenAIScript.toolCall(id: "call_2", name: "current_time", arguments: #"{}"#),
        ]
        try await AgentHarness.with(replies, fallback: OpenAIScript.toolCall(id: "call_more", name: "current_time", arguments: #"{}"#), agents: agents) {
            harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "Loop forever", "idempotencyKey": "loop"])
            let final = try await socket.next { $0["type"] == "res" && $0["id"] == "a" && $0["payload"]?["status"] != "accepted" }
            #expect(final["ok"] == true)
            #expect(final["payload"]?["status"] == "ok")
            let bodies = harness.upstream.requests.withLock { $0.map(\.body) }
            #expect(bodies.count == 2)
            #expect(bodies.first?["tools"]?.arrayValue?.isEmpty == false)
            #expect(bodies.last?.objectValue?["tools"] == nil)
            // The last turn's conversation still has the first call and its result.
            #expect(bodies.last?["messages"]?.arrayValue?.map { $0["role"]?.stringValue ?? "" } == ["system", "user", "assistant", "tool"])
        }
    }
}
