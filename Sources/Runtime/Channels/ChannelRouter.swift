// Sources/Runtime/Channels/ChannelRouter.swift - inbound channel message → access control → session → agent run → reply

import Foundation
import Generated
import Logging

/// The `ChannelInbound` every running account delivers to. Applies the account's access policy
/// (logging each drop with its reason), answers unknown DM senders with a pairing code, and runs
/// allowed messages for the agent `bindings` pick (else the default agent) through the agent
/// runtime's lanes like any other run; the reply goes back through the same account to the same
/// chat and thread, split to the channel's chunk limit.
struct ChannelRouter: ChannelInbound {
    let manager: ChannelManager

    func receive(_ message: ChannelInboundMessage, channel: String, accountId: String) async {
        guard let slot = manager.slot(channel: channel, accountId: accountId) else { return }
        slot.status.update { $0.lastInboundAt = Int(Clock.nowMs) }
        let logger = manager.logger
        let from = "\(channel)/\(accountId) from \(message.senderId)" + (message.groupId.map { " in \($0)" } ?? "")
        let policy = ChannelAccessPolicy(account: manager.view(channel).account(accountId), defaults: manager.channelDefaults)
        switch policy.decide(message, channel: channel, approved: manager.pairing.approved(channel: channel)) {
        case .drop(let reason):
            logger.info("[channels] drop \(from): \(reason)")
        case .contextOnly:
            let limit = historyLimit(channel: channel, accountId: accountId)
            manager.groupHistory.remember(message, key: GroupHistory.key(channel: channel, accountId: accountId, message: message), limit: limit)
            logger.info("[channels] drop \(from): missing-mention\(limit > 0 ? " (kept as context)" : "")")
        case .pair:
            await pair(message, slot: slot, from: from)
        case .allow:
            await run(message, slot: slot, from: from)
        }
    }

    /// The account's `historyLimit`, else `messages.groupChat.historyLimit`, else 50.
    private func historyLimit(channel: String, accountId: String) -> Int {
        if let own = manager.view(channel).account(accountId)["historyLimit"]?.intValue { return max(own, 0) }
        let global = manager.hub.config.withLock { $0.tree["messages"]?["groupChat"]?["historyLimit"]?.intValue }
        return max(global ?? GroupHistory.defaultLimit, 0)
    }

    private func pair(_ message: ChannelInboundMessage, slot: ChannelManager.Slot, from: String) async {
        let channel = slot.channel
        var meta = ["accountId": slot.account.accountId]
        if let name = message.senderName { meta["name"] = name }
        guard let (code, created) = manager.pairing.request(channel: channel, senderId: message.senderId, meta: meta) else {
            manager.logger.info("[channels] drop \(from): pairing-pending-cap (\(PairingStore.maxPending) requests already pending)")
            return
        }
        guard created else {
            manager.logger.info("[channels] drop \(from): pairing-pending (code already sent)")
            return
        }
        manager.logger.info("[channels] pairing request \(code) for \(from)")
        let text = Self.pairingMessage(channelLabel: slot.plugin.meta.label, channel: channel, senderId: message.senderId, code: code)
        await deliver(text, to: message.replyTarget, slot: slot)
    }

    /// The reply an unknown DM sender gets under `dmPolicy: pairing` (upstream's content: who they are,
    /// the code, and the command the owner runs).
    static func pairingMessage(channelLabel: String, channel: String, senderId: String, code: String) -> String {
        """
        OpenClaw: access not configured.

        Your \(channelLabel) id: \(senderId)

        Pairing code: \(code)

        Ask the bot owner to approve with:
        openclaw pairing approve \(channel) \(code)
        """
    }

