// Sources/gateway-stress/ChaosCommand.swift - `gateway-stress chaos`: kill -9 mid-write, restart, find every acknowledged write

import ArgumentParser
import Foundation
import Runtime

/// K rounds on one state directory: start the gateway, check everything acknowledged so far, put runs, pairing
/// approvals and config writes in flight, SIGKILL the gateway at a random moment, repeat; then one last restart
/// and check. Fails on any lost acknowledged message or pairing, a config file that is invalid or holds another
/// value than the last acknowledged write (or the one in flight), or a gateway that does not come back.
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Kill -9 the gateway during runs, pairings and config writes; check every acknowledged write survives."
    )

    @Option(help: "Kill/restart rounds.")
    var rounds = 5

    @Option(help: "Concurrent chat.send/agent writers per round.")
    var writers = 4

    @Option(name: .customLong("min-load-ms"), help: "Shortest load before the kill.")
    var minLoadMs = 300

    @Option(name: .customLong("max-load-ms"), help: "Longest load before the kill.")
    var maxLoadMs = 1500

    @Option(help: "The openclaw executable (default: next to this binary).")
    var openclaw: String?

    func run() async throws {
        ChildRegistry.shared.handleSignals()
        let executable = try StressPaths.openclaw(openclaw)
        // Replies take ~100 ms, so runs are streaming when the kill lands.
        let upstream = await StressUpstream.start(pause: .milliseconds(25))
        let stateDir = try StressPaths.stateDir("chaos")
        let initial = "chaos-initial"
        try Data(upstream.gatewayConfig(systemPrompt: initial).utf8).write(to: URL(fileURLWithPath: stateDir + "/openclaw.json"))
        let ledger = ChaosLedger(initialSystemPrompt: initial)
        let token = StressPaths.randomToken()
        StressLog.out("chaos: \(rounds) rounds, \(writers) writers, kill after \(minLoadMs)–\(maxLoadMs) ms of load; state in \(stateDir)")
        var passed = false
        defer {
            ChildRegistry.shared.killAll()
            if passed { try? FileManager.default.removeItem(atPath: stateDir) } else { StressLog.say("state and gateway.log kept in \(stateDir)") }
        }
        var problems: [String] = []
        var lastFindings = ChaosVerifier.Findings()
        do {
            for round in 1...(rounds + 1) {
                let gateway = try await SpawnedGateway.launch(executable: executable, stateDir: stateDir, port: try StressPaths.unusedPort(), token: token)
                let started = ContinuousClock.now
                let client: GatewayClient
                do {
                    client = try await gateway.connect()
                } catch {
                    await gateway.killHard()
                    throw StressError("round \(round): the gateway did not come back after the kill: \(error)\n\(gateway.logTail())")
                }
                let findings = try await ChaosVerifier(gateway: gateway, ledger: ledger).verify(client: client)
                await client.close()
                lastFindings = findings
                problems += findings.problems.map { "after kill \(round - 1): \($0)" }
                let restart = ContinuousClock.now - started
                let counts = "\(findings.messagesKept) messages, \(findings.pairingsKept) pairings, config \(findings.configProblems.isEmpty ? "ok" : "BAD")"
                guard round <= rounds else {
                    StressLog.out("chaos: final restart in \(restart.formatted(.units(allowed: [.milliseconds]))): kept \(counts)")
                    await gateway.stop()
                    break
                }
                let load = ChaosLoad(gateway: gateway, ledger: ledger, round: round)
                let loadTime = Duration.milliseconds(Int.random(in: minLoadMs...max(minLoadMs, maxLoadMs)))
                let before = (ledger.messages.withLock { $0.count }, ledger.pairings.withLock { $0.count }, ledger.config.withLock { $0.writes })
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers { group.addTask { await load.messages(writer: writer) } }
                    group.addTask { await load.pairings() }
                    group.addTask { await load.configWrites() }
                    group.addTask {
                        try? await Task.sleep(for: loadTime)
                        await gateway.killHard()
                    }
                }
                let after = (ledger.messages.withLock { $0.count }, ledger.pairings.withLock { $0.count }, ledger.config.withLock { $0.writes })
                StressLog.out(
                    "chaos: round \(round): restart \(restart.formatted(.units(allowed: [.milliseconds]))), verified \(counts); "
                        + "killed after \(loadTime.formatted(.units(allowed: [.milliseconds]))) with \(after.0 - before.0) messages, "
                        + "\(after.1 - before.1) pairings, \(after.2 - before.2) config writes acknowledged"
                )
            }
        } catch {
            StressLog.say("\(error)")
            await upstream.stop()
            throw ExitCode(1)
        }
        await upstream.stop()
        let config = ledger.config.withLock { $0 }
        StressLog.out(
            "chaos: \(rounds) kills; acknowledged and kept: \(lastFindings.messagesKept) of \(ledger.messages.withLock { $0.count }) messages, "
                + "\(lastFindings.pairingsKept) of \(ledger.pairings.withLock { $0.count }) pairings "
                + "(\(ledger.pairings.withLock { $0.filter(\.byOperator).count }) operator approvals), "
                + "\(config.writes) config writes (the last acknowledged one in the file after every kill: \(problems.contains { $0.contains("config") } ? "no" : "yes"))"
        )
        for problem in problems.prefix(50) { StressLog.out("chaos: FAILED: \(problem)") }
        if problems.isEmpty { StressLog.out("chaos: ok") }
        passed = problems.isEmpty
        if !passed { throw ExitCode(1) }
    }
}
