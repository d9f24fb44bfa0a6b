// Tests/Conformance/Metrics/MetricsTests.swift - GET /metrics is scraped during real traffic and its numbers move

import AsyncHTTPClient
import Foundation
import Runtime
import TestUpstream
import Testing

@Suite("metrics endpoint")
struct MetricsTests {
    /// The value of one series (`name{labels}` exactly as exposed), nil when absent.
    static func value(_ exposition: String, _ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    /// Sends one `health` request on a connected socket and waits for its answer.
    static func health(_ socket: WireClient) async throws {
        try await socket.sendJSON(["type": "req", "id": "h1", "method": "health", "params": [String: Any]()])
        while let frame = try await socket.nextObject() {
            if frame["type"] as? String == "res", frame["id"] as? String == "h1" { return }
        }
        Issue.record("the socket closed before answering health")
    }

    @Test("a scrape during a run, a request and a refused login shows each counted")
    func countersMoveWithTraffic() async throws {
        try await ChatCompletionsHarness.with([OpenAIScript.text(["Hi", " there"], promptTokens: 5, completionTokens: 2)]) { harness in
            let before = try await harness.send(.GET, "/metrics")
            #expect(before.status == 200, "\(before.text)")
            #expect(before.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(Self.value(before.text, #"openclaw_runs_total{outcome="ok"}"#) == nil)

            let answer = try await harness.complete(["model": "openclaw", "messages": [["role": "user", "content": "hi"]]])
            #expect(answer.status == 200, "\(answer.text)")
            let (socket, _) = try await GatewayBehaviourTests.connected(harness.gateway)
            try await Self.health(socket)
            let refused = try await harness.send(.GET, "/metrics", token: "wrong")
            #expect(refused.status == 401)

            let after = try await harness.send(.GET, "/metrics")
            let text = after.text
            #expect(Self.value(text, #"openclaw_runs_total{outcome="ok"}"#) == 1, "\(text)")
            #expect(Self.value(text, #"openclaw_run_tokens_total{kind="input"}"#) == 5)
            #expect(Self.value(text, #"openclaw_run_tokens_total{kind="output"}"#) == 2)
            #expect(Self.value(text, "openclaw_run_duration_seconds_count") == 1)
            #expect(Self.value(text, #"openclaw_provider_calls_total{provider="local",outcome="ok"}"#) == 1)
            #expect(Self.value(text, #"openclaw_provider_call_duration_seconds_count{provider="local"}"#) == 1)
            #expect(Self.value(text, #"openclaw_ws_connections{role="operator"}"#) == 1)
            #expect(Self.value(text, #"openclaw_ws_requests_total{method="health",outcome="ok"}"#) == 1)
            #expect(Self.value(text, #"openclaw_ws_request_duration_seconds_count{method="health"}"#) == 1)
            #expect(Self.value(text, "openclaw_auth_failures_total") == 1)
            #expect(Self.value(text, #"openclaw_http_requests_total{route="/v1/chat/completions",status="200"}"#) == 1)
            #expect(Self.value(text, #"openclaw_http_requests_total{route="/metrics",status="401"}"#) == 1)
            // The user's message and the answer: at least one commit, exactly two writes.
            #expect((Self.value(text, "openclaw_session_commits_total") ?? 0) >= 1)
            #expect(Self.value(text, "openclaw_session_commit_writes_total") == 2)
            #expect((Self.value(text, "openclaw_process_open_fds") ?? 0) > 0)
            #expect((Self.value(text, "openclaw_process_resident_memory_bytes") ?? 0) > 1_000_000)

            await socket.close()
        }
    }

    @Test("a provider that refuses the key is counted by provider and outcome, and the run as an error")
    func providerErrorsAreCounted() async throws {
        let refusal = FakeModelServer.Reply.error(401, #"{"error":{"message":"bad key"}}"#)
        try await ChatCompletionsHarness.with([refusal]) { harness in
            let answer = try await harness.complete(["model": "openclaw", "messages": [["role": "user", "content": "hi"]]])
            #expect(answer.status != 200)
            let text = try await harness.send(.GET, "/metrics").text
            #expect(Self.value(text, #"openclaw_provider_calls_total{provider="local",outcome="auth"}"#) == 1, "\(text)")
            #expect(Self.value(text, #"openclaw_provider_calls_total{provider="local",outcome="ok"}"#) == nil)
            #expect(Self.value(text, #"openclaw_provider_call_duration_seconds_count{provider="local"}"#) == 1)
            #expect(Self.value(text, #"openclaw_runs_total{outcome="error"}"#) == 1)
        }
    }

    @Test("public metrics need no credentials; disabled metrics answer 404")
    func publicAndDisabled() async throws {
        let agents = HTTPStack.agents
        try await HTTPStack.run(replies: [], fallback: nil, config: ["gateway": ["metrics": ["public": true]], "agents": agents]) { stack in
            let harness = ChatCompletionsHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir)
            let scrape = try await harness.send(.GET, "/metrics", token: .none)
            #expect(scrape.status == 200)
            #expect(scrape.text.contains("# TYPE openclaw_process_open_fds gauge"))
        }
        try await HTTPStack.run(replies: [], fallback: nil, config: ["gateway": ["metrics": ["enabled": false]], "agents": agents]) { stack in
            let harness = ChatCompletionsHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir)
            let disabled = try await harness.send(.GET, "/metrics")
            #expect(disabled.status == 404)
        }
        try await HTTPStack.run(replies: [], fallback: nil, config: ["agents": agents]) { stack in
            let harness = ChatCompletionsHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir)
            let anonymous = try await harness.send(.GET, "/metrics", token: .none)
            #expect(anonymous.status == 401)
        }
    }
}
