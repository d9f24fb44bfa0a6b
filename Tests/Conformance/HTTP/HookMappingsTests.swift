// Tests/Conformance/HTTP/HookMappingsTests.swift - POST <hooks.path>/<name> through hooks.mappings and presets

import Foundation
import ProtocolSupport
import TestUpstream
import Testing

@Suite("Hook mappings")
struct HookMappingsTests {
    /// Waits for `runId` over the WebSocket; the user message the model was sent.
    private func finishedRun(_ runId: String, _ harness: HooksHarness) async throws -> String? {
        let socket = try await AgentHarness(upstream: harness.upstream, gateway: harness.gateway, stateDir: harness.stateDir).connect()
        let waited = try await socket.call("w", "agent.wait", ["runId": .string(runId), "timeoutMs": 10_000], timeout: .seconds(15))
        await socket.close()
        #expect(waited["payload"]?["status"] == "ok", "\(waited)")
        let sent = harness.upstream.requests.withLock { $0.last?.body["messages"]?.arrayValue ?? [] }
        return sent.last(where: { $0["role"] == "user" })?["content"]?.stringValue
    }

    static let github: JSONValue = [
        "id": "github", "match": ["path": "github", "source": "github"], "action": "agent", "name": "GitHub",
        "agentId": "ops", "sessionKey": "hook:github:{{pull_request.number}}",
        "messageTemplate":
            "PR #{{pull_request.number}} {{action}}: {{pull_request.title}} (labels {{pull_request.labels}}, via {{headers.x-github-event}} on {{path}})",
    ]

    @Test("a mapping renders its templates from the payload and headers and runs the agent in the mapped session")
    func agentMapping() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(["mappings": [Self.github]]), fallback: OpenAIScript.text(["noted"])) { harness async throws in
            let payload: JSONValue = ["source": "github", "action": "opened", "pull_request": ["number": 42, "title": "Fix the build", "labels": ["ci"]]]
            let answer = try await harness.hook("/hooks/github", payload, headers: ["X-GitHub-Event": "pull_request"])
            #expect(answer.status == 200, "\(answer.text)")
            let runId = try #require(answer.json["runId"]?.stringValue)
            let message = try await finishedRun(runId, harness)
            #expect(message == #"PR #42 opened: Fix the build (labels ["ci"], via pull_request on github)"#)
            // The mapping's key needs no hooks.allowRequestSessionKey: the operator wrote it.
            #expect(try await harness.sessionKeys().contains("agent:ops:hook:github:42"))
        }
    }

    @Test("the gmail preset turns a Gmail push into an agent run")
    func gmailPreset() async throws {
        try await HooksHarness.with(config: HooksHarness.hooks(["presets": ["gmail"]]), fallback: OpenAIScript.text(["ok"])) { harness async throws in
            let payload: JSONValue = [
                "messages": [["id": "m-1", "from": "ada@example.com", "subject": "Invoice", "snippet": "Please pay", "body": "Total 3 EUR"]]
            ]
            let answer = try await harness.hook("/hooks/gmail", payload)
            #expect(answer.status == 200, "\(answer.text)")
            let message = try await finishedRun(try #require(answer.json["runId"]?.stringValue), harness)
            #expect(message == "New email from ada@example.com\nSubject: Invoice\nPlease pay\nTotal 3 EUR")
            #expect(try await harness.sessionKeys().contains("agent:main:hook:gmail:m-1"))
        }
    }

    @Test("a wake mapping answers like /wake; what does not match, or cannot be built, gets upstream's status")
    func wakeAndRefusals() async throws {
        let mappings: JSONValue = [
            ["match": ["path": "alarm"], "action": "wake", "textTemplate": "Alarm: {{level}}", "wakeMode": "next-heartbeat"],
            ["match": ["path": "empty"], "action": "agent", "messageTemplate": "{{missing}}"],
            ["match": ["path": "keyless"], "action": "agent", "messageTemplate": "hi", "sessionKey": "{{ticket.id}}"],
            ["match": ["path": "scripted"], "action": "agent", "messageTemplate": "hi", "transform": ["module": "scripted.js"]],
            ["match": ["path": "strict", "source": "jira"], "messageTemplate": "hi"],
        ]
        try await HooksHarness.with(config: HooksHarness.hooks(["mappings": mappings])) { harness async throws in
            let wake = try await harness.hook("/hooks/alarm", ["level": "red"])
            #expect(wake.status == 200)
            #expect(wake.json == ["ok": true, "mode": "next-heartbeat", "eventOutcome": "queued"])
            let empty = try await harness.hook("/hooks/empty", [:])
            #expect(empty.status == 400)
            #expect(empty.json == ["ok": false, "error": "hook mapping requires message"])
            let keyless = try await harness.hook("/hooks/keyless", [:])
            #expect(keyless.json == ["ok": false, "error": "hook mapping sessionKey template rendered empty"])
            let scripted = try await harness.hook("/hooks/scripted", [:])
            #expect(scripted.status == 500)
            #expect(scripted.json == ["ok": false, "error": "hook mapping failed"])
            #expect(try await harness.hook("/hooks/strict", ["source": "github"]).status == 404)
            #expect(try await harness.hook("/hooks/nothing-here", [:]).status == 404)
            #expect(harness.upstream.requestCount == 0)
        }
    }
}
