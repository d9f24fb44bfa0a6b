// Sources/Runtime/HTTP/Hooks/HookDelivery.swift - sending a hook run's reply to a channel

import ProtocolSupport

/// Upstream's `deliver` / `channel` / `to` / `accountId` on `POST /hooks/agent`, read with the
/// direct `/agent` rules; the sending itself is `ReplyDelivery`'s.
enum HookDelivery {
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
        let channel = HookFields.text(body["channel"])?.lowercased()
        let to = HookFields.text(body["to"])
        if channel == "last" { throw .invalid("channel \"last\" is not supported by /agent: pass channel and to") }
        guard let channel, let to else {
            if channel != nil || to != nil { throw .invalid("channel and to go together: pass both, or neither") }
            return nil
        }
        if channel == ChannelManager.webchat.id { throw .invalid("unsupported channel: webchat (internal-only)") }
        guard body["deliver"]?.boolValue ?? true else { return nil }
        return Destination(channel: channel, to: to, accountId: HookFields.text(body["accountId"]))
    }

    /// The running account and target for `destination`: 400 for what the request got wrong, 503
    /// when the channels are not running.
    static func resolve(_ destination: Destination, hub: GatewayHub) throws(HookError) -> ReplyDelivery {
        do {
            return try ReplyDelivery.resolve(channel: destination.channel, to: destination.to, accountId: destination.accountId, hub: hub)
        } catch {
            switch error {
            case .invalid(let message): throw .invalid(message)
            case .unavailable(let message): throw HookError(status: .serviceUnavailable, message: "gateway_unavailable: \(message)")
            }
        }
    }
}
