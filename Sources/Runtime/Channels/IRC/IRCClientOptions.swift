// Sources/Runtime/Channels/IRC/IRCClientOptions.swift - what one IRC connection needs, resolved

/// Everything the client needs for one account, already resolved from config and environment.
public struct IRCClientOptions: Sendable {
    public var host: String
    public var port: Int
    public var tls: Bool
    public var nick: String
    public var username: String
    public var realname: String
    /// Server password (`PASS`), empty for none.
    public var password: String = ""
    /// Channels joined after registration (and again after every reconnect).
    public var channels: [String] = []
    /// NickServ identify after registration.
    public var nickServ: NickServ?
    /// Extra PEM trust roots for TLS (a private network's CA); the system roots are always used.
    public var tlsTrustRootsPEM: [String] = []

    /// Flood control: lines sent at once, then one per `floodInterval`.
    public var floodBurst = 4
    public var floodInterval: Duration = .milliseconds(500)
    /// Reconnect backoff (`ChannelBackoff`, ±20 % jitter): doubled from `minimum` up to `maximum`, reset after a successful registration.
    public var reconnectMinimum: Duration = .seconds(1)
    public var reconnectMaximum: Duration = .seconds(60)
    /// With nothing received for `keepAlive` the client sends PING; after `keepAlive` more it reconnects.
    public var keepAlive: Duration = .seconds(120)
    /// Connect + TLS + registration (001) must finish within this.
    public var registrationTimeout: Duration = .seconds(30)
    /// The CTCP VERSION reply; nil to ignore VERSION like every other CTCP request.
    public var versionReply: String? = "OpenClaw gateway"

    public struct NickServ: Sendable {
        public var service: String
        public var password: String
        /// `REGISTER <password> <email>` before identifying (one-time, upstream's `register`).
        public var registerEmail: String?

        public init(service: String = "NickServ", password: String, registerEmail: String? = nil) {
            self.service = service
            self.password = password
            self.registerEmail = registerEmail
        }
    }

    public init(host: String, port: Int? = nil, tls: Bool = true, nick: String, username: String? = nil, realname: String = "OpenClaw") {
        self.host = host
        self.tls = tls
        self.port = port ?? (tls ? 6697 : 6667)
        self.nick = nick
        self.username = username ?? nick
        self.realname = realname
    }
}
