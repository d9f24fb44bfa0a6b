// Tests/Conformance/Agents/ShutdownTests.swift - a graceful stop ends runs as `shutdown` and keeps what they said

import Foundation
import Generated
import TestUpstream
import Testing

@Suite("Runs across a graceful shutdown")
struct ShutdownTests {
    @Test func aRunInProgressEndsAsShutdownBeforeTheSocketClosesAndTheTranscriptKeepsIt() async throws {
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-shutdown-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: stateDir) }

        try await AgentHarness.with([OpenAIScript.endless("Half an answer")], stateDir: stateDir) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await socket.send("run", "agent", ["message": "Long task", "idempotencyKey": "long"])
            _ = try await socket.each([
                { $0["type"] == "res" && $0["id"] == "run" },
                { $0["event"] == "chat" && $0["payload"]?["state"] == "delta" },
            ])
            await harness.gateway.stop()
            let (frames, closeCode) = try await socket.drain()
            #expect(closeCode == 1012)

            let aborted = try #require(frames.first { $0["event"] == "chat" && $0["payload"]?["state"] == "aborted" }?["payload"])
            #expect(aborted["runId"] == "long")
            #expect(aborted["stopReason"] == "shutdown")
            #expect(aborted["message"]?["content"]?[0]?["text"] == "Half an answer")
            let end = frames.first { $0["event"] == "agent" && $0["payload"]?["data"]?["phase"] == "end" }?["payload"]?["data"]
            #expect(end?["aborted"] == true && end?["stopReason"] == "shutdown")

            // The agent's second answer arrives before the shutdown notice and the close.
            let finalIndex = try #require(
                frames.firstIndex { $0["type"] == "res" && $0["id"] == "run" }, "no second res before the close: \(frames.map(\.text))")
            let final = frames[finalIndex]
            #expect(final["ok"] == true)
            #expect(final["payload"]?["status"] == "ok")
            #expect(final["payload"]?["summary"] == "shutdown")
            #expect(final["payload"]?["result"]?["payloads"]?[0]?["text"] == "Half an answer")
            #expect(final["payload"]?["result"]?["meta"]?["stopReason"] == "shutdown")
            let shutdownIndex = try #require(frames.firstIndex { $0["event"] == "shutdown" })
            #expect(finalIndex < shutdownIndex)
            #expect(frames[shutdownIndex]["payload"]?["reason"] == "gateway stopping")

            try await within(5) { for await _ in harness.upstream.disconnects { break } }
        }

        // A gateway on the same state dir serves what the stopped run said.
        try await AgentHarness.with([], stateDir: stateDir) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            let messages = try #require(history["payload"]?["messages"]?.arrayValue)
            #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant"])
            #expect(messages.first?["content"]?[0]?["text"] == "Long task")
            #expect(messages.last?["content"]?[0]?["text"] == "Half an answer")
            #expect(messages.last?["stopReason"] == "shutdown")
        }
    }

    @Test func aQueuedRunIsAbortedAsShutdownToo() async throws {
        try await AgentHarness.with([OpenAIScript.endless("First")]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            _ = try await socket.call("1", "chat.send", ["sessionKey": "main", "message": "one", "idempotencyKey": "q1"])
            _ = try await socket.event("chat") { $0["state"] == "delta" }
            _ = try await socket.call("2", "chat.send", ["sessionKey": "main", "message": "two", "idempotencyKey": "q2"])
            await harness.gateway.stop()
            let (frames, closeCode) = try await socket.drain()
            #expect(closeCode == 1012)
            let aborted = frames.filter { $0["event"] == "chat" && $0["payload"]?["state"] == "aborted" }.compactMap { $0["payload"] }
            #expect(Set(aborted.compactMap { $0["runId"]?.stringValue }) == ["q1", "q2"])
            #expect(aborted.allSatisfy { $0["stopReason"] == "shutdown" })
            #expect(harness.upstream.requestCount == 1)
        }
    }
}