    private func run(_ message: ChannelInboundMessage, slot: ChannelManager.Slot, from: String) async {
        let hub = manager.hub
        let logger = manager.logger
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            logger.warning("[channels] drop \(from): agent runtime unavailable")
            return
        }
        let catalog = hub.catalog
        let (dmScope, bindingList) = hub.config.withLock { ($0.tree["session"]?["dmScope"]?.stringValue, $0.tree["bindings"]) }
        let bindings = AgentBindings(bindingList, knownAgents: Set(catalog.agents.map(\.id)))
        let bound = bindings.agentId(
            channel: slot.channel, accountId: slot.account.accountId, defaultAccountId: manager.view(slot.channel).defaultAccountId, message: message
        )
        let agent = catalog.agent(bound) ?? catalog.defaultAgent
        let sessionKey = ChannelSessionKey.make(
            agentId: agent.id, channel: slot.channel, accountId: slot.account.accountId, message: message, dmScope: dmScope
        )
        let timeout = hub.defaultRunTimeout
        let who = message.senderName.map { "\($0) (\(message.senderId))" } ?? message.senderId
        var prompt = message.text
        if message.chatType == .group {
            let history = manager.groupHistory.take(key: GroupHistory.key(channel: slot.channel, accountId: slot.account.accountId, message: message))
            prompt = GroupHistory.prompt(message.text, sender: message.senderName ?? message.senderId, history: history)
        }
        let place = message.chatType == .group ? " in group \(message.groupName ?? message.groupId ?? "")" : ""
        var request = RunRequest(
            runId: UUID().uuidString.lowercased(), origin: .channel, sessionKey: sessionKey, agent: agent, message: prompt, timeout: timeout,
            extraSystemPrompt: "This message came from \(who) on \(slot.plugin.meta.label)\(place); your reply is sent back there as plain text.",
            toolEventRecipient: nil, spawnedBy: nil, acceptedAt: Int(Clock.nowMs)
        )
        request.route = SessionRoute(channel: slot.channel, to: message.replyTarget.peerId, accountId: slot.account.accountId)
        let target = message.replyTarget
        if slot.plugin.capabilities.typing, let handle = slot.handle.withLock({ $0 }) { await handle.sendTyping(to: target) }
        let active: ActiveRun
        do {
            active = try await runtime.admit(request)
        } catch {
            logger.warning("[channels] drop \(from): run not admitted: \(error.shape.message)")
            return
        }
        runtime.submit(active)
        logger.info("[channels] run \(request.runId) for \(from) in \(sessionKey)")
        // The answer is awaited off the plugin's read loop; admission above already fixed the order.
        let runId = request.runId
        hub.tasks.spawn {
            guard let outcome = await active.finished() else { return }
            let text = outcome.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard outcome.status == .ok, !text.isEmpty else {
                if let failure = outcome.failure { logger.warning("[channels] run \(runId) failed: \(failure.message)") }
                return
            }
            await deliver(text, to: target, slot: slot)
        }
    }

    private func deliver(_ text: String, to target: ChannelTarget, slot: ChannelManager.Slot) async {
        do {
            _ = try await ChannelSender.send(text, to: target, slot: slot)
        } catch {
            manager.logger.warning("[channels] reply to \(slot.channel)/\(slot.account.accountId) \(target.peerId) failed: \(error.message)")
        }
    }
}

/// Session keys for channel conversations, upstream's forms: DMs follow `session.dmScope` (`main`
/// default → `agent:<id>:main`; `per-peer` → `agent:<id>:direct:<peer>`; `per-channel-peer` →
/// `agent:<id>:<channel>:direct:<peer>`; `per-account-channel-peer` →
/// `agent:<id>:<channel>:<account>:direct:<peer>`); groups are `agent:<id>:<channel>:group:<groupId>`
/// (+ `:topic:<threadId>`).
enum ChannelSessionKey {
    static func make(agentId: String, channel: String, accountId: String, message: ChannelInboundMessage, dmScope: String?) -> String {
        let base = "agent:\(agentId)"
        if message.chatType == .group {
            var key = "\(base):\(channel):group:\((message.groupId ?? message.senderId).lowercased())"
            if let thread = message.threadId { key += ":topic:\(thread.lowercased())" }
            return key
        }
        let peer = message.senderId.lowercased()
        switch dmScope {
        case "per-peer": return "\(base):direct:\(peer)"
        case "per-channel-peer": return "\(base):\(channel):direct:\(peer)"
        case "per-account-channel-peer": return "\(base):\(channel):\(accountId.lowercased()):direct:\(peer)"
        default: return SessionKey.main(agent: agentId)
        }
    }
}

/// Outbound text through a running account: split to the chunk limit, sent in order, traffic stamped.
enum ChannelSender {
    /// - Returns: the last message id and how many chunks went out.
    static func send(_ text: String, to target: ChannelTarget, slot: ChannelManager.Slot) async throws(ChannelError) -> (messageId: String?, chunks: Int) {
        let span = slot.tracer.start(GatewaySpans.channelDelivery, kind: .producer)
        defer { span.end() }
        GatewaySpans.startDelivery(span, channel: slot.channel, accountId: slot.account.accountId)
        do throws(ChannelError) {
            guard let handle = slot.handle.withLock({ $0 }) else { throw .notConnected }
            let pieces = ChannelTextChunker.chunks(text, limit: slot.account.textChunkLimit ?? slot.plugin.capabilities.textChunkLimit)
            var last: String?
            for piece in pieces {
                let result = try await handle.sendText(piece, to: target)
                last = result.messageId ?? last
                slot.status.update { $0.lastOutboundAt = Int(Clock.nowMs) }
            }
            GatewaySpans.finishDelivery(span, chunks: pieces.count, error: nil)
            return (last, pieces.count)
        } catch {
            GatewaySpans.finishDelivery(span, chunks: nil, error: error)
            throw error
        }
    }
}
