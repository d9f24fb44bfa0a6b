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
    /// (key `send:<k>`; a retry gets the first answer, or the first answer's error).
    func send(_ params: SendParams, context: MethodContext) async throws -> Payload<SendResult> {
        let manager = try hub.channels
        let runtime = try hub.agents
        let key = "send:" + params.idempotencyKey
        let now = Int(Clock.nowMs)
        if let cached = runtime.dedupe.lookup(key, now: now) { return try await replay(cached, key: key, runtime: runtime) }
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
        let first = try Payload(JSONValue.object(["runId": .string(params.idempotencyKey)])).erased
        if let cached = runtime.dedupe.claim(key, first: first, now: now) { return try await replay(cached, key: key, runtime: runtime) }
        do {
            let sent = try await ChannelSender.send(message, to: target, slot: slot)
            let result = SendResult(
                runId: params.idempotencyKey, messageId: sent.messageId ?? "unknown", channel: channelId, accountId: accountId, chunks: sent.chunks
            )
            let payload = try Payload(result)
            runtime.dedupe.finish(key, ok: true, payload: payload.erased, error: nil, now: Int(Clock.nowMs))
            return payload
        } catch let error as ChannelError {
            let failure = GatewayError(.unavailable, "send failed: \(error.message)")
            runtime.dedupe.finish(key, ok: false, payload: nil, error: failure.shape, now: Int(Clock.nowMs))
            throw failure
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

    /// A retry with a known key: wait for the first attempt if it is still sending, then answer as it did.
    private func replay(_ state: DedupeCache.State, key: String, runtime: AgentRuntime) async throws -> Payload<SendResult> {
        var state = state
        while case .running = state {
            try await Task.sleep(for: .milliseconds(20))
            guard let next = runtime.dedupe.lookup(key, now: Int(Clock.nowMs)) else { throw GatewayError(.unavailable, "send retry: first attempt vanished") }
            state = next
        }
        guard case .done(let ok, let payload, let error) = state else { throw GatewayError(.unavailable, "send retry failed") }
        if ok, let payload { return try Payload(WireJSON.decode(SendResult.self, from: Data(payload.bytes))) }
        throw GatewayError(error?.code ?? .unavailable, error?.message ?? "send failed")
    }
}
