// Sources/gateway-stress/FuzzCommand.swift - `gateway-stress fuzz`: the seeded mutation runner over every target

import ArgumentParser
import FuzzTargets

/// Runs each target (or one) for a time or input budget and fails on a trap, a hang or a broken invariant.
/// Failures are saved as fixtures under `Tests/Fixtures/fuzz/<target>/`, which `swift test` replays.
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Seeded mutation fuzzing of the frame, JSON, params, config and HTTP body parsers.",
        discussion: """
            Deterministic: the same --seed and --iterations give the same inputs. A trap or a hang kills the run and \
            saves the input as crash-<hash> or hang-<hash>; a broken invariant saves invariant-<hash>. Keep those files: \
            FuzzRegressionTests replays them on every swift test.
            """
    )

    @Option(help: "One target (\(FuzzTarget.all.map(\.name).joined(separator: ", "))); all when omitted.")
    var target: String?

    @Option(help: "Seconds per target.")
    var seconds: Double?

    @Option(help: "Inputs per target (default 10000 when --seconds is not given).")
    var iterations: Int?

    @Option(help: "PRNG seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("input-timeout-ms"), help: "An input running longer than this is a hang.")
    var inputTimeoutMs = 2000

    @Flag(help: "Do not write failing inputs to Tests/Fixtures/fuzz.")
    var noSave = false

    @Flag(help: "List the targets and exit.")
    var list = false

    func run() async throws {
        if list {
            for target in FuzzTarget.all { StressLog.out("\(target.name): \(target.summary)") }
            return
        }
        let targets: [FuzzTarget]
        if let name = target {
            guard let found = FuzzTarget.named(name) else {
                throw ValidationError("unknown target \(name); known: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
            }
            targets = [found]
        } else {
            targets = FuzzTarget.all
        }
        var options = FuzzRunOptions()
        options.seed = seed
        options.iterations = iterations
        options.duration = seconds.map { .milliseconds(Int($0 * 1000)) }
        options.inputBudget = .milliseconds(inputTimeoutMs)
        options.save = !noSave
        var failed = 0
        var total = 0
        for target in targets {
            let report = await FuzzRunner.run(target, options: options)
            total += report.inputs
            let rate = Int(report.inputsPerSecond)
            StressLog.out(
                "fuzz \(target.name): \(report.inputs) inputs (\(report.startingInputs) starting, \(report.accepted) accepted, pool \(report.poolSize)) "
                    + "in \(report.elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))), \(rate)/s: "
                    + (report.failure == nil ? "ok" : "FAILED")
            )
            if let failure = report.failure {
                StressLog.out("  \(failure)")
                failed += 1
            }
        }
        StressLog.out("fuzz: \(total) inputs, \(failed) of \(targets.count) targets failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
