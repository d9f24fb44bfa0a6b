// Sources/gateway-stress/ResourceSample.swift - RSS and fds of the gateway over a soak, and the rule they must keep

/// One reading of the gateway's `/proc` figures.
struct ResourceSample: Sendable {
    var seconds: Double
    var rssKiB: Int
    var fds: Int
    var clients: Int

    var rssMiB: Double { Double(rssKiB) / 1024 }
}

/// The soak's pass rule, stated once (also printed and in docs/reliability.md):
/// - memory: the RSS at the end of the load (median of the last three samples) may exceed the RSS at the end of
///   warm-up by at most `rssGrowthPercent` % plus `rssSlackMiB` MiB;
/// - descriptors under load: no sample after warm-up may exceed the warm-up sample by more than `fdSlack`
///   (with the same number of clients connected, a leak shows as a climb);
/// - descriptors after the load: within 15 s of the last client closing, the count returns to at most the idle
///   count (before any load client connected) plus `fdSlack`.
struct SoakRule: Sendable {
    var rssGrowthPercent: Double
    var rssSlackMiB: Double
    var fdSlack: Int

    var text: String {
        "RSS at the end ≤ RSS after warm-up × \(1 + rssGrowthPercent / 100) + \(Int(rssSlackMiB)) MiB; "
            + "fds under load ≤ fds after warm-up + \(fdSlack); fds after the clients left ≤ idle fds + \(fdSlack)"
    }

    /// The broken parts of the rule, empty when it held.
    func violations(idle: ResourceSample, warm: ResourceSample, loaded: [ResourceSample], after: ResourceSample) -> [String] {
        var problems: [String] = []
        let tail = loaded.suffix(3).map(\.rssKiB).sorted()
        if !tail.isEmpty {
            let end = Double(tail[tail.count / 2]) / 1024
            let limit = warm.rssMiB * (1 + rssGrowthPercent / 100) + rssSlackMiB
            if end > limit { problems.append("RSS grew from \(format(warm.rssMiB)) MiB after warm-up to \(format(end)) MiB (limit \(format(limit)) MiB)") }
        }
        if let worst = loaded.max(by: { $0.fds < $1.fds }), worst.fds > warm.fds + fdSlack {
            problems.append("fds climbed from \(warm.fds) after warm-up to \(worst.fds) at \(Int(worst.seconds)) s (limit \(warm.fds + fdSlack))")
        }
        if after.fds > idle.fds + fdSlack {
            problems.append("fds did not return after the clients left: \(after.fds), idle was \(idle.fds) (limit \(idle.fds + fdSlack))")
        }
        return problems
    }
}

func format(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return String(scaled)
}
