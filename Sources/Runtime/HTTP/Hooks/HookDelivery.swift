// Sources/Runtime/HTTP/Hooks/HookDelivery.swift - sending a hook run's reply to a channel

import Logging
import ProtocolSupport

/// Upstream's `deliver` / `channel` / `to` / `accountId` on `POST /hooks/agent`: the reply of the run
/// goes to that chat through that channel account. The destination is resolved before the run is
/// admitted, so a bad channel, account or target is a 400 and never a silent loss.
struct HookDelivery: Sendable {
    /// What `completion` reports: `deliveryAttempted`, `delivered`, `deliveryError`.
    struct Report: Sendable {
        var attempted: Bool
        var delivered: Bool
    }

    let slot: ChannelManager.Slot
    let target: ChannelTarget

    /// `channel` + `to` (+ `accountId`) as the request names them.
    struct Destination: Sendable {
        var channel: String
        var to: String
        var accountId: String?
    }

    /// Reads the destination fields; nil when there is nothing to deliver to (or `deliver: false`).
    /// `channel: "last"` and a channel without `to` (or the reverse) are refused as upstream's direct
    /// `/agent` does.
    static func destination(_ body: JSONValue) throws(HookError) -> Destination? {
        let field = { (name: String) -> String? in
            guard let text = body[name]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        let channel = field("channel")?.lowercased()
        let to = field("to")
        if channel == "last" { throw .invalid("channel \"last\" is not supported by /agent: pass channel and to") }
        guard let channel, let to else {
            if channel != nil || to != nil { throw .invalid("channel and to go together: pass both, or neither") }
            return nil
        }
        if channel == ChannelManager.webchat.id { throw .invalid("unsupported channel: webchat (internal-only)") }
        guard body["deliver"]?.boolValue ?? true else { return nil }
        return Destination(channel: channel, to: to, accountId: field("accountId"))
    }

    /// The running account and the plugin's target for `destination`.
    static func resolve(_ destination: Destination, hub: GatewayHub) throws(HookError) -> HookDelivery {
        let manager: ChannelManager
        do {
            manager = try hub.channels
        } catch {
            throw HookError(status: .serviceUnavailable, message: "gateway_unavailable: channels are not running")
        }
        let channel = destination.channel
        guard let plugin = manager.plugin(channel) else { throw .invalid("unsupported channel: \(channel)") }
        let accountId = destination.accountId ?? manager.view(channel).defaultAccountId
        guard let slot = manager.slot(channel: channel, accountId: accountId) else {
            throw .invalid("unknown account \(accountId) for channel \(channel)")
        }
        do {
            return HookDelivery(slot: slot, target: try plugin.resolveTarget(destination.to, account: slot.account))
        } catch {
            throw .invalid("invalid to for \(channel): \(error.message)")
        }
    }

    /// Sends a successful run's non-empty reply; failures are logged and reported, never thrown.
    func deliver(_ outcome: RunOutcome?, runId: String, logger: Logger) async -> Report {
        let text = outcome?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard outcome?.status == .ok, !text.isEmpty else { return Report(attempted: false, delivered: false) }
        do {
            _ = try await ChannelSender.send(text, to: target, slot: slot)
            logger.info("[hooks] run \(runId) reply delivered to \(slot.channel)/\(slot.account.accountId) \(target.peerId)")
            return Report(attempted: true, delivered: true)
        } catch {
            logger.warning("[hooks] run \(runId) reply to \(slot.channel)/\(slot.account.accountId) \(target.peerId) failed: \(error.message)")
            return Report(attempted: true, delivered: false)
        }
    }
}
