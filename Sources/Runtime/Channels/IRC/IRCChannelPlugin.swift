// Sources/Runtime/Channels/IRC/IRCChannelPlugin.swift - IRC as a gateway channel

import Foundation
import ProtocolSupport

/// The `irc` channel: one `IRCClient` per account. Access control, pairing and sessions are the
/// gateway's; this plugin reports who wrote (`nick!user@host`), where, and whether the bot was named.
public struct IRCChannelPlugin: ChannelPlugin {
    public var meta: ChannelMeta { ChannelMeta(id: "irc", label: "IRC", detailLabel: "IRC (SwiftNIO)") }
    /// Replies are cut to 512-byte protocol lines by the client; this only bounds one `sendText`.
    public var capabilities: ChannelCapabilities { ChannelCapabilities(chatTypes: [.direct, .group], textChunkLimit: 2000) }

    /// Overrides applied to every account's client (tests shorten reconnects and flood control).
    public var tune: @Sendable (inout IRCClientOptions) -> Void

    public init(tune: @escaping @Sendable (inout IRCClientOptions) -> Void = { _ in }) {
        self.tune = tune
    }

    public func resolveAccount(_ config: ChannelConfigView, accountId: String) -> any ChannelAccount {
        var account = IRCAccount.resolve(config, accountId: accountId)
        tune(&account.options)
        return account
    }

    public func describeAccount(_ account: any ChannelAccount) -> [String: JSONValue] {
        guard let account = account as? IRCAccount else { return [:] }
        return [
            "host": .string(account.options.host), "port": .int(account.options.port), "tls": .bool(account.options.tls),
            "nick": .string(account.options.nick), "channels": .array(account.options.channels.map { .string($0) }),
            "passwordSource": .string(account.passwordSource),
        ]
    }

    public func startAccount(_ account: any ChannelAccount, context: ChannelAccountContext) async throws -> any ChannelAccountHandle {
        guard let account = account as? IRCAccount, account.configured else {
            throw ChannelError.misconfigured(account.problem ?? "irc account \(account.accountId) is not configured")
        }
        return IRCAccountHandle(account: account, context: context)
    }

    /// Connects, registers and quits: proves host, port, TLS, password and nick work.
    public func probe(_ account: any ChannelAccount, timeout: Duration) async -> ChannelProbeResult {
        guard let account = account as? IRCAccount, account.configured else {
            return ChannelProbeResult(ok: false, error: account.problem ?? "not configured")
        }
        var options = account.options
        options.channels = []
        options.nickServ = nil
        options.registrationTimeout = timeout
        let client = IRCClient(options: options)
        let started = ContinuousClock.now
        let runner = Task { await client.run() }
        let outcome: Result<String, IRCClientError> = await withTaskGroup(of: Result<String, IRCClientError>?.self) { group in
            group.addTask {
                for await event in client.events {
                    switch event {
                    case .registered(let nick): return .success(nick)
                    case .disconnected(let reason, _): return .failure(IRCClientError(description: reason))
                    default: continue
                    }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .failure(IRCClientError(description: "timed out after \(timeout)"))
            }
            let first = await group.next() ?? nil
            await client.stop(reason: "probe")
            runner.cancel()
            group.cancelAll()
            return first ?? .failure(IRCClientError(description: "no answer"))
        }
        await runner.value
        let elapsed = ContinuousClock.now - started
        let elapsedMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let server: JSONValue = .object(["host": .string(options.host), "port": .int(options.port), "tls": .bool(options.tls)])
        switch outcome {
        case .success(let nick):
            return ChannelProbeResult(ok: true, elapsedMs: elapsedMs, details: ["server": server, "nick": .string(nick)])
        case .failure(let error):
            return ChannelProbeResult(ok: false, elapsedMs: elapsedMs, error: error.description, details: ["server": server])
        }
    }

    /// The gateway's view of one IRC message (see `IRCAccountHandle.inbound`).
    public static func inbound(_ message: IRCIncomingMessage, account: IRCAccount) -> ChannelInboundMessage {
        IRCAccountHandle.inbound(message, account: account)
    }

    /// `#channel` (also `&`, `+`, `!` channels) is a group; anything else a nick (`nick!user@host` is cut to the nick).
    public func resolveTarget(_ raw: String, account: any ChannelAccount) throws(ChannelError) -> ChannelTarget {
        var target = raw.trimmingCharacters(in: .whitespaces)
        if target.lowercased().hasPrefix("irc:") { target.removeFirst(4) }
        guard !target.isEmpty, !target.contains(where: { " ,\r\n\0".contains($0) }) else {
            throw .invalidTarget("IRC targets are a channel (#room) or a nick (alice)")
        }
        if IRCAccountHandle.isChannelName(target) { return ChannelTarget(peerId: target, chatType: .group) }
        return ChannelTarget(peerId: String(target.prefix { $0 != "!" }), chatType: .direct)
    }
}
