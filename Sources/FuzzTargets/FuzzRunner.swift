// Sources/FuzzTargets/FuzzRunner.swift - the seeded mutation runner: a time or input budget per target, stop on a failure

import Foundation

/// How long and from where one target is fuzzed.
public struct FuzzRunOptions: Sendable {
    /// The PRNG seed: the same seed, target and input count give the same inputs.
    public var seed: UInt64 = 1
    /// Stop after this many inputs (nil: no limit).
    public var iterations: Int?
    /// Stop after this much time (nil: no limit). With neither limit, 10,000 inputs.
    public var duration: Duration?
    /// One input running longer than this is a hang.
    public var inputBudget: Duration = .seconds(2)
    /// Save failures under `Tests/Fixtures/fuzz/<target>/`.
    public var save = true
    /// Install `CrashGuard`'s signal handlers and watchdog (process-wide: off inside a test process, where another
    /// test's crash is not a fuzz input's).
    public var guardCrashes = true

    public init() {}
}

/// What a run did.
public struct FuzzRunReport: Sendable {
    public var target: String
    public var inputs = 0
    public var accepted = 0
    public var startingInputs = 0
    public var poolSize = 0
    public var elapsed: Duration = .zero
    /// The invariant that broke, with where its input was saved; nil when the run passed.
    public var failure: String?

    public var inputsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(inputs) / seconds : 0
    }
}

public enum FuzzRunner {
    /// Runs every starting input (seeds, conformance frames, fixtures) once, then mutations of the pool
    /// until the budget is spent. Accepted inputs join the pool now and then (bounded), so later mutations
    /// start from deeper inside the grammar. A trap or hang ends the process through `CrashGuard`.
    public static func run(_ target: FuzzTarget, options: FuzzRunOptions) async -> FuzzRunReport {
        var report = FuzzRunReport(target: target.name)
        let starting = SeedCorpus.inputs(for: target)
        report.startingInputs = starting.count
        var pool = starting.isEmpty ? [[]] : starting
        let mutator = Mutator(dictionary: target.dictionary)
        var random = SeededGenerator(seed: options.seed ^ stableHash(target.name.utf8))
        let limit = options.iterations ?? (options.duration == nil ? 10_000 : Int.max)
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = options.duration.map { started + $0 }
        if options.guardCrashes { CrashGuard.arm(target: target.name, inputBudget: options.inputBudget, save: options.save) }

        while report.inputs < limit {
            if let deadline, report.inputs % 16 == 0, clock.now >= deadline { break }
            let input: [UInt8]
            if report.inputs < starting.count {
                input = starting[report.inputs]
            } else {
                let base = pool[Int.random(in: 0..<pool.count, using: &random)]
                let other = pool[Int.random(in: 0..<pool.count, using: &random)]
                input = mutator.mutate(base, other: other, using: &random)
            }
            report.inputs += 1
            // The guard's buffer is one per process: only a guarded run (one at a time) may use it.
            if options.guardCrashes { CrashGuard.begin(input) }
            do {
                if try await target.check(input) {
                    report.accepted += 1
                    if report.inputs > starting.count, pool.count < 4096, Int.random(in: 0..<8, using: &random) == 0 { pool.append(input) }
                }
                if options.guardCrashes { CrashGuard.end() }
            } catch {
                if options.guardCrashes { CrashGuard.end() }
                var failure = "input #\(report.inputs) (seed \(options.seed)) broke an invariant: \(error.description)"
                if options.save {
                    do {
                        failure += "; saved as \(try FuzzFixtures.save(input, target: target.name, kind: "invariant"))"
                    } catch {
                        failure += "; could not save it: \(error)"
                    }
                }
                report.failure = failure
                break
            }
        }
        report.elapsed = clock.now - started
        report.poolSize = pool.count
        return report
    }
}
