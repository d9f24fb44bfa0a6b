// Tests/Conformance/Agents/AgentRunTests.swift - `agent`: two answers, event order, dedupe, wait, errors

import Foundation
import Generated
import Runtime
import Synchronization
import TestUpstream
import Testing

@Suite("Agent runs over the WebSocket")
struct AgentRunTests {
    @Test func agentAnswersTwiceWithTheSameIdAndStreamsEventsInOrder() async throws {
        try await AgentHarness.with([OpenAIScript.text(["Hello", ", ", "world"])]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await socket.send("run-1", "agent", ["message": "Say hello", "idempotencyKey": "key-1"])
            let frames = try await socket.collect { $0["type"] == "res" && $0["id"] == "run-1" && $0["payload"]?["status"] != "accepted" }
            let responses = frames.filter { $0["type"] == "res" }
            #expect(responses.count == 2)
            #expect(responses[0]["ok"] == true)
            #expect(responses[0]["payload"]?["runId"] == "key-1")
            #expect(responses[0]["payload"]?["status"] == "accepted")
            #expect(responses[0]["payload"]?["acceptedAt"]?.intValue != nil)
            let final = responses[1]
            #expect(final["ok"] == true)
            #expect(final["payload"]?["status"] == "ok")
            #expect(final["payload"]?["summary"] == "completed")
            #expect(final["payload"]?["result"]?["payloads"]?[0]?["text"] == "Hello, world")
            #expect(final["payload"]?["result"]?["meta"]?["provider"] == "local")
            #expect(final["payload"]?["result"]?["meta"]?["model"] == "test-model")
            #expect(final["payload"]?["result"]?["meta"]?["usage"]?["input"] == 10)

            // The ack comes before any of the run's events; agent events count up per run: start, three deltas, end.
            #expect(frames.firstIndex { $0["type"] == "res" }! < frames.firstIndex { $0["event"] == "agent" }!)
            let agentEvents = frames.filter { $0["event"] == "agent" }.compactMap { $0["payload"] }
            #expect(agentEvents.map { $0["seq"]?.intValue ?? 0 } == Array(1...agentEvents.count))
            #expect(agentEvents.first?["stream"] == "lifecycle" && agentEvents.first?["data"]?["phase"] == "start")
            #expect(agentEvents.last?["stream"] == "lifecycle" && agentEvents.last?["data"]?["phase"] == "end")
            let assistant = agentEvents.filter { $0["stream"] == "assistant" }
            #expect(assistant.map { $0["data"]?["delta"]?.stringValue ?? "" } == ["Hello", ", ", "world"])
            #expect(assistant.last?["data"]?["text"] == "Hello, world")
            #expect(agentEvents.allSatisfy { $0["sessionKey"] == "agent:main:main" && $0["runId"] == "key-1" })
            let chatFinal = frames.first { $0["event"] == "chat" && $0["payload"]?["state"] == "final" }?["payload"]
            #expect(chatFinal?["message"]?["content"]?[0]?["text"] == "Hello, world")
            #expect(chatFinal?["message"]?["role"] == "assistant")

            // The upstream got the system prompt and the user's message, streaming, with the built-in tools.
            let body = try #require(harness.upstream.requests.withLock { $0.first?.body })
            #expect(body["model"] == "test-model")
            #expect(body["stream"] == true)
            #expect(body["messages"]?[0]?["role"] == "system")
            #expect(body["messages"]?[1]?["content"] == "Say hello")
            #expect(
                body["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }.sorted() == ["current_time", "session_status", "sessions_list"])
        }
    }

    /// The generated typed client: `agent` hands its `accepted` answer to `onAccepted` and returns the final one,
    /// and the run's events arrive decoded into the spec's payload types.
    @Test func theTypedClientGetsBothAnswersAndTypedEvents() async throws {
        try await AgentHarness.with([OpenAIScript.text(["Typed", " hello"])]) { harness in
            let client = try await GatewayClient.connect(
                GatewayClientOptions(url: harness.gateway.url, token: harness.gateway.token, identity: DeviceIdentity()))
            let accepted = Mutex<AgentRunResult?>(nil)
            let final = try await client.agent(AgentParams(message: "Say hello", idempotencyKey: "typed-1")) { answer in
                accepted.withLock { $0 = answer }
            }
            #expect(accepted.withLock { $0 }?.status == .accepted)
            #expect(accepted.withLock { $0 }?.runId == "typed-1")
            #expect(final.status == .ok)
            #expect(final.result?.payloads.compactMap(\.text) == ["Typed hello"])
            #expect(final.result?.meta.sessionKey == "agent:main:main")
            var phases: [String] = []
            for try await event in client.typedEvents {
                guard case .agent(let agent) = event, agent.runId == "typed-1", agent.stream == "lifecycle" else { continue }
                phases.append(agent.data["phase"]?.stringValue ?? "?")
                if phases.last == "end" { break }
            }
            #expect(phases == ["start", "end"])
            await client.close()
        }
    }

    @Test func aRetriedKeyReplaysAndNeverStartsASecondRun() async throws {
        try await AgentHarness.with([OpenAIScript.text(["once"], pauseBetween: .milliseconds(200))]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "hi", "idempotencyKey": "dup"])
            let first = try await socket.response("a")
            // While it runs, a retry gets the accepted ack only.
            let retry = try await socket.call("b", "agent", ["message": "hi", "idempotencyKey": "dup"])
            #expect(retry["payload"] == first["payload"])
            let final = try await socket.next { $0["type"] == "res" && $0["id"] == "a" && $0["payload"]?["status"] == "ok" }
            // After it ended, a retry replays the final answer.
            let replay = try await socket.call("c", "agent", ["message": "hi", "idempotencyKey": "dup"])
            #expect(replay["payload"] == final["payload"])
            #expect(harness.upstream.requestCount == 1)
            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            #expect(history["payload"]?["messages"]?.arrayValue?.count == 2)
        }
    }

    @Test func agentWaitReturnsTheOutcomeAndTimesOutWithoutStoppingTheRun() async throws {
        try await AgentHarness.with([OpenAIScript.endless("thinking"), OpenAIScript.text(["done"])]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "long", "idempotencyKey": "slow"])
            _ = try await socket.response("a")
            _ = try await socket.event("agent") { $0["stream"] == "assistant" }
            let waited = try await socket.call("w", "agent.wait", ["runId": "slow", "timeoutMs": 100])
            #expect(waited["payload"]?["status"] == "timeout")
            let aborted = try await socket.call("x", "chat.abort", ["sessionKey": "main", "runId": "slow"])
            #expect(aborted["payload"]?["runIds"] == ["slow"])
            try await socket.send("b", "agent", ["message": "short", "idempotencyKey": "fast"])
            _ = try await socket.response("b")
            let done = try await socket.call("w2", "agent.wait", ["runId": "fast", "timeoutMs": 5000])
            #expect(done["payload"]?["status"] == "ok")
            #expect(done["payload"]?["endedAt"]?.intValue != nil)
        }
    }

    @Test func anUnknownAgentIsRefusedWithItsDetailCode() async throws {
        try await AgentHarness.with([]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            let response = try await socket.call("a", "agent", ["message": "hi", "idempotencyKey": "k", "agentId": "nobody"])
            #expect(response["ok"] == false)
            #expect(response["error"]?["code"] == "INVALID_REQUEST")
            #expect(response["error"]?["message"] == "unknown agent id \"nobody\"")
            #expect(response["error"]?["details"]?["code"] == "UNKNOWN_AGENT_ID")
            let missing = try await socket.call("b", "agent", ["message": "hi"])
            #expect(missing["error"]?["message"]?.stringValue?.hasPrefix("invalid agent params") == true)
        }
    }

    @Test func withoutAModelTheRunFailsFastNamingTheKeyToSet() async throws {
        try await AgentHarness.with([], agents: #""defaults":{}"#) { harness in
            let socket = try await harness.connect(protocolVersion: 4)  // errorKind is a protocol 4 field
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "hi", "idempotencyKey": "nomodel"])
            #expect(try await socket.response("a")["payload"]?["status"] == "accepted")
            let frames = try await socket.collect { $0["type"] == "res" && $0["id"] == "a" }
            let final = try #require(frames.last)
            #expect(final["ok"] == false)
            #expect(final["error"]?["code"] == "UNAVAILABLE")
            #expect(final["error"]?["message"]?.stringValue?.contains("agents.defaults.model.primary") == true)
            #expect(final["payload"]?["status"] == "error")
            #expect(final["payload"]?["runId"] == "nomodel")
            let chat = frames.first { $0["event"] == "chat" && $0["payload"]?["state"] == "error" }?["payload"]
            #expect(chat?["errorKind"] == "unknown")
            #expect(harness.upstream.requestCount == 0)
        }
    }

    @Test func upstreamErrorsBecomeRunErrorsWithAKind() async throws {
        let tooLong = FakeModelServer.Reply.error(400, #"{"error":{"message":"This model's maximum context length is 4096 tokens"}}"#)
        try await AgentHarness.with([tooLong, .error(401, #"{"error":{"message":"bad key"}}"#)]) { harness in
            let socket = try await harness.connect(protocolVersion: 4)  // errorKind is a protocol 4 field
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "hi", "idempotencyKey": "e1"])
            _ = try await socket.response("a")
            let frames = try await socket.collect { $0["type"] == "res" && $0["id"] == "a" }
            #expect(frames.last?["error"]?["message"]?.stringValue?.contains("maximum context length") == true)
            let chat = frames.first { $0["event"] == "chat" && $0["payload"]?["state"] == "error" }?["payload"]
            #expect(chat?["errorKind"] == "context_length")
            try await socket.send("b", "agent", ["message": "hi", "idempotencyKey": "e2"])
            let second = try await socket.next { $0["type"] == "res" && $0["id"] == "b" && $0["ok"] == false }
            #expect(second["error"]?["message"]?.stringValue?.contains("HTTP 401") == true)
            // The gateway is still healthy.
            #expect(try await socket.call("h", "health", [:])["ok"] == true)
        }
    }

    @Test func aRunThatOverrunsItsTimeoutEndsWithAgentTimeout() async throws {
        try await AgentHarness.with([OpenAIScript.endless("slow")]) { harness in
            let socket = try await harness.connect(protocolVersion: 4)  // errorKind is a protocol 4 field
            defer { Task { await socket.close() } }
            try await socket.send("a", "agent", ["message": "hi", "idempotencyKey": "t", "timeout": 1])
            _ = try await socket.response("a")
            let frames = try await socket.collect(timeout: .seconds(10)) { $0["type"] == "res" && $0["id"] == "a" }
            #expect(frames.last?["error"]?["code"] == "AGENT_TIMEOUT")
            let chat = frames.first { $0["event"] == "chat" && $0["payload"]?["state"] == "error" }?["payload"]
            #expect(chat?["errorKind"] == "timeout")
            // The upstream request was closed.
            try await within(5) { for await _ in harness.upstream.disconnects { return } }
        }
    }
}
