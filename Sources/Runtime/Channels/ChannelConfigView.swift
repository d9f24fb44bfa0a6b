// Sources/Runtime/Channels/ChannelConfigView.swift - one channel's `channels.<id>` section, split into accounts

import Generated
import ProtocolSupport

/// A channel's config section as plugins read it. Upstream's layout: the keys directly under
/// `channels.<id>` configure the `default` account and are the defaults of every other account;
/// `accounts.<accountId>` holds per-account overrides; `defaultAccount` names the account used when
/// none is given (`send` without `accountId`).
public struct ChannelConfigView: Sendable, Equatable {
    /// `channels.<id>` as written (after `${VAR}` substitution); nil when absent.
    public let section: JSONValue?
    /// The gateway's environment, for env-only defaults (`IRC_HOST`, `TELEGRAM_BOT_TOKEN`).
    public let environment: [String: String]

    public static let defaultAccountId = "default"

    public init(section: JSONValue?, environment: [String: String] = [:]) {
        self.section = section
        self.environment = environment
    }

    /// The section is present (even `{}`).
    public var isPresent: Bool { section?.objectValue != nil }

    /// `enabled: false` on the channel turns every account off.
    public var channelEnabled: Bool { section?["enabled"]?.boolValue ?? true }

    /// `accounts.<id>` keys (sorted), or `default` when there are none.
    public var declaredAccountIds: [String] {
        let ids = (section?["accounts"]?.objectValue ?? [:]).keys.sorted()
        return ids.isEmpty ? [Self.defaultAccountId] : ids
    }

    /// `defaultAccount`, else `default` when declared, else the first declared account.
    public var defaultAccountId: String {
        let ids = declaredAccountIds
        if let named = section?["defaultAccount"]?.stringValue, ids.contains(named) { return named }
        return ids.contains(Self.defaultAccountId) ? Self.defaultAccountId : ids.first ?? Self.defaultAccountId
    }

    /// The account's effective settings: the channel-level keys (without `accounts`/`defaultAccount`)
    /// overridden key by key by `accounts.<id>`.
    public func account(_ accountId: String) -> [String: JSONValue] {
        var merged = section?.objectValue ?? [:]
        merged["accounts"] = nil
        merged["defaultAccount"] = nil
        for (key, value) in section?["accounts"]?[accountId]?.objectValue ?? [:] { merged[key] = value }
        return merged
    }

    /// The account's effective settings (`account(_:)`) as the channel's generated account type, e.g.
    /// `ChannelsIrcAccountConfig`, checked as the config loader checks the file. Nil when they do not
    /// decode, which a loaded config rules out (a view built by hand, as in tests, can still hit it).
    public func account<Settings: Decodable>(_ accountId: String, as type: Settings.Type) -> Settings? {
        try? WireJSON.decode(Settings.self, from: WireJSON.encode(JSONValue.object(account(accountId))))
    }
}
