// Tests/Conformance/HTTP/HooksTests.swift - webhook ingress (hooks.*) over real HTTP

import Foundation
import Generated
import NIOHTTP1
import ProtocolSupport
import TestUpstream
import Testing

@Suite("Hooks")
struct HooksTests {
    static let auth = ["Authorization": "Bearer \(HooksHarness.hookToken)"]

    @Test func disabledOrTokenlessHooksAreNotFound() async throws {
        try await HooksHarness.with { harness async throws in
            let answer = try await harness.send(.POST, "/hooks/wake", body: #"{"text":"x"}"#, headers: Self.auth)
            #expect(answer.status == 404)
            #expect(answer.text == "Not Found")
        }
        try await HooksHarness.with(config: ["hooks": ["enabled": true]]) { harness async throws in
            #expect(try await harness.send(.POST, "/hooks/wake", body: #"{"text":"x"}"#, headers: Self.auth).status == 404)
        }
    }

    @Test func servesUnderTheConfiguredPath() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(["path": "webhooks/"])) { harness async throws in
            #expect(try await harness.hook("/webhooks/wake", ["text": "hi"]).status == 200)
            #expect(try await harness.hook("/hooks/wake", ["text": "hi"]).status == 404)
        }
    }

    @Test func queryTokenIsRefusedEvenWithAValidHeader() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            for method in [HTTPMethod.POST, .GET] {
                let answer = try await harness.send(method, "/hooks/wake?token=\(HooksHarness.hookToken)", body: #"{"text":"x"}"#, headers: Self.auth)
                #expect(answer.status == 400)
                #expect(answer.contentType.hasPrefix("text/plain"))
            }
        }
    }

    /// Upstream reads the query with URLSearchParams, which percent-decodes names: `%74oken` is `token`.
    @Test func aPercentEncodedQueryTokenIsRefusedToo() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            for query in ["%74oken=x", "%74%6F%6B%65%6E=x", "a=1&%74oken"] {
                let answer = try await harness.send(.POST, "/hooks/wake?\(query)", body: #"{"text":"x"}"#, headers: Self.auth)
                #expect(answer.status == 400, "?\(query)")
                #expect(answer.text.contains("never in the URL query"))
            }
            #expect(try await harness.send(.POST, "/hooks/wake?tokens=x", body: #"{"text":"x"}"#, headers: Self.auth).status == 200)
        }
    }

    @Test func onlyPostIsAllowedBeforeAuth() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            for method in [HTTPMethod.GET, .PUT, .DELETE] {
                let answer = try await harness.send(method, "/hooks/agent")
                #expect(answer.status == 405)
                #expect(answer.headers.first(name: "Allow") == "POST")
            }
        }
    }

    @Test func wrongOrMissingTokenIsUnauthorized() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            let body = #"{"text":"x"}"#
            let cases: [[String: String]] = [
                [:], ["Authorization": "Bearer nope"], ["X-OpenClaw-Token": "nope"],
                // A non-empty bearer wins over the header, and the gateway token is not the hook token.
                ["Authorization": "Bearer nope", "X-OpenClaw-Token": HooksHarness.hookToken], ["Authorization": "Bearer \(harness.token)"],
            ]
            for headers in cases {
                let answer = try await harness.send(.POST, "/hooks/wake", body: body, headers: headers)
                #expect(answer.status == 401, "\(headers)")
                #expect(answer.text == "Unauthorized")
                #expect(answer.contentType.hasPrefix("text/plain"))
            }
            let header = try await harness.send(.POST, "/hooks/wake", body: body, headers: ["X-OpenClaw-Token": HooksHarness.hookToken])
            #expect(header.status == 200)
            // Auth comes before the sub-path: unauthenticated probing learns nothing.
            #expect(try await harness.send(.POST, "/hooks/nope", body: body).status == 401)
        }
    }

    @Test func twentyFirstFailureIsRateLimitedWithRetryAfter() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            let wrong = ["Authorization": "Bearer wrong"]
            for attempt in 1...20 {
                #expect(try await harness.send(.POST, "/hooks/wake", body: "{}", headers: wrong).status == 401, "attempt \(attempt)")
            }
            let limited = try await harness.send(.POST, "/hooks/wake", body: "{}", headers: wrong)
            #expect(limited.status == 429)
            #expect(limited.text == "Too Many Requests")
            #expect(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            // Locked out, even with the right token; the gateway's own limiter is separate.
            #expect(try await harness.hook("/hooks/wake", ["text": "x"]).status == 429)
            #expect(try await harness.invoke(["tool": "current_time"]).status == 200)
        }
    }

    @Test func successResetsTheFailureCount() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            let wrong = ["Authorization": "Bearer wrong"]
            for _ in 1...19 { _ = try await harness.send(.POST, "/hooks/wake", body: "{}", headers: wrong) }
            #expect(try await harness.hook("/hooks/wake", ["text": "x"]).status == 200)
            var statuses: [Int] = []
            for _ in 1...21 { statuses.append(try await harness.send(.POST, "/hooks/wake", body: "{}", headers: wrong).status) }
            #expect(statuses == Array(repeating: 401, count: 20) + [429])
        }
    }

    @Test func refusesOversizedAndMalformedBodies() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(["maxBodyBytes": 1024])) { harness async throws in
            let big = #"{"text":""# + String(repeating: "x", count: 2000) + #""}"#
            let tooLarge = try await harness.send(.POST, "/hooks/wake", body: big, headers: Self.auth)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.json["ok"] == false)
            #expect(tooLarge.json["error"]?.stringValue != nil)
            let malformed = try await harness.send(.POST, "/hooks/wake", body: #"{"text":"#, headers: Self.auth)
            #expect(malformed.status == 400)
            #expect(malformed.json["ok"] == false)
            // An empty body is `{}`: it gets as far as the missing field.
            let empty = try await harness.send(.POST, "/hooks/wake", headers: Self.auth)
            #expect(empty.status == 400)
            #expect(empty.json["error"]?.stringValue?.contains("text required") == true)
            let noMessage = try await harness.send(.POST, "/hooks/agent", headers: Self.auth)
            #expect(noMessage.status == 400)
            #expect(noMessage.json["error"]?.stringValue?.contains("message required") == true)
        }
    }

    @Test func unknownSubpathsAreNotFound() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            for path in ["/hooks", "/hooks/", "/hooks/gmail", "/hooks/wake/extra"] {
                #expect(try await harness.hook(path, ["text": "x"]).status == 404, "\(path)")
            }
        }
    }

    @Test func wakeQueuesASystemEventForTheMainSessionsNextRun() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(), fallback: OpenAIScript.text(["ok"])) { harness async throws in
            // `now` would also start a heartbeat (Automation/HeartbeatTests); `next-heartbeat` only queues.
            let first = try await harness.hook("/hooks/wake", ["text": "new mail", "mode": "next-heartbeat"])
            #expect(first.status == 200)
            #expect(first.json == ["ok": true, "mode": "next-heartbeat", "eventOutcome": "queued"])
            let again = try await harness.hook("/hooks/wake", ["text": "new mail", "mode": "next-heartbeat"])
            #expect(again.json == ["ok": true, "mode": "next-heartbeat", "eventOutcome": "coalesced"])
            #expect(try await harness.hook("/hooks/wake", ["text": "disk almost full", "mode": "next-heartbeat"]).json["eventOutcome"] == "queued")
            #expect(harness.upstream.requestCount == 0, "next-heartbeat starts no run")

            // The main session's next run sees both events before its message, once.
            let socket = try await AgentHarness(upstream: harness.upstream, gateway: harness.gateway, stateDir: harness.stateDir).connect()
            for (index, text) in ["what's new?", "anything else?"].enumerated() {
                try await socket.send("a\(index)", "agent", ["message": .string(text), "idempotencyKey": .string("wake-run-\(index)")])
                _ = try await socket.response("a\(index)")
                let final = try await socket.response("a\(index)", timeout: .seconds(15))
                #expect(final["ok"] == true, "\(final)")
            }
            await socket.close()
            let inputs = harness.upstream.requests.withLock { requests in
                requests.map { $0.body["messages"]?.arrayValue?.last(where: { $0["role"] == "user" })?["content"]?.stringValue }
            }
            #expect(inputs == ["System: new mail\nSystem: disk almost full\n\nwhat's new?", "anything else?"])
        }
    }

    @Test func wakeCanTargetAnAgentOrAnAllowedSessionKey() async throws {
        let config = HooksHarness.hooks(["allowRequestSessionKey": true, "allowedSessionKeyPrefixes": ["hook:"]])
        try await HooksHarness.with(config: config, fallback: OpenAIScript.text(["ok"])) { harness async throws in
            #expect(try await harness.hook("/hooks/wake", ["text": "for ops", "agentId": "ops", "mode": "next-heartbeat"]).json["eventOutcome"] == "queued")
            #expect(try await harness.hook("/hooks/wake", ["text": "for the build", "sessionKey": "hook:ci"]).json["eventOutcome"] == "queued")
            let refusals: [(JSONValue, String)] = [
                (["text": "x", "agentId": "nobody"], "unknown agent id"),
                (["text": "x", "sessionKey": "hook:ci", "mode": "next-heartbeat"], "requires mode"),
                (["text": "x", "sessionKey": "other:thing"], "allowedSessionKeyPrefixes"),
                (["text": "x", "sessionKey": "agent:main:hook:ci", "agentId": "ops"], "does not belong"),
            ]
            for (body, expected) in refusals {
                let answer = try await harness.hook("/hooks/wake", body)
                #expect(answer.status == 400, "\(body) → \(answer.text)")
                #expect(answer.json["error"]?.stringValue?.contains(expected) == true, "\(body) → \(answer.text)")
            }
            let socket = try await AgentHarness(upstream: harness.upstream, gateway: harness.gateway, stateDir: harness.stateDir).connect()
            for (index, params) in [["agentId": "ops"], ["sessionKey": "hook:ci"]].enumerated() {
                var request: [String: JSONValue] = ["message": "go", "idempotencyKey": .string("wake-target-\(index)")]
                for (key, value) in params { request[key] = .string(value) }
                try await socket.send("t\(index)", "agent", .object(request))
                _ = try await socket.response("t\(index)")
                #expect(try await socket.response("t\(index)")["ok"] == true)
            }
            await socket.close()
            let inputs = harness.upstream.requests.withLock { requests in
                requests.map { $0.body["messages"]?.arrayValue?.last(where: { $0["role"] == "user" })?["content"]?.stringValue }
            }
            // The session-key wake is `now`: it also beats the default agent (its heartbeat prompt is left out here).
            #expect(inputs.filter { $0 != ConfigDefaults.agentsDefaultsHeartbeatPrompt } == ["System: for ops\n\ngo", "System: for the build\n\ngo"])
        }
        // Without the opt-in a request's sessionKey is refused.
        try await HooksHarness.with(config: HooksHarness.hooks()) { harness async throws in
            let answer = try await harness.hook("/hooks/wake", ["text": "x", "sessionKey": "hook:ci"])
            #expect(answer.status == 400)
            #expect(answer.json["error"]?.stringValue?.contains("hooks.allowRequestSessionKey") == true)
        }
    }

    @Test func agentRunReachesTheUpstreamOnceAndReplaysByIdempotencyKey() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(), replies: [OpenAIScript.text(["Got ", "it"])]) { harness async throws in
            let message: JSONValue = ["message": "deploy finished", "waitForCompletion": true]
            let first = try await harness.hook("/hooks/agent", message, headers: ["Idempotency-Key": "evt-1"])
            #expect(first.status == 200)
            let runId = try #require(first.json["runId"]?.stringValue)
            #expect(first.json["completion"] == ["status": "ok", "replyDisposition": "visible", "text": "Got it"])
            // The same key by the other header, and in the body: the same run, no second call upstream.
            let byHeader = try await harness.hook(
                "/hooks/agent", ["message": "deploy finished", "idempotencyKey": "ignored"], headers: ["X-OpenClaw-Idempotency-Key": "evt-1"]
            )
            #expect(byHeader.json == ["ok": true, "runId": .string(runId)])
            let byBody = try await harness.hook("/hooks/agent", ["message": "deploy finished", "idempotencyKey": "evt-1", "waitForCompletion": true])
            #expect(byBody.json["runId"] == .string(runId))
            #expect(byBody.json["completion"]?["status"] == "ok")
            #expect(harness.upstream.requestCount == 1)
            let sent = harness.upstream.requests.withLock { $0.first?.body["messages"]?.arrayValue ?? [] }
            #expect(sent.last?["content"]?.stringValue?.contains("deploy finished") == true)
            // The session is a fresh hook session of the default agent.
            #expect(try await harness.sessionKeys().contains { $0.hasPrefix("agent:main:hook:") })
        }
    }

    @Test func agentAnswersAtAdmissionWithoutWaiting() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(), replies: [OpenAIScript.text(["done"])]) { harness async throws in
            let answer = try await harness.hook("/hooks/agent", ["message": "build 42 passed", "agentId": "ops"])
            #expect(answer.status == 200)
            #expect(answer.json["completion"] == nil)
            let runId = try #require(answer.json["runId"]?.stringValue)
            let socket = try await AgentHarness(upstream: harness.upstream, gateway: harness.gateway, stateDir: harness.stateDir).connect()
            let waited = try await socket.call("w", "agent.wait", ["runId": .string(runId), "timeoutMs": 10_000], timeout: .seconds(15))
            await socket.close()
            #expect(waited["payload"]?["status"] == "ok")
            #expect(try await harness.sessionKeys().contains { $0.hasPrefix("agent:ops:hook:") })
        }
    }

    @Test func waitForCompletionReportsAFailedRun() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(), fallback: .error(400, #"{"error":{"message":"bad request"}}"#)) { harness async throws in
            let answer = try await harness.hook("/hooks/agent", ["message": "hello", "waitForCompletion": true])
            #expect(answer.status == 200)
            #expect(answer.json["completion"]?["status"] == "error")
            #expect(answer.json["completion"]?["replyDisposition"] == "empty")
        }
    }

    @Test func sessionKeysFollowTheConfig() async throws {
        let fallback = OpenAIScript.text(["ok"])
        try await HooksHarness.with(config: HooksHarness.hooks(), fallback: fallback) { harness async throws in
            let refused = try await harness.hook("/hooks/agent", ["message": "m", "sessionKey": "hook:mine"])
            #expect(refused.status == 400)
            #expect(refused.json["error"]?.stringValue?.contains("hooks.allowRequestSessionKey") == true)
        }
        let allowing = HooksHarness.hooks(["allowRequestSessionKey": true, "allowedSessionKeyPrefixes": ["hook:"]])
        try await HooksHarness.with(config: allowing, fallback: fallback) { harness async throws in
            let accepted = try await harness.hook("/hooks/agent", ["message": "m", "sessionKey": "hook:ci", "waitForCompletion": true])
            #expect(accepted.status == 200)
            let offPrefix = try await harness.hook("/hooks/agent", ["message": "m", "sessionKey": "other"])
            #expect(offPrefix.status == 400)
            #expect(offPrefix.json["error"]?.stringValue?.contains("hooks.allowedSessionKeyPrefixes") == true)
            #expect(try await harness.sessionKeys().contains("agent:main:hook:ci"))
        }
        try await HooksHarness.with(config: HooksHarness.hooks(["defaultSessionKey": "hook:inbox"]), fallback: fallback) { harness async throws in
            #expect(try await harness.hook("/hooks/agent", ["message": "m", "waitForCompletion": true]).status == 200)
            #expect(try await harness.sessionKeys().contains("agent:main:hook:inbox"))
        }
    }

    @Test func agentMustExistAndBeAllowed() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(["allowedAgentIds": ["main"]]), fallback: OpenAIScript.text(["ok"])) { harness async throws in
            let unknown = try await harness.hook("/hooks/agent", ["message": "m", "agentId": "ghost"])
            #expect(unknown.status == 400)
            let notAllowed = try await harness.hook("/hooks/agent", ["message": "m", "agentId": "ops"])
            #expect(notAllowed.status == 400)
            #expect(notAllowed.json["error"]?.stringValue?.contains("hooks.allowedAgentIds") == true)
            #expect(try await harness.hook("/hooks/agent", ["message": "m", "agentId": "main", "waitForCompletion": true]).status == 200)
            #expect(harness.upstream.requestCount == 1)
        }
    }
}
