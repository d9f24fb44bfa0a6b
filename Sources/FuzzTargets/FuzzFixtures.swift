// Sources/FuzzTargets/FuzzFixtures.swift - crashers, hangs and invariant breaks kept as regression inputs

import Foundation

/// One saved input: `Tests/Fixtures/fuzz/<target>/<kind>-<hash>` (kind: `crash`, `hang`, `invariant`,
/// or any name a person gives a hand-written one). Every `swift test` replays them all
/// (`FuzzRegressionTests`), and every fuzz run starts from them, as swift-protobuf keeps its fuzz failures.
public struct FuzzFixture: Sendable {
    public let target: String
    public let name: String
    public let bytes: [UInt8]
}

public enum FuzzFixtures {
    /// The fixtures of `target`, sorted by name; files starting with `.` or ending in `.md` are not inputs.
    public static func all(for target: FuzzTarget) -> [FuzzFixture] {
        let directory = RepositoryLayout.fixtures.appendingPathComponent(target.name)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: directory.appendingPathComponent(name).path).map {
                FuzzFixture(target: target.name, name: name, bytes: Array($0))
            }
        }
    }

    /// Saves `bytes` as `<kind>-<hash>` and returns its path.
    @discardableResult
    public static func save(_ bytes: [UInt8], target: String, kind: String) throws -> String {
        let directory = RepositoryLayout.fixtures.appendingPathComponent(target)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(fileName(bytes, kind: kind))
        try Data(bytes).write(to: url)
        return url.path
    }

    /// `<kind>-<16 hex digits of FNV-1a>`: the same input always gets the same name.
    public static func fileName(_ bytes: [UInt8], kind: String) -> String {
        let hex = String(stableHash(bytes), radix: 16)
        return "\(kind)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
