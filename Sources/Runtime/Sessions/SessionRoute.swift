// Sources/Runtime/Sessions/SessionRoute.swift - where a session last talked on a channel

/// Upstream's `lastChannel` / `lastTo` / `lastAccountId`: the chat a session's latest channel
/// message came from, so a reply can be delivered there later without naming it again
/// (`agent` with `deliver` and no destination).
public struct SessionRoute: Sendable, Equatable {
    public var channel: String
    public var to: String
    public var accountId: String

    public init(channel: String, to: String, accountId: String) {
        self.channel = channel
        self.to = to
        self.accountId = accountId
    }
}

extension SessionEntry {
    /// The session's last route becomes `route`; its originating `channel` is kept once set.
    public mutating func record(_ route: SessionRoute) {
        channel = channel ?? route.channel
        lastChannel = route.channel
        lastTo = route.to
        lastAccountId = route.accountId
    }
}

/// Where a reply the gateway sends unasked goes (a heartbeat alert, a cron job's answer), upstream's
/// `outbound/targets.ts`: `channel` nil or `last` is the session's last route (webchat, which has no
/// outbound, excluded); a channel id uses `to`, or the session's last recipient when its last route was on
/// that channel. `accountId` falls back to the last route's account on the same channel.
struct OutboundTarget: Sendable, Equatable {
    var channel: String
    var to: String
    var accountId: String?

    /// Nil when no chat can be named (no last route, or no recipient on the chosen channel).
    init?(channel wanted: String?, to: String?, accountId: String?, lastRouteOf entry: SessionEntry?) {
        let lastChannel = entry?.lastChannel.flatMap { $0 == ChannelManager.webchat.id ? nil : $0 }
        let named = wanted.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty || $0 == "last" ? nil : $0 }
        guard let channel = named ?? lastChannel else { return nil }
        let sameChannel = channel == lastChannel
        guard let recipient = to ?? (sameChannel ? entry?.lastTo : nil) else { return nil }
        self.channel = channel
        self.to = recipient
        self.accountId = accountId ?? (sameChannel ? entry?.lastAccountId : nil)
    }
}
