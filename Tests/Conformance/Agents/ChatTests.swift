// Tests/Conformance/Agents/ChatTests.swift - chat.send acks, chat deltas and final, dedupe, chat.history

import Foundation
import Generated
import TestUpstream
import Testing

@Suite("chat.send and chat.history over the WebSocket")
struct ChatTests {
    /// "Hello" at once, then ", " and "world" each after a pause: the run is still going while a retry arrives,
    /// and the pauses outlast the 150 ms delta throttle.
    static let slowHello = FakeModelServer.Reply.sse([
        OpenAIScript.event(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"}}]}"#),
        .pause(.milliseconds(250)),
        OpenAIScript.event(#"{"choices":[{"index":0,"delta":{"content":", "}}]}"#),
        .pause(.milliseconds(250)),
        OpenAIScript.event(#"{"choices":[{"index":0,"delta":{"content":"world"}}]}"#),
        OpenAIScript.event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
        OpenAIScript.event(#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#),
        OpenAIScript.done,
    ])

    @Test func sendAcksStreamsCumulativeDeltasThenFinalAndDedupesRetries() async throws {
        try await AgentHarness.with([Self.slowHello]) { harness in
            let socket = try await harness.connect(protocolVersion: 4)  // deltaText is a protocol 4 field
            defer { Task { await socket.close() } }
            let ack = try await socket.call("s1", "chat.send", ["sessionKey": "main", "message": "Say hello", "idempotencyKey": "chat-1"])
            #expect(ack["ok"] == true)
            #expect(ack["payload"] == ["runId": "chat-1", "status": "started"])

            // The first delta is never throttled; a retry while the run goes is told it is in flight.
            let first = try await socket.event("chat") { $0["state"] == "delta" }
            #expect(first["runId"] == "chat-1")
            #expect(first["sessionKey"] == "agent:main:main")
            #expect(first["seq"]?.intValue != nil)
            #expect(first["message"]?["role"] == "assistant")
            #expect(first["message"]?["content"]?[0]?["type"] == "text")
            #expect(first["message"]?["content"]?[0]?["text"] == "Hello")
            #expect(first["message"]?["timestamp"]?.intValue != nil)
            #expect(first["deltaText"] == "Hello")
            try await socket.send("s2", "chat.send", ["sessionKey": "main", "message": "Say hello", "idempotencyKey": "chat-1"])
            let frames = try await socket.collect { $0["event"] == "chat" && $0["payload"]?["state"] == "final" }
            let retry = try #require(frames.first { $0["type"] == "res" && $0["id"] == "s2" })
            #expect(retry["ok"] == true)
            #expect(retry["payload"] == ["runId": "chat-1", "status": "in_flight"])
            let chat = [first] + frames.filter { $0["event"] == "chat" }.compactMap { $0["payload"] }
            let deltas = chat.filter { $0["state"] == "delta" }
            // Each delta carries the whole text so far, and deltaText is what it adds to the previous one.
            var sent = ""
            for delta in deltas {
                sent += delta["deltaText"]?.stringValue ?? "<none>"
                #expect(delta["message"]?["content"]?[0]?["text"]?.stringValue == sent)
            }
            #expect(deltas.count >= 2, "the pauses outlast the throttle: \(deltas.map(\.text))")
            #expect("Hello, world".hasPrefix(sent))
            let final = try #require(chat.last)
            #expect(final["state"] == "final")
            #expect(final["runId"] == "chat-1")
            #expect(final["message"]?["content"]?[0]?["text"] == "Hello, world")
            #expect(final["usage"] == ["input": 12, "output": 3, "totalTokens": 15])
            #expect(final["stopReason"] == "stop")
            // seq is the run's agent-event counter: it never goes back.
            let seqs = chat.compactMap { $0["seq"]?.intValue }
            #expect(seqs == seqs.sorted())

            // After the run, a retry gets the cached outcome and starts nothing.
            let replay = try await socket.call("s3", "chat.send", ["sessionKey": "main", "message": "Say hello", "idempotencyKey": "chat-1"])
            #expect(replay["ok"] == true)
            #expect(replay["payload"] == ["runId": "chat-1", "status": "ok"])
            #expect(harness.upstream.requestCount == 1)
        }
    }

    /// A client that saw a run end and retries at once (a reconnect, say) must get the cached outcome,
    /// never `in_flight` / `accepted` for a run that is over. Repeated because a race decides it.
    @Test func aRetryRightAfterTheRunEndedGetsTheCachedOutcome() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["x"])) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            var stale: [String] = []
            for round in 0..<20 {
                let chatKey = JSONValue.string("retry-chat-\(round)")
                try await socket.send("c\(round)", "chat.send", ["sessionKey": "main", "message": "m", "idempotencyKey": chatKey])
                _ = try await socket.event("chat") { $0["state"] == "final" && $0["runId"] == chatKey }
                let chatRetry = try await socket.call("cr\(round)", "chat.send", ["sessionKey": "main", "message": "m", "idempotencyKey": chatKey])
                if chatRetry["payload"] != ["runId": chatKey, "status": "ok"] { stale.append("chat.send: \(chatRetry.text)") }

                let agentKey = JSONValue.string("retry-agent-\(round)")
                try await socket.send("a\(round)", "agent", ["message": "m", "idempotencyKey": agentKey])
                _ = try await socket.event("agent") { $0["runId"] == agentKey && $0["data"]?["phase"] == "end" }
                let agentRetry = try await socket.call("ar\(round)", "agent", ["message": "m", "idempotencyKey": agentKey])
                if agentRetry["payload"]?["status"] != "ok" { stale.append("agent: \(agentRetry.text)") }
            }
            #expect(stale.isEmpty, "retries after the end answered as if the run still went:\n\(stale.joined(separator: "\n"))")
            #expect(harness.upstream.requestCount == 40)
        }
    }

