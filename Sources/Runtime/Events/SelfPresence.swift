// Sources/Runtime/Events/SelfPresence.swift - the gateway's own presence entry

import Generated

/// The one presence entry for the gateway host, as upstream keeps it: UIs always show at least the gateway.
/// It is never pruned by age or count; its `ts` is the time of each listing.
enum SelfPresence {
    static func entry(version: String, now: Int) -> PresenceEntry {
        let host = HostFacts.hostname
        let ip = HostFacts.primaryLANIPv4 ?? host
        return PresenceEntry(
            host: host, ip: ip, version: version, platform: HostFacts.platform, deviceFamily: HostFacts.deviceFamily,
            modelIdentifier: HostFacts.architecture, mode: "gateway", reason: "self",
            text: "Gateway: \(host) (\(ip)) · app \(version) · mode gateway · reason self", ts: now
        )
    }
}
