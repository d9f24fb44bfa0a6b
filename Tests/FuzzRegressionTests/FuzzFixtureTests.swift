// Tests/FuzzRegressionTests/FuzzFixtureTests.swift - every saved fuzz failure, replayed on every `swift test`

import FuzzTargets
import Testing

/// Inputs that once trapped, hung or broke an invariant (`Tests/Fixtures/fuzz/<target>/`), run through their
/// target again: a regression traps this process or fails here, the way swift-protobuf replays its fuzz cases.
/// Each target's hand-picked and conformance seeds run too, and a short fixed-seed mutation run, so a target
/// that starts failing on ordinary input is caught without the fuzz command.
@Suite("Fuzz regressions")
struct FuzzFixtureTests {
    @Test(arguments: FuzzTarget.all.map(\.name))
    func savedInputsStillPass(_ name: String) async throws {
        let target = try #require(FuzzTarget.named(name))
        for fixture in FuzzFixtures.all(for: target) {
            do {
                _ = try await target.check(fixture.bytes)
            } catch {
                Issue.record("\(name)/\(fixture.name): \(error)")
            }
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func seedsAndAShortMutationRunPass(_ name: String) async throws {
        let target = try #require(FuzzTarget.named(name))
        var options = FuzzRunOptions()
        options.seed = 16
        options.iterations = SeedCorpus.inputs(for: target).count + 300
        options.save = false
        options.guardCrashes = false
        let report = await FuzzRunner.run(target, options: options)
        #expect(report.failure == nil, "\(report.failure ?? "")")
        #expect(report.inputs == options.iterations)
    }

    /// The mutator is deterministic: a seed reproduces a failure's input on any machine.
    @Test func mutationsAreReproducible() {
        let mutator = Mutator(dictionary: [Array("\"id\":".utf8)])
        let input = Array(#"{"type":"req","id":"1","method":"health","params":{"probe":true}}"#.utf8)
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        let a = (0..<50).map { _ in mutator.mutate(input, other: input, using: &first) }
        let b = (0..<50).map { _ in mutator.mutate(input, other: input, using: &second) }
        #expect(a == b)
        #expect(Set(a).count > 40)
    }
}
