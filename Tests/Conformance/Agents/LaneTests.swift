// Tests/Conformance/Agents/LaneTests.swift - one run at a time per session, sessions in parallel, the global cap

import Foundation
import Generated
import TestUpstream
import Testing

@Suite("Session lanes and the global run cap")
struct LaneTests {
    /// An answer that takes a while after its first words, so a second message arrives while it runs.
    static func slow(_ first: String, _ rest: String) -> FakeModelServer.Reply {
        .sse([
            OpenAIScript.event(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":\#(quoted(first))}}]}"#),
            .pause(.milliseconds(400)),
            OpenAIScript.event(#"{"choices":[{"index":0,"delta":{"content":\#(quoted(rest))}}]}"#),
            OpenAIScript.event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
            OpenAIScript.done,
        ])
    }

    static func quoted(_ text: String) -> String { JSONValue.string(text).text }

    /// The queued/running state of a run without waiting: `agent.wait` with 1 ms answers `timeout`
    /// with `startedAt` only once the run has left its queue.
    static func startedAt(_ socket: AgentSocket, _ runId: String) async throws -> Int? {
        let waited = try await socket.call("wait-\(runId)-\(UUID().uuidString.prefix(4))", "agent.wait", ["runId": .string(runId), "timeoutMs": 1])
        #expect(waited["payload"]?["status"] == "timeout")
        return waited["payload"]?["startedAt"]?.intValue
    }

    @Test func aSessionRunsOneMessageAtATimeAndTheNextSeesTheFirstAnswer() async throws {
        try await AgentHarness.with([Self.slow("First ", "answer"), OpenAIScript.text(["Second answer"])]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            _ = try await socket.call("1", "chat.send", ["sessionKey": "main", "message": "one", "idempotencyKey": "lane-1"])
            _ = try await socket.event("chat") { $0["state"] == "delta" && $0["runId"] == "lane-1" }
            // Every frame from here on is kept: the first run may end while the second is being sent.
            try await socket.send("2", "chat.send", ["sessionKey": "main", "message": "two", "idempotencyKey": "lane-2"])
            try await socket.send("w", "agent.wait", ["runId": "lane-2", "timeoutMs": 1])
            let frames = try await socket.collect { $0["event"] == "chat" && $0["payload"]?["state"] == "final" && $0["payload"]?["runId"] == "lane-2" }
            let second = frames.first { $0["type"] == "res" && $0["id"] == "2" }
            #expect(second?["payload"] == ["runId": "lane-2", "status": "started"])
            // Accepted, but queued behind the first run: no start time yet.
            let waited = frames.first { $0["type"] == "res" && $0["id"] == "w" }
            #expect(waited?["payload"]?["status"] == "timeout")
            #expect(waited?["payload"]?.objectValue?["startedAt"] == nil)
            let firstFinal = try #require(
                frames.firstIndex { $0["event"] == "chat" && $0["payload"]?["state"] == "final" && $0["payload"]?["runId"] == "lane-1" })
            let secondStart = try #require(
                frames.firstIndex { $0["event"] == "agent" && $0["payload"]?["runId"] == "lane-2" && $0["payload"]?["data"]?["phase"] == "start" })
            #expect(firstFinal < secondStart)

            // The second request is the whole conversation in order: the first exchange, then the new message.
            let bodies = harness.upstream.requests.withLock { $0.map(\.body) }
            #expect(bodies.count == 2)
            let conversation = bodies.last?["messages"]?.arrayValue?.map { "\($0["role"]?.stringValue ?? ""): \($0["content"]?.stringValue ?? "")" }
            #expect(conversation?.dropFirst() == ["user: one", "assistant: First answer", "user: two"])

            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            let texts = history["payload"]?["messages"]?.arrayValue?.map { $0["content"]?[0]?["text"]?.stringValue ?? "" }
            #expect(texts == ["one", "First answer", "two", "Second answer"])
        }
    }

    @Test func differentSessionsRunAtTheSameTime() async throws {
        try await AgentHarness.with([OpenAIScript.endless("left"), OpenAIScript.endless("right")]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await socket.send("1", "chat.send", ["sessionKey": "left", "message": "go", "idempotencyKey": "par-1"])
            try await socket.send("2", "chat.send", ["sessionKey": "right", "message": "go", "idempotencyKey": "par-2"])
            // Both stream at once: each reached the upstream while the other still hangs there.
            let frames = try await socket.each([
                { $0["type"] == "res" && $0["id"] == "1" },
                { $0["type"] == "res" && $0["id"] == "2" },
                { $0["event"] == "chat" && $0["payload"]?["state"] == "delta" && $0["payload"]?["runId"] == "par-1" },
                { $0["event"] == "chat" && $0["payload"]?["state"] == "delta" && $0["payload"]?["runId"] == "par-2" },
            ])
            #expect(frames[0]["payload"]?["status"] == "started" && frames[1]["payload"]?["status"] == "started")
            #expect(frames[2]["payload"]?["sessionKey"] == "agent:main:left")
            #expect(frames[3]["payload"]?["sessionKey"] == "agent:main:right")
            #expect(harness.upstream.requestCount == 2)
            for (id, key) in [("a1", "left"), ("a2", "right")] {
                let aborted = try await socket.call(id, "chat.abort", ["sessionKey": .string(key)])
                #expect(aborted["payload"]?["aborted"] == true)
            }
            try await within(5) {
                var count = 0
                for await _ in harness.upstream.disconnects {
                    count += 1
                    if count == 2 { break }
                }
            }
        }
    }

    @Test func maxConcurrentOneHoldsAnotherSessionsRunUntilTheFirstEnds() async throws {
        let agents = #""defaults":{"model":{"primary":"local/test-model"},"maxConcurrent":1}"#
        try await AgentHarness.with([OpenAIScript.endless("busy"), OpenAIScript.text(["my turn"])], agents: agents) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            _ = try await socket.call("1", "chat.send", ["sessionKey": "first", "message": "go", "idempotencyKey": "cap-1"])
            _ = try await socket.event("chat") { $0["state"] == "delta" && $0["runId"] == "cap-1" }
            let ack = try await socket.call("2", "chat.send", ["sessionKey": "second", "message": "go", "idempotencyKey": "cap-2"])
            #expect(ack["payload"]?["status"] == "started")
            #expect(try await Self.startedAt(socket, "cap-1") != nil)
            #expect(try await Self.startedAt(socket, "cap-2") == nil)
            #expect(harness.upstream.requestCount == 1)

            try await socket.send("a", "chat.abort", ["sessionKey": "first"])
            let matched = try await socket.each([
                { $0["type"] == "res" && $0["id"] == "a" },
                { $0["event"] == "chat" && $0["payload"]?["state"] == "final" && $0["payload"]?["runId"] == "cap-2" },
            ])
            #expect(matched[0]["payload"] == ["ok": true, "aborted": true, "runIds": ["cap-1"]])
            #expect(matched[1]["payload"]?["message"]?["content"]?[0]?["text"] == "my turn")
            #expect(harness.upstream.requestCount == 2)
            #expect(harness.upstream.requests.withLock { $0.last?.body["messages"]?.arrayValue?.last?["content"] } == "go")
        }
    }
}
