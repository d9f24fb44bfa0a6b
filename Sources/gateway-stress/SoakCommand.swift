// Sources/gateway-stress/SoakCommand.swift - `gateway-stress soak`: N clients × M minutes, RSS and fds over time

import ArgumentParser
import Foundation

/// Starts a gateway process with the fake model, holds `--clients` clients making mixed calls for `--minutes`,
/// prints the gateway's RSS and descriptor count every `--sample-seconds`, and fails when `SoakRule` breaks or
/// any call fails.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Hold N clients making mixed calls against a gateway process for M minutes; fail on RSS/fd growth.",
        discussion: """
            Calls: health, status, sessions.list, system-presence, config.get, chat.history, logs.tail, chat.send + \
            agent.wait and two-phase agent runs against a fake model, every client receiving the broadcast events; \
            with --churn, clients disconnect and connect again. Rule: \
            \(SoakRule(rssGrowthPercent: 25, rssSlackMiB: 32, fdSlack: 16).text) (defaults).
            """
    )

    @Option(help: "Concurrent clients.")
    var clients = 50

    @Option(help: "Minutes of load.")
    var minutes = 1.0

    @Option(help: "Seconds between two RSS/fd samples.")
    var sampleSeconds = 10.0

    @Option(help: "Seconds of warm-up before the baseline sample (default: a fifth of the run, at most 60).")
    var warmupSeconds: Double?

    @Option(name: .customLong("interval-ms"), help: "Mean pause between two calls of one client.")
    var intervalMs = 2000

    @Option(help: "Chance per call that a client disconnects and connects again.")
    var churn = 0.02

    @Flag(help: "Connect as presence-tracked backends (each connect broadcasts the whole presence list) instead of signed CLI devices.")
    var tracked = false

    @Option(help: "Allowed RSS growth after warm-up, in percent (plus --rss-slack-mib).")
    var rssGrowthPercent = 25.0

    @Option(name: .customLong("rss-slack-mib"), help: "Allowed RSS growth after warm-up, in MiB (plus --rss-growth-percent).")
    var rssSlackMiB = 32.0

    @Option(help: "Allowed descriptor growth (under load after warm-up, and after the clients left).")
    var fdSlack = 16

    @Option(help: "The openclaw executable (default: next to this binary).")
    var openclaw: String?

    func run() async throws {
        ChildRegistry.shared.handleSignals()
        let executable = try StressPaths.openclaw(openclaw)
        let rule = SoakRule(rssGrowthPercent: rssGrowthPercent, rssSlackMiB: rssSlackMiB, fdSlack: fdSlack)
        let upstream = await StressUpstream.start()
        let stateDir = try StressPaths.stateDir("soak")
        try Data(upstream.gatewayConfig().utf8).write(to: URL(fileURLWithPath: stateDir + "/openclaw.json"))
        let gateway = try await SpawnedGateway.launch(
            executable: executable, stateDir: stateDir, port: try StressPaths.unusedPort(), token: StressPaths.randomToken())
        var passed = false
        defer {
            ChildRegistry.shared.killAll()
            if passed { try? FileManager.default.removeItem(atPath: stateDir) } else { StressLog.say("state and gateway.log kept in \(stateDir)") }
        }
        do {
            passed = try await soak(gateway, rule: rule)
        } catch {
            StressLog.say("\(error)")
            StressLog.say("last gateway output:\n\(gateway.logTail())")
            await gateway.stop()
            await upstream.stop()
            throw ExitCode(1)
        }
        await gateway.stop()
        await upstream.stop()
        if !passed { throw ExitCode(1) }
    }

    private func soak(_ gateway: SpawnedGateway, rule: SoakRule) async throws -> Bool {
        let monitor = try await gateway.connect()
        StressLog.say("gateway pid \(gateway.pid) on \(gateway.url), state in \(gateway.stateDir)")
        guard let idleFigures = gateway.resources() else { throw StressError("cannot read /proc/\(gateway.pid)") }
        let idle = ResourceSample(seconds: 0, rssKiB: idleFigures.rssKiB, fds: idleFigures.fds, clients: 0)
        StressLog.out("soak: \(clients) clients × \(format(minutes)) min, sample every \(format(sampleSeconds)) s; rule: \(rule.text)")
        StressLog.out("soak: idle   rss \(format(idle.rssMiB)) MiB, fds \(idle.fds)")

        let counters = SoakCounters()
        let duration = Duration.milliseconds(Int(minutes * 60_000))
        let warmup = warmupSeconds ?? min(60, minutes * 60 / 5)
        let started = ContinuousClock.now
        let deadline = started + duration
        var samples: [ResourceSample] = []
        var warm: ResourceSample?
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<clients {
                let client = SoakClient(
                    index: index, gateway: gateway, counters: counters, interval: .milliseconds(intervalMs), churn: churn, tracked: tracked
                )
                group.addTask { await client.run(until: deadline) }
                // A connect storm is not the point: ramp up over the first seconds.
                if index % 25 == 24 { try await Task.sleep(for: .milliseconds(100)) }
            }
            var next = started + .milliseconds(Int(sampleSeconds * 1000))
            while next <= deadline {
                try await Task.sleep(until: next)
                guard gateway.isRunning, let figures = gateway.resources() else { throw StressError("the gateway died during the soak:\n\(gateway.logTail())") }
                let elapsed = Double((ContinuousClock.now - started).components.seconds)
                let sample = ResourceSample(seconds: elapsed, rssKiB: figures.rssKiB, fds: figures.fds, clients: counters.connected.load(ordering: .relaxed))
                let phase: String
                if warm == nil, elapsed >= warmup {
                    warm = sample
                    phase = " (baseline after warm-up)"
                } else {
                    phase = warm == nil ? " (warm-up)" : ""
                    if warm != nil { samples.append(sample) }
                }
                StressLog.out(
                    "soak: t=\(Int(elapsed))s clients \(sample.clients) calls \(counters.calls.load(ordering: .relaxed)) runs \(counters.runs.load(ordering: .relaxed)) "
                        + "events \(counters.events.load(ordering: .relaxed)) failures \(counters.failures.withLock { $0.count }) "
                        + "rss \(format(sample.rssMiB)) MiB fds \(sample.fds)\(phase)"
                )
                next = next + .milliseconds(Int(sampleSeconds * 1000))
            }
            try await group.waitForAll()
        }
        await monitor.close()
        let after = await settledFigures(gateway, idleFds: idle.fds, slack: rule.fdSlack)
        StressLog.out("soak: after  rss \(format(after.rssMiB)) MiB, fds \(after.fds) (all clients closed)")
        guard let warm else { throw StressError("the run ended before warm-up (\(warmup) s); raise --minutes or lower --warmup-seconds") }
        let failures = counters.failures.withLock { $0 }
        var problems = rule.violations(idle: idle, warm: warm, loaded: samples, after: after)
        if !failures.isEmpty { problems.append("\(failures.count) calls failed; first: \(failures.prefix(5).joined(separator: " | "))") }
        let calls = counters.calls.load(ordering: .relaxed)
        StressLog.out(
            "soak: \(format(minutes)) min, \(clients) clients held, \(calls) calls, \(counters.runs.load(ordering: .relaxed)) runs, "
                + "\(counters.events.load(ordering: .relaxed)) events received, \(counters.reconnects.load(ordering: .relaxed)) reconnects; "
                + "rss idle \(format(idle.rssMiB)) → warm \(format(warm.rssMiB)) → end \(format(samples.last?.rssMiB ?? warm.rssMiB)) → after \(format(after.rssMiB)) MiB; "
                + "fds idle \(idle.fds) → warm \(warm.fds) → max \(samples.map(\.fds).max() ?? warm.fds) → after \(after.fds)"
        )
        for problem in problems { StressLog.out("soak: FAILED: \(problem)") }
        if problems.isEmpty { StressLog.out("soak: ok") }
        return problems.isEmpty
    }

    /// The figures once the descriptors are back near idle, or after 15 s (closing sockets takes a moment).
    private func settledFigures(_ gateway: SpawnedGateway, idleFds: Int, slack: Int) async -> ResourceSample {
        let deadline = ContinuousClock.now + .seconds(15)
        var figures = gateway.resources() ?? (0, 0)
        while figures.fds > idleFds + slack, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
            figures = gateway.resources() ?? figures
        }
        return ResourceSample(seconds: 0, rssKiB: figures.rssKiB, fds: figures.fds, clients: 0)
    }
}
