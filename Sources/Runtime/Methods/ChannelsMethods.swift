// Sources/Runtime/Methods/ChannelsMethods.swift - channels.status, channels.logout, send

import Foundation
import Generated
import ProtocolSupport

extension SystemMethods {
    func channelsStatus(_ params: ChannelsStatusParams, context: MethodContext) async throws -> Payload<ChannelsStatusResult> {
        let manager = try hub.channels
        let timeout = Duration.milliseconds(params.timeoutMs ?? 10_000)
        return try Payload(await manager.statusResult(probe: params.probe == true, timeout: timeout))
    }

    func channelsLogout(_ params: ChannelsLogoutParams, context: MethodContext) async throws -> Payload<ChannelsLogoutResult> {
        let manager = try hub.channels
        guard let plugin = manager.plugin(params.channel) else { throw GatewayError.invalidRequest("unknown channel: \(params.channel)") }
        let view = manager.view(plugin.meta.id)
        let accountId = params.accountId ?? view.defaultAccountId
        guard plugin.listAccountIds(view).contains(accountId) else {
            throw GatewayError.invalidRequest("unknown account \(accountId) for channel \(plugin.meta.id)")
        }
        await manager.stopAccount(channel: plugin.meta.id, accountId: accountId)
        let account = plugin.resolveAccount(view, accountId: accountId)
        let cleared = try await plugin.logout(account, stateDir: hub.settings.paths.stateDir)
        return try Payload(ChannelsLogoutResult(channel: plugin.meta.id, accountId: accountId, cleared: cleared))
    }

    /// Upstream's `send`: one text to `to` through a channel account, deduplicated by `idempotencyKey`
    /// (spec `idempotency:`, key `send:<k>`; the dispatcher gives a retry the first answer, or its error).
    func send(_ params: SendParams, context: MethodContext) async throws -> Payload<SendResult> {
        let manager = try hub.channels
        let message = params.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !message.isEmpty else { throw GatewayError.invalidRequest("invalid send params: message must not be empty") }
        if params.mediaUrl != nil || !(params.mediaUrls ?? []).isEmpty || params.buffer != nil {
            throw GatewayError.invalidRequest("invalid send params: media is not supported yet")
        }
        let channelId = try resolveSendChannel(params.channel, manager: manager)
        guard let plugin = manager.plugin(channelId) else { throw GatewayError.invalidRequest("unsupported channel: \(channelId)") }
        let accountId = params.accountId ?? manager.view(channelId).defaultAccountId
        guard let slot = manager.slot(channel: channelId, accountId: accountId) else {
            throw GatewayError.invalidRequest("unknown account \(accountId) for channel \(channelId)")
        }
        var target: ChannelTarget
        do {
            target = try plugin.resolveTarget(params.to, account: slot.account)
        } catch {
            throw GatewayError.invalidRequest("invalid send target: \(error.message)")
        }
        if let thread = params.threadId { target.threadId = thread }
        try context.claimIdempotencyKey()
        do {
            let sent = try await ChannelSender.send(message, to: target, slot: slot)
            return try Payload(
                SendResult(
                    runId: params.idempotencyKey, messageId: sent.messageId ?? "unknown", channel: channelId, accountId: accountId, chunks: sent.chunks
                )
            )
        } catch let error as ChannelError {
            throw GatewayError(.unavailable, "send failed: \(error.message)")
        }
    }

    /// The channel named, else the only channel with a running account. `webchat` is refused as upstream does.
    private func resolveSendChannel(_ requested: String?, manager: ChannelManager) throws -> String {
        if let requested = requested?.trimmingCharacters(in: .whitespaces).lowercased(), !requested.isEmpty {
            if requested == ChannelManager.webchat.id {
                throw GatewayError.invalidRequest("unsupported channel: webchat (internal-only; use chat.send for WebChat)")
            }
            return requested
        }
        let running = manager.plugins.map(\.meta.id).filter { id in manager.slots(channel: id).contains { $0.status.current.running } }
        guard running.count == 1, let only = running.first else {
            throw GatewayError.invalidRequest(running.isEmpty ? "no channel is running; pass channel" : "channel is required when more than one channel runs")
        }
        return only
    }
}
