// Sources/Runtime/Channels/ChannelPlugin.swift - the boundary between the gateway and a chat channel (IRC, Telegram, …)

import Foundation
import Generated
import Logging
import Synchronization

// The shape follows upstream's `ChannelPlugin` (reference/http.md §6): id and meta, capabilities,
// a config adapter (list/resolve/describe accounts), a gateway adapter (start an account, get a
// handle that runs until stopped), status and probe, outbound text, inbound events.
//
// Division of work:
// - The plugin speaks its protocol: connecting, reconnecting with backoff (`ChannelBackoff`), parsing
//   its own keys under `channels.<id>`, detecting mentions, splitting what the protocol cannot carry
//   in one frame (e.g. IRC's 512-byte lines).
// - The gateway (`ChannelManager`) owns everything else: which accounts run, restarts on config
//   change and by the health monitor, access control (`dmPolicy`, `allowFrom`, `groupPolicy`, `groups`),
//   pairing, session keys, agent runs, chunking replies to `capabilities.textChunkLimit`, and the
//   status the `channels.status` method reports.

/// A chat channel implementation. One instance per gateway; it serves every account of its channel.
public protocol ChannelPlugin: Sendable {
    /// The channel's id (`irc`, `telegram`) and how UIs name it.
    var meta: ChannelMeta { get }
    var capabilities: ChannelCapabilities { get }

    // MARK: Config adapter

    /// The account ids the channel's config declares, default account first when it is configured
    /// (e.g. the top-level keys or `IRC_*` environment form the `default` account; `accounts.<id>` the others).
    /// `ChannelConfigView.declaredAccountIds` is the usual answer.
    func listAccountIds(_ config: ChannelConfigView) -> [String]

    /// One account's settings, typed by the plugin. `config.account(id)` gives the merged JSON
    /// (channel-level keys overridden by `accounts.<id>`). Never throws: a broken account is returned
    /// with `configured == false` and a `problem` saying why.
    func resolveAccount(_ config: ChannelConfigView, accountId: String) -> any ChannelAccount

    /// Extra plugin-specific fields for this account's `channels.status` entry (e.g. `host`, `nick`,
    /// `botUsername`). Never include secrets.
    func describeAccount(_ account: any ChannelAccount) -> [String: JSONValue]

    // MARK: Gateway adapter

    /// Starts one configured account and returns at once (do not wait for the connection): the
    /// handle's work runs in its own task, reconnects with backoff on its own, reports through
    /// `context` and delivers inbound messages to `context.inbound`, until `stop()` is called.
    /// Throw only for what retrying cannot fix (e.g. an unusable config).
    func startAccount(_ account: any ChannelAccount, context: ChannelAccountContext) async throws -> any ChannelAccountHandle

    /// Checks the account's credentials/connectivity without a running handle (`channels.status {probe:true}`).
    /// Must return within `timeout`.
    func probe(_ account: any ChannelAccount, timeout: Duration) async -> ChannelProbeResult

    /// Turns a user-supplied destination (the `to` of `send` / `openclaw message send`) into a target:
    /// e.g. `#chan` vs `nick` on IRC, a chat id on Telegram.
    /// - Throws: `ChannelError.invalidTarget` with a message saying what is accepted.
    func resolveTarget(_ raw: String, account: any ChannelAccount) throws(ChannelError) -> ChannelTarget

    /// Forgets the account's session/credentials where the channel keeps any (`channels.logout`).
    /// Returns whether something was cleared. Default: nothing to clear.
    func logout(_ account: any ChannelAccount, stateDir: String) async throws -> Bool
}

extension ChannelPlugin {
    public var id: String { meta.id }

    public func listAccountIds(_ config: ChannelConfigView) -> [String] { config.declaredAccountIds }

    public func describeAccount(_ account: any ChannelAccount) -> [String: JSONValue] { [:] }

    public func resolveTarget(_ raw: String, account: any ChannelAccount) throws(ChannelError) -> ChannelTarget {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .invalidTarget("empty target") }
        return ChannelTarget(peerId: trimmed, chatType: .direct)
    }

    public func logout(_ account: any ChannelAccount, stateDir: String) async throws -> Bool { false }
}

/// How UIs and `channels.status` name a channel (upstream's `channelMeta` entries).
public struct ChannelMeta: Sendable, Equatable {
    public var id: String
    /// `IRC`, `Telegram`.
    public var label: String
    /// A longer label, e.g. `IRC (SwiftNIO)`, `Telegram Bot API`.
    public var detailLabel: String
    public var systemImage: String?

    public init(id: String, label: String, detailLabel: String, systemImage: String? = nil) {
        self.id = id
        self.label = label
        self.detailLabel = detailLabel
        self.systemImage = systemImage
    }
}

