// Sources/Runtime/Channels/GatewayHub+Channels.swift - the hub's hooks into the channel manager

import Foundation

extension GatewayHub {
    /// Creates the manager and starts the configured accounts in the background (gateway start).
    func startChannels() {
        let manager = ChannelManager(hub: self, setup: settings.channelSetup, environment: settings.environment)
        channelManager.withLock { $0 = manager }
        tasks.spawn {
            await manager.start()
            // The cached health summary predates the channels; refresh it so `health` lists them at once.
            _ = try? self.refreshHealth()
        }
    }

    /// Stops every account before runs are aborted at shutdown, and drops the manager.
    func stopChannels() async {
        guard let manager = channelManager.withLock({ $0 }) else { return }
        await manager.stop()
        channelManager.withLock { $0 = nil }
    }

    /// A hot reload touched `channels.*`: restart the channels whose section changed.
    func channelsConfigChanged() {
        guard let manager = channelManager.withLock({ $0 }) else { return }
        tasks.spawn { await manager.configChanged() }
    }

    /// The manager; methods that need it fail with UNAVAILABLE before start and after shutdown.
    var channels: ChannelManager {
        get throws(GatewayError) {
            guard let manager = channelManager.withLock({ $0 }) else { throw GatewayError(.unavailable, "channels not started") }
            return manager
        }
    }
}
