// Sources/Runtime/Automation/Heartbeat/HeartbeatTarget.swift - where a heartbeat alert goes, and what it may show

import Foundation
import Generated
import ProtocolSupport

/// Upstream's `outbound/targets.ts` in heartbeat mode: `none`, else an `OutboundTarget` (`last` or a channel id).
enum HeartbeatTarget {
    enum Resolution: Sendable {
        case none(reason: String)
        case channel(channel: String, to: String, accountId: String?)
    }

    static func resolve(_ policy: HeartbeatPolicy, entry: SessionEntry?) -> Resolution {
        if policy.target == "none" { return .none(reason: "target-none") }
        guard let target = OutboundTarget(channel: policy.target, to: policy.to, accountId: policy.accountId, lastRouteOf: entry) else {
            return .none(reason: "no-target")
        }
        return .channel(channel: target.channel, to: target.to, accountId: target.accountId)
    }

    /// `channels.defaults.heartbeat`, then `channels.<id>.heartbeat`, then `channels.<id>.accounts.<acc>.heartbeat`.
    /// `tree` is the config file as written (channel sections are open objects).
    static func visibility(tree: JSONValue, channel: String?, accountId: String?) -> (showOk: Bool, showAlerts: Bool, useIndicator: Bool) {
        var showOk = false
        var showAlerts = true
        var useIndicator = true
        var layers: [JSONValue?] = [tree["channels"]?["defaults"]?["heartbeat"]]
        if let channel {
            let section = tree["channels"]?[channel]
            layers.append(section?["heartbeat"])
            let account = accountId ?? ChannelConfigView(section: section).defaultAccountId
            layers.append(section?["accounts"]?[account]?["heartbeat"])
        }
        for layer in layers {
            guard let layer, layer != .null, let flags = try? WireJSON.decode(HeartbeatVisibility.self, from: WireJSON.encode(layer)) else { continue }
            showOk = flags.showOk ?? showOk
            showAlerts = flags.showAlerts ?? showAlerts
            useIndicator = flags.useIndicator ?? useIndicator
        }
        return (showOk, showAlerts, useIndicator)
    }
}