/// Upstream's chat types: a one-to-one chat, or a room with several members.
public enum ChannelChatType: String, Sendable, Codable, Hashable {
    case direct
    case group
}

/// What the channel can do; the gateway only uses what is declared.
public struct ChannelCapabilities: Sendable, Equatable {
    public var chatTypes: Set<ChannelChatType>
    /// Replies can target a thread (Telegram forum topics).
    public var threads: Bool
    /// `ChannelAccountHandle.sendTyping` does something.
    public var typing: Bool
    /// Longest text in one `sendText` call, in characters (Telegram 4096). Replies are split on
    /// paragraph/line/word boundaries to fit before the plugin sees them.
    public var textChunkLimit: Int

    public init(chatTypes: Set<ChannelChatType>, threads: Bool = false, typing: Bool = false, textChunkLimit: Int = 4000) {
        self.chatTypes = chatTypes
        self.threads = threads
        self.typing = typing
        self.textChunkLimit = textChunkLimit
    }
}

/// A resolved account. Plugins define their own struct (host, token, …) conforming to this and
/// downcast it in their other methods.
public protocol ChannelAccount: Sendable {
    var accountId: String { get }
    /// A display name (`name` key).
    var name: String? { get }
    /// `enabled: false` keeps a configured account stopped.
    var enabled: Bool { get }
    /// Has what it needs to start (a token, a host and nick…).
    var configured: Bool { get }
    /// Why it is not configured, as a fix the operator can apply (`set channels.telegram.botToken`).
    var problem: String? { get }
    /// The account's `textChunkLimit` (already within what the channel can carry): replies are split
    /// to it instead of the channel's default `capabilities.textChunkLimit`.
    var textChunkLimit: Int? { get }
}

extension ChannelAccount {
    public var textChunkLimit: Int? { nil }
}

/// Where a message goes: a user (direct) or a group, optionally a thread inside it.
public struct ChannelTarget: Sendable, Hashable {
    /// The user id for direct chats, the group/channel id for groups (`#room`, a Telegram chat id).
    public var peerId: String
    public var chatType: ChannelChatType
    public var threadId: String?
    /// The inbound message this answers, when the channel can reply to a message.
    public var replyToMessageId: String?

    public init(peerId: String, chatType: ChannelChatType, threadId: String? = nil, replyToMessageId: String? = nil) {
        self.peerId = peerId
        self.chatType = chatType
        self.threadId = threadId
        self.replyToMessageId = replyToMessageId
    }
}

/// What sending produced: the id of the (last) message the channel created, when it has ids.
public struct ChannelSendResult: Sendable, Equatable {
    public var messageId: String?

    public init(messageId: String? = nil) { self.messageId = messageId }
}

/// A message a running account received. The plugin fills what its protocol knows.
public struct ChannelInboundMessage: Sendable, Equatable {
    /// The sender's stable id (IRC nick, Telegram user id).
    public var senderId: String
    public var senderName: String?
    /// Also other ids `allowFrom` may list for this sender (Telegram `@username`, IRC `nick!user@host`).
    public var senderAliases: [String]
    public var chatType: ChannelChatType
    /// The room for `group` messages (`#chan`, a Telegram chat id).
    public var groupId: String?
    public var groupName: String?
    public var threadId: String?
    public var text: String
    /// The message addresses the bot (IRC `nick:` prefix or word, Telegram `@bot` entity or reply to the bot).
    public var mentionsBot: Bool
    public var messageId: String?
    /// When the channel says it was sent (ms since epoch); nil means now.
    public var timestampMs: Int?

    public init(
        senderId: String, senderName: String? = nil, senderAliases: [String] = [], chatType: ChannelChatType,
        groupId: String? = nil, groupName: String? = nil, threadId: String? = nil, text: String,
        mentionsBot: Bool = false, messageId: String? = nil, timestampMs: Int? = nil
    ) {
        self.senderId = senderId
        self.senderName = senderName
        self.senderAliases = senderAliases
        self.chatType = chatType
        self.groupId = groupId
        self.groupName = groupName
        self.threadId = threadId
        self.text = text
        self.mentionsBot = mentionsBot
        self.messageId = messageId
        self.timestampMs = timestampMs
    }

    /// Where a reply to this message goes: the group (and thread) it came from, else the sender.
    public var replyTarget: ChannelTarget {
        if chatType == .group, let groupId {
            return ChannelTarget(peerId: groupId, chatType: .group, threadId: threadId, replyToMessageId: messageId)
        }
        return ChannelTarget(peerId: senderId, chatType: .direct, threadId: threadId, replyToMessageId: messageId)
    }
}

