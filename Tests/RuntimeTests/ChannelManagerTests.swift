// Tests/RuntimeTests/ChannelManagerTests.swift - a config change restarts only the channel whose section changed

import Foundation
import Generated
import Logging
import Synchronization
import Testing

@testable import Runtime

@Suite("Channel manager")
struct ChannelManagerTests {
    /// Counts starts and stops per channel; every account is configured and connects at once.
    final class CountingPlugin: ChannelPlugin {
        struct Account: ChannelAccount {
            var accountId: String
            var name: String? = nil
            var enabled = true
            var configured = true
            var problem: String? = nil
        }

        struct Handle: ChannelAccountHandle {
            let plugin: CountingPlugin
            func sendText(_ text: String, to target: ChannelTarget) async throws(ChannelError) -> ChannelSendResult { ChannelSendResult() }
            func stop() async { plugin.counts.withLock { $0.stops += 1 } }
        }

        let meta: ChannelMeta
        let capabilities = ChannelCapabilities(chatTypes: [.direct])
        let counts = Mutex((starts: 0, stops: 0))

        init(id: String) { meta = ChannelMeta(id: id, label: id, detailLabel: id) }

        func resolveAccount(_ config: ChannelConfigView, accountId: String) -> any ChannelAccount {
            Account(accountId: accountId, configured: config.isPresent)
        }

        func startAccount(_ account: any ChannelAccount, context: ChannelAccountContext) async throws -> any ChannelAccountHandle {
            counts.withLock { $0.starts += 1 }
            context.markConnected()
            return Handle(plugin: self)
        }

        func probe(_ account: any ChannelAccount, timeout: Duration) async -> ChannelProbeResult { ChannelProbeResult(ok: true) }
    }

    @Test("editing channels.one restarts channel one only; channels.defaults restarts both")
    func restartOnlyChangedChannel() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-channel-manager-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/openclaw.json"
        func load(_ text: String) throws -> LoadedConfig {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try ConfigLoader(environment: [:]).load(path: path)
        }
        let one = CountingPlugin(id: "one")
        let two = CountingPlugin(id: "two")
        var settings = GatewaySettings.inProcess(auth: .none, stateDir: dir)
        settings.config = try load(#"{"channels":{"one":{"x":1},"two":{"y":1}}}"#)
        settings.channelSetup = ChannelSetup(plugins: [one, two], healthCheckInterval: .seconds(3600))
        let hub = GatewayHub(settings: settings, logger: Logger(label: "test"))
        let manager = ChannelManager(hub: hub, setup: settings.channelSetup, environment: [:])
        await manager.start()
        #expect(one.counts.withLock { $0 } == (1, 0))
        #expect(two.counts.withLock { $0 } == (1, 0))

        let edited = try load(#"{"channels":{"one":{"x":2},"two":{"y":1}}}"#)
        hub.config.withLock { $0 = edited }
        await manager.configChanged()
        #expect(one.counts.withLock { $0 } == (2, 1))
        #expect(two.counts.withLock { $0 } == (1, 0))

        // An unrelated edit restarts nothing.
        let unrelated = try load(#"{"channels":{"one":{"x":2},"two":{"y":1}},"logging":{"level":"debug"}}"#)
        hub.config.withLock { $0 = unrelated }
        await manager.configChanged()
        #expect(one.counts.withLock { $0 } == (2, 1))

        let defaults = try load(#"{"channels":{"defaults":{"dmPolicy":"open"},"one":{"x":2},"two":{"y":1}}}"#)
        hub.config.withLock { $0 = defaults }
        await manager.configChanged()
        #expect(one.counts.withLock { $0 } == (3, 2))
        #expect(two.counts.withLock { $0 } == (2, 1))

        // Removing a channel's section stops it and starts nothing.
        let removed = try load(#"{"channels":{"defaults":{"dmPolicy":"open"},"one":{"x":2}}}"#)
        hub.config.withLock { $0 = removed }
        await manager.configChanged()
        #expect(two.counts.withLock { $0 } == (2, 2))
        await manager.stop()
        #expect(one.counts.withLock { $0 } == (3, 3))
    }

    @Test("replies are split on paragraph, line and word boundaries within the limit")
    func chunker() {
        #expect(ChannelTextChunker.chunks("short", limit: 10) == ["short"])
        #expect(ChannelTextChunker.chunks("para one\n\npara two", limit: 12) == ["para one", "para two"])
        #expect(ChannelTextChunker.chunks("abcdefghijkl", limit: 5) == ["abcde", "fghij", "kl"])
        let text = String(repeating: "word ", count: 100)
        #expect(ChannelTextChunker.chunks(text, limit: 42).allSatisfy { $0.count <= 42 })
    }
}