    @Test func historyHoldsBothSidesInUpstreamShapeWithLimitAndMaxChars() async throws {
        try await AgentHarness.with([OpenAIScript.text(["Answer ", "one"]), OpenAIScript.text(["A much longer second answer"])]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            for (index, message) in ["first question", "second question"].enumerated() {
                try await socket.send("s\(index)", "chat.send", ["sessionKey": "main", "message": .string(message), "idempotencyKey": .string("h\(index)")])
                _ = try await socket.event("chat") { $0["state"] == "final" && $0["runId"] == .string("h\(index)") }
            }
            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            #expect(history["ok"] == true)
            let payload = try #require(history["payload"])
            #expect(payload["sessionKey"] == "agent:main:main")
            #expect(payload["sessionId"]?.stringValue?.isEmpty == false)
            let messages = try #require(payload["messages"]?.arrayValue)
            #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "user", "assistant"])
            #expect(
                messages.map { $0["content"]?[0]?["text"]?.stringValue ?? "" } == [
                    "first question", "Answer one", "second question", "A much longer second answer",
                ])
            #expect(messages.allSatisfy { $0["content"]?[0]?["type"] == "text" && $0["timestamp"]?.intValue != nil })
            #expect(messages.allSatisfy { $0["content"]?.arrayValue?.count == 1 })
            let stamps = messages.compactMap { $0["timestamp"]?.intValue }
            #expect(stamps == stamps.sorted())
            let answer = messages[1]
            #expect(answer["stopReason"] == "stop")
            #expect(answer["usage"] == ["input": 10, "output": 5, "totalTokens": 15])
            #expect(answer["provider"] == "local")
            #expect(answer["model"] == "test-model")
            #expect(messages[0]["stopReason"] == nil && messages[0]["usage"] == nil)

            let limited = try await socket.call("l", "chat.history", ["sessionKey": "main", "limit": 2])
            #expect(
                limited["payload"]?["messages"]?.arrayValue?.map { $0["content"]?[0]?["text"]?.stringValue ?? "" } == [
                    "second question", "A much longer second answer",
                ])
            let clipped = try await socket.call("c", "chat.history", ["sessionKey": "agent:main:main", "maxChars": 6])
            #expect(
                clipped["payload"]?["messages"]?.arrayValue?.map { $0["content"]?[0]?["text"]?.stringValue ?? "" } == ["first ", "Answer", "second", "A much"])
            #expect(clipped["payload"]?["messages"]?[1]?["stopReason"] == "stop")

            let unknown = try await socket.call("u", "chat.history", ["sessionKey": "nobody-here"])
            #expect(unknown["ok"] == true)
            #expect(unknown["payload"] == ["sessionKey": "agent:main:nobody-here", "messages": []])

            let outOfRange = try await socket.call("r", "chat.history", ["sessionKey": "main", "limit": 0])
            #expect(outOfRange["ok"] == false)
            #expect(outOfRange["error"]?["code"] == "INVALID_REQUEST")
        }
    }

    @Test func abortClosesTheUpstreamAndKeepsThePartialAnswer() async throws {
        try await AgentHarness.with([OpenAIScript.endless("Partial thought")]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            _ = try await socket.call("s", "chat.send", ["sessionKey": "main", "message": "Think hard", "idempotencyKey": "run-a"])
            _ = try await socket.event("chat") { $0["state"] == "delta" && $0["runId"] == "run-a" }

            // Another session may not name this run.
            let foreign = try await socket.call("x", "chat.abort", ["sessionKey": "elsewhere", "runId": "run-a"])
            #expect(foreign["ok"] == false)
            #expect(foreign["error"]?["code"] == "INVALID_REQUEST")
            #expect(foreign["error"]?["message"] == "run run-a does not belong to session agent:main:elsewhere")

            try await socket.send("a", "chat.abort", ["sessionKey": "main", "runId": "run-a"])
            let matched = try await socket.each([
                { $0["type"] == "res" && $0["id"] == "a" },
                { $0["event"] == "chat" && $0["payload"]?["state"] == "aborted" },
            ])
            #expect(matched[0]["ok"] == true)
            #expect(matched[0]["payload"] == ["ok": true, "aborted": true, "runIds": ["run-a"]])
            let aborted = try #require(matched[1]["payload"])
            #expect(aborted["runId"] == "run-a")
            #expect(aborted["sessionKey"] == "agent:main:main")
            #expect(aborted["stopReason"] == "aborted")
            #expect(aborted["message"]?["content"]?[0]?["text"] == "Partial thought")
            try await within(5) { for await _ in harness.upstream.disconnects { break } }

            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            let messages = try #require(history["payload"]?["messages"]?.arrayValue)
            #expect(messages.count == 2)
            #expect(messages.last?["role"] == "assistant")
            #expect(messages.last?["content"]?[0]?["text"] == "Partial thought")
            #expect(messages.last?["stopReason"] == "aborted")

            // Nothing is left to abort.
            let again = try await socket.call("b", "chat.abort", ["sessionKey": "main"])
            #expect(again["payload"] == ["ok": true, "aborted": false, "runIds": []])
            #expect(harness.upstream.requestCount == 1)
        }
    }

    @Test func slashStopAbortsTheSessionsRuns() async throws {
        try await AgentHarness.with([OpenAIScript.endless("Working")]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            _ = try await socket.call("s", "chat.send", ["sessionKey": "main", "message": "Go", "idempotencyKey": "run-s"])
            _ = try await socket.event("chat") { $0["state"] == "delta" }
            try await socket.send("stop", "chat.send", ["sessionKey": "main", "message": " /stop ", "idempotencyKey": "stop-1"])
            let matched = try await socket.each([
                { $0["type"] == "res" && $0["id"] == "stop" },
                { $0["event"] == "chat" && $0["payload"]?["state"] == "aborted" },
            ])
            #expect(matched[0]["payload"] == ["ok": true, "aborted": true, "runIds": ["run-s"]])
            #expect(matched[1]["payload"]?["runId"] == "run-s")
            #expect(matched[1]["payload"]?["stopReason"] == "aborted")
            try await within(5) { for await _ in harness.upstream.disconnects { break } }

            // /stop is not a message: it is not in the transcript, and with nothing running it aborts nothing.
            let idle = try await socket.call("stop2", "chat.send", ["sessionKey": "main", "message": "/STOP", "idempotencyKey": "stop-2"])
            #expect(idle["payload"] == ["ok": true, "aborted": false, "runIds": []])
            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            #expect(history["payload"]?["messages"]?.arrayValue?.map { $0["content"]?[0]?["text"]?.stringValue ?? "" } == ["Go", "Working"])
        }
    }
}
