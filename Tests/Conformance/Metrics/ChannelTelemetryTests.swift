// Tests/Conformance/Metrics/ChannelTelemetryTests.swift - channel accounts in /metrics, and a span per reply delivered

import AsyncHTTPClient
import Foundation
import Runtime
import TestUpstream
import Testing

@Suite("channel telemetry")
struct ChannelTelemetryTests {
    /// `GET /metrics` on the harness's gateway, with its token.
    static func scrape(_ harness: ChannelHarness) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            var request = HTTPClientRequest(url: harness.url.replacingOccurrences(of: "ws://", with: "http://") + "/metrics")
            request.headers.add(name: "Authorization", value: "Bearer \(ChannelHarness.token)")
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 22)
            try await client.shutdown()
            return String(buffer: body)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("each account's running/connected state is a gauge, and a reply sent to a chat is an openclaw.channel.delivery span")
    func channelStateAndDelivery() async throws {
        let collector = FakeOTLPCollector()
        let collectorURL = await collector.start()
        let channels = #"{"fake":{"token":"good","dmPolicy":"open","accounts":{"up":{},"down":{"connect":false}}}}"#
        let otel = #""diagnostics":{"otel":{"enabled":true,"endpoint":"\#(collectorURL)","protocol":"http/json","flushIntervalMs":100}}"#
        do {
            try await ChannelHarness.with(channels: channels, extra: otel, fallback: OpenAIScript.text(["hello back"])) { harness in
                var started: Set<String> = []
                while started.count < 2 {
                    if case .started(let account) = try await harness.events.next(where: { if case .started = $0 { true } else { false } }) {
                        started.insert(account)
                    }
                }
                let text = try await Self.scrape(harness)
                #expect(MetricsTests.value(text, #"openclaw_channel_running{channel="fake",account="up"}"#) == 1, "\(text)")
                #expect(MetricsTests.value(text, #"openclaw_channel_connected{channel="fake",account="up"}"#) == 1)
                #expect(MetricsTests.value(text, #"openclaw_channel_running{channel="fake",account="down"}"#) == 1)
                #expect(MetricsTests.value(text, #"openclaw_channel_connected{channel="fake",account="down"}"#) == 0)

                await harness.plugin.inject(.dm("alice", "hi"), account: "up")
                let sent = try await harness.events.nextSent()
                #expect(sent.text == "hello back")
                let arrived = await collector.waitUntil { spans, _ in spans.contains { $0.name == "openclaw.channel.delivery" } }
                let spans = collector.spans.withLock { $0 }
                #expect(arrived, "spans: \(spans.map(\.name))")
                let delivery = spans.first { $0.name == "openclaw.channel.delivery" }
                #expect(delivery?.attributes["openclaw.channel"] == "fake")
                #expect(delivery?.attributes["openclaw.channel.account"] == "up")
                #expect(delivery?.attributes["openclaw.channel.chunks"] == "1")
                #expect(delivery?.attributes["openclaw.outcome"] == "ok")
                #expect(delivery?.kind == 4)
            }
        } catch {
            await collector.stop()
            throw error
        }
        await collector.stop()
    }
}
