// Tests/Conformance/Metrics/OTLPExportTests.swift - spans and logs reach an OTLP collector and join the caller's trace

import Foundation
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("OpenTelemetry export")
struct OTLPExportTests {
    /// `diagnostics.otel` pointing at `collector` (JSON, flushed every 100 ms so batches come quickly).
    static func config(collector: String, logs: Bool = false) -> JSONValue {
        [
            "diagnostics": [
                "otel": [
                    "enabled": true, "endpoint": .string(collector), "protocol": "http/json", "flushIntervalMs": 100, "logs": .bool(logs),
                    "serviceName": "gateway-under-test",
                ]
            ],
            "gateway": ["http": ["endpoints": ["chatCompletions": ["enabled": true]]]],
            "agents": HTTPStack.agents,
        ]
    }

    @Test("a WebSocket request, a refused one and a chat completion with traceparent arrive as spans in the caller's trace")
    func spansJoinTheCallersTrace() async throws {
        let collector = FakeOTLPCollector()
        let collectorURL = await collector.start()
        do {
            try await exportAndCheck(collector: collector, collectorURL: collectorURL)
        } catch {
            await collector.stop()
            throw error
        }
        await collector.stop()
    }

    private func exportAndCheck(collector: FakeOTLPCollector, collectorURL: String) async throws {
        let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
        let callerSpanId = "00f067aa0ba902b7"
        try await HTTPStack.run(
            replies: [OpenAIScript.text(["Hi", " there"], promptTokens: 5, completionTokens: 2)], fallback: nil,
            config: Self.config(collector: collectorURL, logs: true)
        ) { stack in
            let harness = ChatCompletionsHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir)
            let (socket, _) = try await GatewayBehaviourTests.connected(stack.gateway)
            try await MetricsTests.health(socket)
            try await socket.sendJSON(["type": "req", "id": "x1", "method": "no.such.method", "params": [String: Any]()])
            _ = try await GatewayBehaviourTests.next(socket) { $0["id"] == "x1" }
            await socket.close()

            let answer = try await harness.complete(
                ["model": "openclaw", "messages": [["role": "user", "content": "hi"]]],
                headers: ["traceparent": "00-\(traceId)-\(callerSpanId)-01", "tracestate": "vendor=value"]
            )
            #expect(answer.status == 200, "\(answer.text)")

            let names = ["ws health", "ws unknown", "POST /v1/chat/completions", "openclaw.run", "openclaw.model.call"]
            let arrived = await collector.waitUntil { spans, logs in
                names.allSatisfy { name in spans.contains { $0.name == name } } && logs.contains { $0.body.contains("[gateway] listening on") }
            }
            let spans = collector.spans.withLock { $0 }
            #expect(arrived, "spans: \(spans.map(\.name)), rejected: \(collector.rejected.withLock { $0 })")
            guard arrived else { return }
            func span(_ name: String) -> FakeOTLPCollector.Span { spans.first { $0.name == name }! }

            let health = span("ws health")
            #expect(health.kind == 2)
            #expect(health.attributes["rpc.method"] == "health")
            #expect(health.attributes["openclaw.outcome"] == "ok")
            #expect(health.statusCode != 2)
            #expect(health.serviceName == "gateway-under-test")

            let refused = span("ws unknown")
            #expect(refused.attributes["error.type"] == "INVALID_REQUEST")
            #expect(refused.statusCode == 2)

            // The HTTP request continues the caller's trace; the run and the model call hang below it.
            let http = span("POST /v1/chat/completions")
            #expect(http.traceId == traceId)
            #expect(http.parentSpanId == callerSpanId)
            #expect(http.kind == 2)
            #expect(http.attributes["http.route"] == "/v1/chat/completions")
            #expect(http.attributes["http.response.status_code"] == "200")
            let run = span("openclaw.run")
            #expect(run.traceId == traceId)
            #expect(run.parentSpanId == http.spanId)
            #expect(run.attributes["openclaw.outcome"] == "ok")
            #expect(run.attributes["gen_ai.usage.output_tokens"] == "2")
            let call = span("openclaw.model.call")
            #expect(call.traceId == traceId)
            #expect(call.parentSpanId == run.spanId)
            #expect(call.kind == 3)
            #expect(call.attributes["gen_ai.system"] == "local")
            #expect(call.attributes["gen_ai.request.model"] == "test-model")
            #expect(call.attributes["openclaw.outcome"] == "ok")
            // The WebSocket requests started traces of their own.
            #expect(health.traceId != traceId)
        }
    }

    @Test("with the collector gone, requests are answered as usual and the gateway still stops")
    func unreachableCollectorChangesNothing() async throws {
        let collector = FakeOTLPCollector()
        let collectorURL = await collector.start()
        await collector.stop()
        try await HTTPStack.run(
            replies: [OpenAIScript.text(["one"]), OpenAIScript.text(["two"])], fallback: nil, config: Self.config(collector: collectorURL, logs: true)
        ) { stack in
            let harness = ChatCompletionsHarness(upstream: stack.upstream, gateway: stack.gateway, client: stack.client, stateDir: stack.stateDir)
            for expected in ["one", "two"] {
                let answer = try await harness.complete(["model": "openclaw", "messages": [["role": "user", "content": "hi"]]])
                #expect(answer.status == 200)
                #expect(answer.json["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == expected)
            }
        }
    }
}
