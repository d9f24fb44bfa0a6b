// Sources/Runtime/Channels/ChannelAccessPolicy.swift - who may talk to the bot on a channel account (upstream dmPolicy/groupPolicy)

import Foundation
import Generated

/// Upstream's access keys, read from one account's merged config (falling back to `channels.defaults`):
/// `dmPolicy` (`pairing` default, `allowlist`, `open`, `disabled`), `allowFrom`, `groupPolicy`
/// (`allowlist` default, `open`, `disabled`), `groupAllowFrom`, and `groups.<groupId|*>` with
/// `requireMention` (default true), `allowFrom` and `enabled`. Group senders are limited by the
/// group's `allowFrom`, else `groupAllowFrom`, else anyone in an allowed group.
struct ChannelAccessPolicy: Sendable, Equatable {
    typealias DMPolicy = ChannelsDefaultsDmPolicy
    typealias GroupPolicy = ChannelsDefaultsGroupPolicy

    struct GroupRule: Sendable, Equatable {
        var requireMention: Bool?
        var allowFrom: [String]?
        var enabled: Bool?
    }

    /// What to do with one inbound message.
    enum Decision: Equatable {
        case allow
        /// An unknown DM sender under `dmPolicy: pairing`: answer with a pairing code.
        case pair
        /// Dropped; the reason is logged (`policy=allowlist`, `group-disabled`, …).
        case drop(String)
        /// An allowed group message that does not mention the bot (`requireMention`): no run, but kept
        /// as context for the next run in that group (`GroupHistory`).
        case contextOnly
    }

    var dmPolicy: DMPolicy = ConfigDefaults.channelsDefaultsDmPolicy
    var allowFrom: [String] = []
    var groupPolicy: GroupPolicy = ConfigDefaults.channelsDefaultsGroupPolicy
    var groupAllowFrom: [String]?
    var groups: [String: GroupRule] = [:]

    init() {}

    /// `account` is the merged JSON of any channel's account, plugin channels the spec does not declare
    /// included, so the shared keys are read by name here; `channels.defaults` is typed.
    init(account: [String: JSONValue], defaults: ChannelsDefaultsConfig?) {
        let dm = account["dmPolicy"]?.stringValue ?? defaults?.dmPolicy?.rawValue
        dmPolicy = dm.flatMap(DMPolicy.init(rawValue:)) ?? ConfigDefaults.channelsDefaultsDmPolicy
        let group = account["groupPolicy"]?.stringValue ?? defaults?.groupPolicy?.rawValue
        groupPolicy = group.flatMap(GroupPolicy.init(rawValue:)) ?? ConfigDefaults.channelsDefaultsGroupPolicy
        allowFrom = Self.ids(account["allowFrom"]) ?? []
        groupAllowFrom = Self.ids(account["groupAllowFrom"])
        for (id, rule) in account["groups"]?.objectValue ?? [:] {
            groups[id] = GroupRule(
                requireMention: rule["requireMention"]?.boolValue, allowFrom: Self.ids(rule["allowFrom"]), enabled: rule["enabled"]?.boolValue
            )
        }
    }

    /// Decides for a message; `approved` are the senders the pairing store has approved.
    func decide(_ message: ChannelInboundMessage, channel: String, approved: [String]) -> Decision {
        switch message.chatType {
        case .direct:
            switch dmPolicy {
            case .disabled: return .drop("dmPolicy=disabled")
            case .open: return .allow
            case .allowlist:
                return Self.matches(allowFrom, message, channel: channel) ? .allow : .drop("policy=allowlist")
            case .pairing:
                return Self.matches(allowFrom + approved, message, channel: channel) ? .allow : .pair
            }
        case .group:
            let groupId = message.groupId ?? ""
            let rule = groups[groupId] ?? groups.first { $0.key.caseInsensitiveCompare(groupId) == .orderedSame }?.value
            let wildcard = groups["*"]
            switch groupPolicy {
            case .disabled: return .drop("groupPolicy=disabled")
            case .allowlist:
                // With `groups` the group must be listed; without, `groupAllowFrom` alone names who may
                // trigger the bot in any group (upstream's "only you can trigger in groups").
                if groups.isEmpty {
                    guard !(groupAllowFrom ?? []).isEmpty else { return .drop("policy=allowlist (no groups or groupAllowFrom configured)") }
                } else if rule == nil && wildcard == nil {
                    return .drop("policy=allowlist (group \(groupId) not in groups)")
                }
            case .open: break
            }
            if (rule?.enabled ?? wildcard?.enabled) == false { return .drop("group-disabled") }
            let senders = rule?.allowFrom ?? groupAllowFrom
            if let senders, !Self.matches(senders, message, channel: channel) { return .drop("policy=allowlist (sender not in group allowFrom)") }
            let requireMention = rule?.requireMention ?? wildcard?.requireMention ?? true
            if requireMention && !message.mentionsBot { return .contextOnly }
            return .allow
        }
    }

    /// `*` matches everyone; entries match the sender id or an alias, case-insensitively, with or
    /// without a `<channel>:` prefix.
    static func matches(_ list: [String], _ message: ChannelInboundMessage, channel: String) -> Bool {
        let candidates = ([message.senderId] + message.senderAliases).map { $0.lowercased() }
        for entry in list {
            var value = entry.trimmingCharacters(in: .whitespaces).lowercased()
            if value == "*" { return true }
            if value.hasPrefix(channel.lowercased() + ":") { value.removeFirst(channel.count + 1) }
            if candidates.contains(value) { return true }
        }
        return false
    }

    private static func ids(_ value: JSONValue?) -> [String]? {
        guard let array = value?.arrayValue else { return nil }
        return array.compactMap { element in
            switch element {
            case .string(let text): text
            case .int(let number): String(number)
            default: nil
            }
        }
    }
}