/// Receives what running accounts hear. The gateway's router implements it; a plugin only calls it.
public protocol ChannelInbound: Sendable {
    /// Hands over one message; returns once it is accepted for routing (not when answered), so a
    /// plugin may await it from its read loop.
    func receive(_ message: ChannelInboundMessage, channel: String, accountId: String) async
}

/// A running account: started by `ChannelPlugin.startAccount`, stopped by the gateway.
public protocol ChannelAccountHandle: Sendable {
    /// Sends one chunk (at most `capabilities.textChunkLimit` characters) to `target`.
    /// - Throws: `ChannelError.notConnected` while disconnected, `.sendFailed` when the channel refused it.
    func sendText(_ text: String, to target: ChannelTarget) async throws(ChannelError) -> ChannelSendResult

    /// Shows "typing…" in the chat while the agent works (only called when `capabilities.typing`).
    func sendTyping(to target: ChannelTarget) async

    /// Disconnects (politely where the protocol allows) and returns when the account's task has ended.
    func stop() async
}

extension ChannelAccountHandle {
    public func sendTyping(to target: ChannelTarget) async {}
}

/// What a plugin gets to run an account with: the inbound sink, a logger, the state dir, and the
/// status it must keep current (connected, last error, reconnect attempts).
public struct ChannelAccountContext: Sendable {
    public let channel: String
    public let accountId: String
    public let inbound: any ChannelInbound
    /// Labelled `channel.<id>`, with `account` metadata.
    public let logger: Logger
    /// The gateway's state directory, for plugin files (e.g. a Telegram update offset).
    public let stateDir: String
    private let status: ChannelStatusCell

    public init(channel: String, accountId: String, inbound: any ChannelInbound, logger: Logger, stateDir: String, status: ChannelStatusCell) {
        self.channel = channel
        self.accountId = accountId
        self.inbound = inbound
        self.logger = logger
        self.stateDir = stateDir
        self.status = status
    }

    /// Changes the account's reported status, e.g. `context.update { $0.connected = true }`.
    public func update(_ change: @Sendable (inout ChannelAccountStatus) -> Void) { status.update(change) }

    /// The connection is up: sets connected, lastConnectedAt, clears lastError and reconnectAttempts.
    public func markConnected() {
        status.update { status in
            status.connected = true
            status.lastConnectedAt = Int(Date().timeIntervalSince1970 * 1000)
            status.lastError = nil
            status.reconnectAttempts = 0
        }
    }

    /// The connection dropped (or a connect attempt failed); the plugin is about to wait and retry.
    public func markDisconnected(error: String?) {
        status.update { status in
            status.connected = false
            if let error { status.lastError = error }
            status.reconnectAttempts += 1
        }
    }
}

/// The live status of one account, as `channels.status` reports it (`channelAccounts` entries).
public struct ChannelAccountStatus: Sendable, Equatable {
    /// The handle is started and not stopped.
    public var running = false
    public var connected = false
    public var reconnectAttempts = 0
    public var lastConnectedAt: Int?
    public var lastError: String?
    public var lastStartAt: Int?
    public var lastStopAt: Int?
    public var lastInboundAt: Int?
    public var lastOutboundAt: Int?

    public init() {}
}

/// Shared, locked status storage the gateway reads and the plugin writes through its context.
public final class ChannelStatusCell: Sendable {
    private let value: Mutex<ChannelAccountStatus>

    public init(_ initial: ChannelAccountStatus = ChannelAccountStatus()) { value = Mutex(initial) }

    public var current: ChannelAccountStatus { value.withLock { $0 } }

    public func update(_ change: (inout ChannelAccountStatus) -> Void) { value.withLock { change(&$0) } }
}

/// A probe's answer (`channels.status {probe:true}`): reachable with these credentials or not.
public struct ChannelProbeResult: Sendable, Equatable {
    public var ok: Bool
    public var elapsedMs: Int?
    public var error: String?
    /// Plugin-specific facts learnt (e.g. `bot: {id, username}`, `server`).
    public var details: [String: JSONValue]

    public init(ok: Bool, elapsedMs: Int? = nil, error: String? = nil, details: [String: JSONValue] = [:]) {
        self.ok = ok
        self.elapsedMs = elapsedMs
        self.error = error
        self.details = details
    }
}

/// Failures a plugin reports to the gateway.
public enum ChannelError: Error, Sendable, Equatable {
    /// The account is not connected right now (the send may be retried later).
    case notConnected
    /// The destination is not one this channel understands.
    case invalidTarget(String)
    /// The channel refused or failed the operation; the text is shown to the caller.
    case sendFailed(String)
    /// The account's config cannot work (startAccount); retrying will not help.
    case misconfigured(String)

    public var message: String {
        switch self {
        case .notConnected: "not connected"
        case .invalidTarget(let text), .sendFailed(let text), .misconfigured(let text): text
        }
    }
}
