// Sources/Runtime/Channels/ChannelSetup.swift - how an embedding (a test) adds channel plugins and tunes the health monitor

/// Extra channel plugins and monitor timings for one gateway. The CLI's gateway uses the defaults
/// (the registry's plugins, timings from `gateway.channelHealthCheckMinutes` / `channelStaleMinutes`);
/// tests register an in-test plugin and check health in milliseconds.
public struct ChannelSetup: Sendable {
    /// Plugins served besides `ChannelRegistry.builtin()`; one with a built-in id replaces it.
    public var plugins: [any ChannelPlugin]
    /// Overrides `gateway.channelHealthCheckMinutes`.
    public var healthCheckInterval: Duration?
    /// Overrides `gateway.channelStaleMinutes`.
    public var staleAfter: Duration?

    public init(plugins: [any ChannelPlugin] = [], healthCheckInterval: Duration? = nil, staleAfter: Duration? = nil) {
        self.plugins = plugins
        self.healthCheckInterval = healthCheckInterval
        self.staleAfter = staleAfter
    }
}
