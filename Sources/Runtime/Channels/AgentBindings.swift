// Sources/Runtime/Channels/AgentBindings.swift - which agent answers an inbound channel message

import Generated

/// Upstream's `bindings`: each entry `{ agentId, match: { channel, accountId?, peer?: { kind, id } } }`
/// sends a slice of channel traffic to an agent other than the default. Bindings only pick the
/// agent; access control has already accepted the message.
///
/// The most specific match wins, first in the list within a tier: the exact peer (a Telegram forum
/// topic as `<chatId>:topic:<threadId>`), then the thread's parent peer, then the account, then the
/// channel as a whole (`accountId: "*"`). A binding without `accountId` covers only the channel's
/// default account. Bindings naming an agent that does not exist, or with keys this gateway's
/// channels never carry (`guildId`, `teamId`, `roles`), never match.
struct AgentBindings: Sendable {
    struct Binding: Sendable {
        var agentId: String
        var channel: String
        /// nil: the channel's default account only; "*": every account.
        var accountId: String?
        var peer: (kind: PeerKind, id: String)?
        var needsUnsupportedFacts: Bool
    }

    enum PeerKind: Sendable {
        case direct, group
    }

    enum Tier: Int, Comparable {
        case peer, parentPeer, account, channel

        static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    let bindings: [Binding]

    /// Reads `bindings` (a list; anything else or malformed entries are skipped), keeping only
    /// entries whose agent is in `knownAgents`.
    init(_ value: JSONValue?, knownAgents: Set<String>) {
        bindings = (value?.arrayValue ?? []).compactMap { entry in
            guard let agentId = entry["agentId"]?.stringValue.map(AgentID.normalize), knownAgents.contains(agentId),
                let match = entry["match"], let channel = match["channel"]?.stringValue?.lowercased(), !channel.isEmpty
            else { return nil }
            var peer: (PeerKind, String)?
            if let peerValue = match["peer"] {
                guard let kind = peerValue["kind"]?.stringValue.flatMap(Self.peerKind), let id = peerValue["id"]?.stringValue, !id.isEmpty else { return nil }
                peer = (kind, id)
            }
            let unsupported = ["guildId", "teamId", "roles"].contains { match[$0] != nil }
            let accountId = match["accountId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            return Binding(agentId: agentId, channel: channel, accountId: accountId, peer: peer, needsUnsupportedFacts: unsupported)
        }
    }

    /// The bound agent for a message on `channel`/`accountId`, or nil for the default agent.
    func agentId(channel: String, accountId: String, defaultAccountId: String, message: ChannelInboundMessage) -> String? {
        let peerKind: PeerKind = message.chatType == .group ? .group : .direct
        let peerId = message.chatType == .group ? (message.groupId ?? message.senderId) : message.senderId
        var best: (tier: Tier, agentId: String)?
        for binding in bindings where binding.channel == channel.lowercased() && !binding.needsUnsupportedFacts {
            switch binding.accountId {
            case nil: guard accountId == defaultAccountId else { continue }
            case "*": break
            case let wanted?: guard wanted.lowercased() == accountId.lowercased() else { continue }
            }
            let tier: Tier
            if let peer = binding.peer {
                guard peer.kind == peerKind else { continue }
                if let thread = message.threadId, Self.same(peer.id, "\(peerId):topic:\(thread)") {
                    tier = .peer
                } else if Self.same(peer.id, peerId) {
                    tier = message.threadId == nil ? .peer : .parentPeer
                } else {
                    continue
                }
            } else {
                tier = binding.accountId == "*" ? .channel : .account
            }
            if best.map({ tier < $0.tier }) ?? true { best = (tier, binding.agentId) }
        }
        return best?.agentId
    }

    /// Upstream's kinds: `direct` (`dm` too) for one person, `group` and `channel` for rooms.
    private static func peerKind(_ text: String) -> PeerKind? {
        switch text.lowercased() {
        case "direct", "dm": .direct
        case "group", "channel": .group
        default: nil
        }
    }

    /// Peer ids compare without case (IRC nicks and channels are case-insensitive; Telegram ids are digits).
    private static func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
}
