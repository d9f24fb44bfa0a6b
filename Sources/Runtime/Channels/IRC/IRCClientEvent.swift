// Sources/Runtime/Channels/IRC/IRCClientEvent.swift - what the IRC client reports to its owner

/// A sender as IRC identifies it: `nick!user@host`.
public struct IRCSource: Sendable, Equatable {
    public var nick: String
    public var user: String?
    public var host: String?

    public init(prefix: String) {
        let bang = prefix.firstIndex(of: "!")
        let at = prefix.firstIndex(of: "@")
        nick = String(prefix[..<(bang ?? at ?? prefix.endIndex)])
        if let bang { user = String(prefix[prefix.index(after: bang)..<(at ?? prefix.endIndex)]) }
        if let at { host = String(prefix[prefix.index(after: at)...]) }
    }

    /// `nick!user@host` (the stable identity allowlists should use).
    public var full: String {
        nick + (user.map { "!\($0)" } ?? "") + (host.map { "@\($0)" } ?? "")
    }
}

/// A PRIVMSG or NOTICE addressed to the bot or to a channel it is in (CTCP already filtered out).
public struct IRCIncomingMessage: Sendable, Equatable {
    public var source: IRCSource
    /// The channel, or the bot's own nick for a direct message.
    public var target: String
    public var text: String
    public var isNotice: Bool
    /// True when `target` is not a channel (a DM to the bot).
    public var isDirect: Bool
    /// The bot's nick when the message arrived (for mention detection).
    public var botNick: String

    public init(source: IRCSource, target: String, text: String, isNotice: Bool, isDirect: Bool, botNick: String) {
        self.source = source
        self.target = target
        self.text = text
        self.isNotice = isNotice
        self.isDirect = isDirect
        self.botNick = botNick
    }
}

/// Events of an `IRCClient`, in the order they happened.
public enum IRCClientEvent: Sendable {
    /// Registration finished (001); `nick` is the nick the server accepted.
    case registered(nick: String)
    case joined(channel: String)
    case message(IRCIncomingMessage)
    /// The server sent PING and the client answered.
    case pinged
    /// The connection ended; the client reconnects after `retryIn` unless it is stopping.
    case disconnected(reason: String, retryIn: Duration?)
}

/// A point-in-time view for status and probes.
public struct IRCClientStatus: Sendable, Equatable {
    public var running = false
    public var connected = false
    public var nick: String?
    public var joinedChannels: [String] = []
    /// Successful registrations so far (1 after the first connect; more after reconnects).
    public var connections = 0
    public var lastError: String?
    public var lastConnectedAt: ContinuousClock.Instant?
    public var lastInboundAt: ContinuousClock.Instant?
    public var lastOutboundAt: ContinuousClock.Instant?
}

/// Why a send failed.
public struct IRCClientError: Error, CustomStringConvertible {
    public var description: String

    static let notConnected = IRCClientError(description: "IRC client is not connected")
    static let stopped = IRCClientError(description: "IRC client is stopped")
}
