// Tests/Conformance/Agents/SessionsMethodsTests.swift - sessions.*, agents.list, agent.identity.get, models.list, scopes

import Foundation
import Generated
import TestUpstream
import Testing

@Suite("Session and agent methods over the WebSocket")
struct SessionsMethodsTests {
    /// Sends `message` in `session` and waits for its final answer.
    static func chat(_ socket: AgentSocket, _ session: String, _ message: String, id: String) async throws {
        let ack = try await socket.call(
            "send-\(id)", "chat.send", ["sessionKey": .string(session), "message": .string(message), "idempotencyKey": .string(id)])
        guard ack["payload"]?["status"] == "started" else { throw HarnessError("chat.send refused: \(ack.text)") }
        _ = try await socket.event("chat") { $0["state"] == "final" && $0["runId"] == .string(id) }
    }

    static func keys(_ response: JSONValue) -> [String] {
        response["payload"]?["sessions"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
    }

    @Test func listFiltersNewestFirstWithTitlesAndPreviews() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["Noted."])) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await Self.chat(socket, "main", "Hello there", id: "m1")
            try await Self.chat(socket, "billing", "Where is my Invoice?", id: "b1")
            try await Self.chat(socket, "billing", "Still waiting", id: "b2")

            let all = try await socket.call("l", "sessions.list", [:])
            #expect(all["ok"] == true)
            let payload = try #require(all["payload"])
            #expect(payload["count"] == 2)
            #expect(payload["ts"]?.intValue != nil)
            #expect(payload["path"]?.stringValue?.hasPrefix(harness.stateDir) == true)
            #expect(payload["defaults"] == ["modelProvider": "local", "model": "test-model", "contextTokens": 4096])
            #expect(Self.keys(all) == ["agent:main:billing", "agent:main:main"])
            let billing = try #require(payload["sessions"]?[0])
            #expect(billing["kind"] == "direct")
            #expect(billing["sessionId"]?.stringValue?.isEmpty == false)
            #expect(billing["updatedAt"]?.intValue != nil)
            #expect(billing["inputTokens"] == 20 && billing["outputTokens"] == 10 && billing["totalTokens"] == 30)
            // Titles and previews only when asked for.
            #expect(billing.objectValue?["derivedTitle"] == nil && billing.objectValue?["lastMessagePreview"] == nil)

            let detailed = try await socket.call("d", "sessions.list", ["includeDerivedTitles": true, "includeLastMessage": true])
            let row = try #require(detailed["payload"]?["sessions"]?[0])
            #expect(row["derivedTitle"] == "Where is my Invoice?")
            #expect(row["lastMessagePreview"] == "Noted.")

            #expect(Self.keys(try await socket.call("n", "sessions.list", ["limit": 1])) == ["agent:main:billing"])
            #expect(Self.keys(try await socket.call("s", "sessions.list", ["search": "INVOICE"])) == ["agent:main:billing"])
            #expect(Self.keys(try await socket.call("s2", "sessions.list", ["search": "hello", "includeDerivedTitles": true])) == ["agent:main:main"])
            #expect(Self.keys(try await socket.call("s3", "sessions.list", ["search": "nothing like this"])) == [])
            #expect(Self.keys(try await socket.call("a", "sessions.list", ["agentId": "MAIN"])).count == 2)

            let preview = try await socket.call("p", "sessions.preview", ["keys": ["billing", "ghost"], "limit": 3, "maxChars": 5])
            let previews = try #require(preview["payload"]?["previews"]?.arrayValue)
            #expect(previews.count == 2)
            #expect(
                previews[0] == [
                    "key": "billing", "status": "ok",
                    "items": [["role": "assistant", "text": "Noted"], ["role": "user", "text": "Still"], ["role": "assistant", "text": "Noted"]],
                ])
            #expect(previews[1] == ["key": "ghost", "status": "missing", "items": []])
        }
    }

    @Test func resolveFindsASessionByKeyIdOrLabel() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["ok"])) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await Self.chat(socket, "work", "hi", id: "w1")
            let history = try await socket.call("h", "chat.history", ["sessionKey": "work"])
            let sessionId = try #require(history["payload"]?["sessionId"]?.stringValue)

            #expect(try await socket.call("k", "sessions.resolve", ["key": "work"])["payload"] == ["ok": true, "key": "agent:main:work"])
            #expect(try await socket.call("i", "sessions.resolve", ["sessionId": .string(sessionId)])["payload"] == ["ok": true, "key": "agent:main:work"])
            let patched = try await socket.call("p", "sessions.patch", ["key": "work", "label": "Work stuff"])
            #expect(patched["payload"]?["entry"]?["label"] == "Work stuff")
            #expect(try await socket.call("l", "sessions.resolve", ["label": "Work stuff"])["payload"] == ["ok": true, "key": "agent:main:work"])

            let missing = try await socket.call("m", "sessions.resolve", ["label": "Nope"])
            #expect(missing["ok"] == false)
            #expect(missing["error"]?["code"] == "INVALID_REQUEST")
            #expect(missing["error"]?["message"] == "No session found: Nope")
            let both = try await socket.call("b", "sessions.resolve", ["key": "work", "label": "Work stuff"])
            #expect(both["error"]?["message"] == "Provide either key, sessionId, or label (not several)")
        }
    }

    @Test func patchSetsAndClearsFieldsAndValidatesLevels() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["ok"])) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await Self.chat(socket, "main", "hi", id: "p1")

            let labelled = try await socket.call("1", "sessions.patch", ["key": "main", "label": "Important", "verboseLevel": "on"])
            #expect(labelled["ok"] == true)
            let payload = try #require(labelled["payload"])
            #expect(payload["ok"] == true)
            #expect(payload["key"] == "agent:main:main")
            #expect(payload["path"]?.stringValue?.isEmpty == false)
            #expect(payload["entry"]?["key"] == "agent:main:main")
            #expect(payload["entry"]?["label"] == "Important")
            #expect(payload["entry"]?["verboseLevel"] == "on")
            #expect(try await socket.call("l", "sessions.list", ["label": "Important"])["payload"]?["count"] == 1)

            // null clears; an absent field stays.
            let cleared = try await socket.call("2", "sessions.patch", ["key": "main", "label": .null])
            #expect(cleared["payload"]?["entry"]?.objectValue?["label"] == nil)
            #expect(cleared["payload"]?["entry"]?["verboseLevel"] == "on")
            let history = try await socket.call("h", "chat.history", ["sessionKey": "main"])
            #expect(history["payload"]?["verboseLevel"] == "on")

            let badLevel = try await socket.call("3", "sessions.patch", ["key": "main", "verboseLevel": "loud"])
            #expect(badLevel["ok"] == false)
            #expect(badLevel["error"]?["code"] == "INVALID_REQUEST")
            #expect(badLevel["error"]?["message"] == #"invalid verboseLevel "loud" (use off, on or full)"#)
            let badType = try await socket.call("4", "sessions.patch", ["key": "main", "label": 7])
            #expect(badType["error"]?["code"] == "INVALID_REQUEST")
            #expect(badType["error"]?["message"] == "invalid sessions.patch params: at /label: must be string or null")
            // An absent model keeps the override; null clears both halves.
            _ = try await socket.call("5", "sessions.patch", ["key": "main", "model": "openai/gpt-x"])
            let kept = try await socket.call("6", "sessions.patch", ["key": "main", "label": "Again"])
            #expect(kept["payload"]?["entry"]?["model"] == "gpt-x")
            let unset = try await socket.call("7", "sessions.patch", ["key": "main", "model": .null])
            #expect(unset["payload"]?["entry"]?.objectValue?["model"] == nil)
            #expect(unset["payload"]?["entry"]?.objectValue?["modelProvider"] == nil)
        }
    }

    /// Upstream's `sessions.patch` creates the entry a key lacks; webchat clients rely on it to ensure a session
    /// (label, send policy, levels) before their first `chat.send`.
    @Test func patchCreatesAMissingSessionThatChatUsesAtOnce() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["hello back"])) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            let before = Int(Date().timeIntervalSince1970 * 1000)
            let created = try await socket.call("1", "sessions.patch", ["key": "ghost", "label": "Fresh", "sendPolicy": "allow"])
            #expect(created["ok"] == true, "\(created.text)")
            let entry = try #require(created["payload"]?["entry"])
            #expect(created["payload"]?["key"] == "agent:main:ghost")
            #expect(entry["label"] == "Fresh")
            #expect(entry["sendPolicy"] == "allow")
            let sessionId = try #require(entry["sessionId"]?.stringValue)
            #expect(UUID(uuidString: sessionId) != nil, "sessionId \(sessionId) is not a UUID")
            #expect((entry["updatedAt"]?.intValue ?? 0) >= before)

            let listed = try await socket.call("2", "sessions.list", [:])
            #expect(Self.keys(listed).contains("agent:main:ghost"))
            // Patching again changes the same session.
            let again = try await socket.call("3", "sessions.patch", ["key": "agent:main:ghost", "label": "Renamed"])
            #expect(again["payload"]?["entry"]?["sessionId"]?.stringValue == sessionId)

            try await Self.chat(socket, "ghost", "hi", id: "g1")
            let history = try await socket.call("4", "chat.history", ["sessionKey": "ghost"])
            #expect(history["payload"]?["sessionId"]?.stringValue == sessionId)
            #expect(history["payload"]?["messages"]?.arrayValue?.count == 2, "\(history.text)")

            // The key's agent must exist.
            let stranger = try await socket.call("5", "sessions.patch", ["key": "agent:nobody:x", "label": "x"])
            #expect(stranger["ok"] == false)
            #expect(stranger["error"]?["code"] == "INVALID_REQUEST")
            #expect(Self.keys(try await socket.call("6", "sessions.list", [:])).contains("agent:nobody:x") == false)
        }
    }

    @Test func webchatClientsCannotChangeSessions() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["ok"])) { harness in
            let admin = try await harness.connect()
            defer { Task { await admin.close() } }
            try await Self.chat(admin, "main", "hi", id: "wc1")
            let webchat = try await harness.connect(
                client: ["id": "webchat-ui", "version": "1", "platform": "web", "mode": "webchat"], device: true
            )
            defer { Task { await webchat.close() } }
            let patch = try await webchat.call("p", "sessions.patch", ["key": "main", "label": "mine"])
            #expect(patch["ok"] == false)
            #expect(patch["error"]?["code"] == "INVALID_REQUEST")
            #expect(patch["error"]?["message"] == "webchat clients cannot patch sessions; use chat.send for session-scoped updates")
            let delete = try await webchat.call("d", "sessions.delete", ["key": "main"])
            #expect(delete["error"]?["message"] == "webchat clients cannot delete sessions; use chat.send for session-scoped updates")
            // Reading is fine, and the session is unchanged.
            let list = try await webchat.call("l", "sessions.list", [:])
            #expect(list["payload"]?["sessions"]?[0]?.objectValue?["label"] == nil)
        }
    }

    @Test func resetStartsAFreshTranscriptAndDeleteRemovesTheSession() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["ok"])) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            try await Self.chat(socket, "main", "before reset", id: "r1")
            try await Self.chat(socket, "scratch", "throwaway", id: "r2")
            let before = try await socket.call("h1", "chat.history", ["sessionKey": "main"])
            let oldId = try #require(before["payload"]?["sessionId"]?.stringValue)

            let reset = try await socket.call("r", "sessions.reset", ["key": "main"])
            #expect(reset["ok"] == true)
            #expect(reset["payload"]?["key"] == "agent:main:main")
            let newId = try #require(reset["payload"]?["entry"]?["sessionId"]?.stringValue)
            #expect(newId != oldId)
            #expect(reset["payload"]?["entry"]?.objectValue?["derivedTitle"] == nil)
            let after = try await socket.call("h2", "chat.history", ["sessionKey": "main"])
            #expect(after["payload"]?["sessionId"]?.stringValue == newId)
            #expect(after["payload"]?["messages"] == [])
            // The next message starts the new transcript, without the old conversation.
            try await Self.chat(socket, "main", "after reset", id: "r3")
            let body = harness.upstream.requests.withLock { $0.last?.body }
            #expect(body?["messages"]?.arrayValue?.compactMap { $0["content"]?.stringValue }.dropFirst() == ["after reset"])

            let deleted = try await socket.call("d", "sessions.delete", ["key": "scratch"])
            #expect(deleted["payload"] == ["ok": true, "key": "agent:main:scratch", "deleted": true])
            let again = try await socket.call("d2", "sessions.delete", ["key": "scratch"])
            #expect(again["payload"] == ["ok": true, "key": "agent:main:scratch", "deleted": false])
            #expect(Self.keys(try await socket.call("l", "sessions.list", [:])) == ["agent:main:main"])
            #expect(try await socket.call("h3", "chat.history", ["sessionKey": "scratch"])["payload"]?["messages"] == [])
            let resetGhost = try await socket.call("g", "sessions.reset", ["key": "ghost"])
            #expect(resetGhost["error"]?["message"] == "No session found: ghost")
        }
    }

    @Test func theMainSessionCannotBeDeletedWhileItRuns() async throws {
        try await AgentHarness.with([OpenAIScript.endless("busy")]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            _ = try await socket.call("s", "chat.send", ["sessionKey": "main", "message": "go", "idempotencyKey": "busy"])
            _ = try await socket.event("chat") { $0["state"] == "delta" }
            let refused = try await socket.call("d", "sessions.delete", ["key": "main"])
            #expect(refused["error"]?["message"] == "Cannot delete the main session while it is running")
            _ = try await socket.call("a", "chat.abort", ["sessionKey": "main"])
        }
    }

    @Test func agentsIdentityAndModelsDescribeTheConfig() async throws {
        try await AgentHarness.with([]) { harness in
            let socket = try await harness.connect()
            defer { Task { await socket.close() } }
            let agents = try await socket.call("a", "agents.list", [:])
            #expect(
                agents["payload"] == ["defaultId": "main", "mainKey": "main", "scope": "per-sender", "agents": [["id": "main", "model": "local/test-model"]]])
            let identity = try await socket.call("i", "agent.identity.get", [:])
            #expect(identity["payload"] == ["agentId": "main"])
            let bySession = try await socket.call("i2", "agent.identity.get", ["sessionKey": "agent:main:other"])
            #expect(bySession["payload"] == ["agentId": "main"])
            let unknown = try await socket.call("i3", "agent.identity.get", ["agentId": "ghost"])
            #expect(unknown["error"]?["message"] == #"unknown agent id "ghost""#)
            #expect(unknown["error"]?["details"]?["code"] == "UNKNOWN_AGENT_ID")
            let models = try await socket.call("m", "models.list", [:])
            #expect(models["payload"] == ["models": [["id": "test-model", "name": "Test Model", "provider": "local", "contextWindow": 4096]]])
        }
    }

    @Test func aReadOnlyClientReadsButCannotChatOrAdminister() async throws {
        try await AgentHarness.with([], fallback: OpenAIScript.text(["ok"])) { harness in
            let admin = try await harness.connect()
            defer { Task { await admin.close() } }
            let reader = try await harness.connect(scopes: ["operator.read"])
            defer { Task { await reader.close() } }
            try await Self.chat(admin, "main", "hi", id: "ro1")
            // The reader saw the run's chat events too.
            _ = try await reader.event("chat") { $0["state"] == "final" && $0["runId"] == "ro1" }

            let send = try await reader.call("s", "chat.send", ["sessionKey": "main", "message": "hi", "idempotencyKey": "ro2"])
            #expect(send["ok"] == false)
            #expect(send["error"]?["code"] == "INVALID_REQUEST")
            #expect(send["error"]?["message"] == "missing scope: operator.write")
            #expect(try await reader.call("a", "chat.abort", ["sessionKey": "main"])["error"]?["message"] == "missing scope: operator.write")
            #expect(try await reader.call("p", "sessions.patch", ["key": "main", "label": "x"])["error"]?["message"] == "missing scope: operator.admin")
            #expect(try await reader.call("i", "chat.inject", ["sessionKey": "main", "message": "x"])["error"]?["message"] == "missing scope: operator.admin")
            #expect(try await reader.call("h", "chat.history", ["sessionKey": "main"])["payload"]?["messages"]?.arrayValue?.count == 2)
            #expect(try await reader.call("l", "sessions.list", [:])["ok"] == true)
            #expect(harness.upstream.requestCount == 1)
        }
    }
}
