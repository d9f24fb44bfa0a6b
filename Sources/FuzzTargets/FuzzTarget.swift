// Sources/FuzzTargets/FuzzTarget.swift - one parser under fuzz: its name, seeds, dictionary and invariants

/// A parser the fuzzers feed. `check` runs one input through the real code and throws `InvariantBreak`
/// when the parser answered something it must not (a round trip that changes the value, an error of the
/// wrong kind, two readers disagreeing); a trap or a hang is caught by `CrashGuard` around it.
///
/// The same value drives the seeded mutation runner (`gateway-stress fuzz`), the libFuzzer entry points
/// (`FuzzTesting/`) and the replay of saved crashers (`Tests/FuzzRegressionTests`).
public struct FuzzTarget: Sendable {
    /// The name on the command line and the fixture directory (`Tests/Fixtures/fuzz/<name>/`).
    public let name: String
    /// What it feeds, in a sentence (`gateway-stress fuzz --list`).
    public let summary: String
    /// Hand-picked inputs; the conformance cases add theirs through `SeedCorpus`.
    public let seeds: [[UInt8]]
    /// Tokens the mutator splices in: member names, method names, keywords.
    public let dictionary: [[UInt8]]
    /// Runs one input. Returns whether the parser accepted it (accepted inputs seed further mutations).
    public let check: @Sendable ([UInt8]) async throws(InvariantBreak) -> Bool

    public init(
        name: String, summary: String, seeds: [[UInt8]], dictionary: [[UInt8]],
        check: @escaping @Sendable ([UInt8]) async throws(InvariantBreak) -> Bool
    ) {
        self.name = name
        self.summary = summary
        self.seeds = seeds
        self.dictionary = dictionary
        self.check = check
    }

    /// Every target, in the order the runner takes them.
    public static let all: [FuzzTarget] = [.frame, .json, .params, .config, .httpBody]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A parser answered an input in a way it must never: the message says which rule broke and how.
public struct InvariantBreak: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// `text` as bytes, for seed lists.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Splits `input` at its first newline: the head picks a variant of the target (a method, a route), the rest
/// is the body. Inputs without a newline use variant 0 and the whole input as body.
func splitHead(_ input: [UInt8]) -> (head: ArraySlice<UInt8>, body: ArraySlice<UInt8>) {
    guard let newline = input.firstIndex(of: 0x0A) else { return ([], input[...]) }
    return (input[..<newline], input[(newline + 1)...])
}

/// FNV-1a: a hash that is the same in every process (Swift's `Hasher` is seeded per run), so a saved input
/// picks the same variant when it is replayed.
func stableHash(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x100_0000_01b3
    }
    return hash
}

/// The variant a head names: its exact name when it is one, else one picked by hash.
func variant<T>(_ head: ArraySlice<UInt8>, of choices: [T], name: (T) -> String) -> T {
    if let exact = choices.first(where: { Array(name($0).utf8)[...] == head }) { return exact }
    return choices[Int(stableHash(head) % UInt64(choices.count))]
}
