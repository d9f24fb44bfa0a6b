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
