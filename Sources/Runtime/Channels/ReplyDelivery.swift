// Sources/Runtime/Channels/ReplyDelivery.swift - sending a finished run's reply to a chat

import Logging

/// A run started outside a channel (a webhook, `openclaw agent --deliver`) whose reply also goes to
/// a chat: the running account and the plugin's target, resolved before the run is admitted so a
/// bad channel, account or target is refused up front and never a silent loss.
struct ReplyDelivery: Sendable {
    /// Why a destination cannot be used; callers map it to their own error shapes.
    enum Problem: Error, Sendable {
        /// The request named something that does not exist or cannot be parsed.
        case invalid(String)
        /// The channels are not running.
        case unavailable(String)
    }

    /// What was done with the reply.
    struct Report: Sendable {
        var attempted: Bool
        var delivered: Bool
        var error: String?
    }

    let slot: ChannelManager.Slot
    let target: ChannelTarget

    /// `channel` (not `webchat`) with `to` through `accountId` (else the channel's default account).
    static func resolve(channel: String, to: String, accountId: String?, threadId: String? = nil, hub: GatewayHub) throws(Problem) -> ReplyDelivery {
        let channel = channel.lowercased()
        if channel == ChannelManager.webchat.id { throw .invalid("unsupported channel: webchat (internal-only)") }
        let manager: ChannelManager
        do {
            manager = try hub.channels
        } catch {
            throw .unavailable("channels are not running")
        }
        guard let plugin = manager.plugin(channel) else { throw .invalid("unsupported channel: \(channel)") }
        let accountId = accountId ?? manager.view(channel).defaultAccountId
        guard let slot = manager.slot(channel: channel, accountId: accountId) else {
            throw .invalid("unknown account \(accountId) for channel \(channel)")
        }
        do {
            var target = try plugin.resolveTarget(to, account: slot.account)
            if let threadId { target.threadId = threadId }
            return ReplyDelivery(slot: slot, target: target)
        } catch {
            throw .invalid("invalid to for \(channel): \(error.message)")
        }
    }

    /// Sends `text` through the account (chunked as the channel needs).
    func send(_ text: String) async throws(ChannelError) {
        _ = try await ChannelSender.send(text, to: target, slot: slot)
    }

    /// Sends a successful run's non-empty reply; failures are logged and reported, never thrown.
    func deliver(_ outcome: RunOutcome?, runId: String, logger: Logger) async -> Report {
        let text = outcome?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard outcome?.status == .ok, !text.isEmpty else { return Report(attempted: false, delivered: false) }
        let place = "\(slot.channel)/\(slot.account.accountId) \(target.peerId)"
        do {
            try await send(text)
            logger.info("[channels] run \(runId) reply delivered to \(place)")
            return Report(attempted: true, delivered: true)
        } catch {
            logger.warning("[channels] run \(runId) reply to \(place) failed: \(error.message)")
            return Report(attempted: true, delivered: false, error: error.message)
        }
    }
}
