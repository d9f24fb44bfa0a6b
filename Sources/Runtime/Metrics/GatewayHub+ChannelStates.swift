// Sources/Runtime/Metrics/GatewayHub+ChannelStates.swift - every channel account's running/connected state, for a scrape

extension GatewayHub {
    /// The accounts the channel manager runs or keeps configured, with their live status; empty before the channels
    /// start and after they stop.
    func channelAccountStates() -> [(channel: String, account: String, running: Bool, connected: Bool)] {
        guard let manager = channelManager.withLock({ $0 }) else { return [] }
        return manager.plugins.flatMap { plugin in
            manager.slots(channel: plugin.meta.id).map { slot in
                let status = slot.status.current
                return (slot.channel, slot.account.accountId, status.running, status.connected)
            }
        }
    }
}
