// Tests/Conformance/Agents/ChatInjectTests.swift - chat.inject: an assistant message without a run

import Foundation
import Generated
import TestUpstream
import Testing

@Suite("chat.inject over the WebSocket")
struct ChatInjectTests {
    @Test func injectAppendsAnAssistantMessageAndBroadcastsAFinal() async throws {
        try await AgentHarness.with([]) { harness in
            let admin = try await harness.connect()
            defer { Task { await admin.close() } }
            let watcher = try await harness.connect(scopes: ["operator.read"])
            defer { Task { await watcher.close() } }

            let injected = try await admin.call("i", "chat.inject", ["sessionKey": "main", "message": "Maintenance at noon", "label": "ops"])
            #expect(injected["ok"] == true)
            #expect(injected["payload"]?["ok"] == true)
            let messageId = try #require(injected["payload"]?["messageId"]?.stringValue)
            #expect(messageId.count == 8)

            let event = try await watcher.event("chat") { $0["state"] == "final" }
            #expect(event["sessionKey"] == "agent:main:main")
            #expect(event["runId"]?.stringValue?.isEmpty == false)
            #expect(event["message"]?["role"] == "assistant")
            #expect(event["message"]?["content"]?[0]?["text"] == "Maintenance at noon")
            #expect(event["stopReason"] == "injected")

            let history = try await watcher.call("h", "chat.history", ["sessionKey": "main"])
            let messages = try #require(history["payload"]?["messages"]?.arrayValue)
            #expect(messages.count == 1)
            #expect(messages[0]["role"] == "assistant")
            #expect(messages[0]["content"] == [["type": "text", "text": "Maintenance at noon"]])
            #expect(messages[0]["label"] == "ops")
            #expect(messages[0]["timestamp"]?.intValue != nil)
            #expect(harness.upstream.requestCount == 0)

            // Labels are capped at 100 characters.
            let longest = try await admin.call(
                "ok", "chat.inject", ["sessionKey": "main", "message": "x", "label": .string(String(repeating: "l", count: 100))])
            #expect(longest["ok"] == true)
            let tooLong = try await admin.call(
                "long", "chat.inject", ["sessionKey": "main", "message": "x", "label": .string(String(repeating: "l", count: 101))])
            #expect(tooLong["ok"] == false)
            #expect(tooLong["error"]?["code"] == "INVALID_REQUEST")
            #expect(tooLong["error"]?["message"]?.stringValue?.contains("/label") == true)
            #expect(try await admin.call("h2", "chat.history", ["sessionKey": "main"])["payload"]?["messages"]?.arrayValue?.count == 2)
        }
    }
}
