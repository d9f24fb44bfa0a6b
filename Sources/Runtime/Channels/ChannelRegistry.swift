// Sources/Runtime/Channels/ChannelRegistry.swift - the channel plugins a gateway knows

/// The built-in channel plugins, in display order. Each real channel adds itself with one line here;
/// tests add theirs through `ChannelSetup.plugins`.
enum ChannelRegistry {
    static func builtin() -> [any ChannelPlugin] {
        var plugins: [any ChannelPlugin] = []
        plugins.append(IRCChannelPlugin())
        plugins.append(TelegramChannelPlugin())
        return plugins
    }
}
