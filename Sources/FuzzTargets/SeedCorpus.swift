// Sources/FuzzTargets/SeedCorpus.swift - starting inputs: hand-picked seeds, the conformance cases' frames, saved fixtures

import Foundation
import ProtocolSupport

/// Where the package's files are: the conformance cases and the fuzz fixtures are read from the source tree
/// (this file's path at build time), or from `OPENCLAW_REPO_ROOT` when the binary runs elsewhere.
public enum RepositoryLayout {
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["OPENCLAW_REPO_ROOT"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // This file is Sources/FuzzTargets/SeedCorpus.swift.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public static var conformanceCases: URL { root.appendingPathComponent("Tests/Conformance/Cases") }
    public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures/fuzz") }
}

/// The inputs a run starts from, in a fixed order (so a seed reproduces a run).
public enum SeedCorpus {
    public static func inputs(for target: FuzzTarget) -> [[UInt8]] {
        var inputs = target.seeds
        switch target.name {
        case "frame", "json": inputs += conformanceFrames()
        case "params": inputs += conformanceParams()
        default: break
        }
        inputs += FuzzFixtures.all(for: target).map(\.bytes)
        return inputs
    }

    /// Every frame a conformance case sends (`send`, `sendText`, and its `connect` params as a connect frame).
    static func conformanceFrames() -> [[UInt8]] {
        steps().compactMap { kind, body in
            switch kind {
            case "send": return try? WireJSON.encode(body)
            case "sendText": return body.stringValue.map { Array($0.utf8) }
            case "connect":
                let frame: JSONValue = ["type": "req", "id": "c", "method": "connect", "params": body]
                return try? WireJSON.encode(frame)
            default: return nil
            }
        }
    }

    /// `<method>\n<params>` for every conformance request that has params.
    static func conformanceParams() -> [[UInt8]] {
        steps().compactMap { kind, body in
            guard kind == "send", let method = body["method"]?.stringValue, let params = body["params"],
                let text = try? WireJSON.encode(params)
            else { return nil }
            return Array((method + "\n").utf8) + text
        }
    }

    private static func steps() -> [(String, JSONValue)] {
        let directory = RepositoryLayout.conformanceCases
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var steps: [(String, JSONValue)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path),
                let document = try? JSONValue(parsing: data), let cases = document["cases"]?.arrayValue
            else { continue }
            for testCase in cases {
                for step in testCase["steps"]?.arrayValue ?? [] {
                    guard let members = step.objectValue else { continue }
                    for (kind, body) in members.sorted(by: { $0.key < $1.key }) { steps.append((kind, body)) }
                }
            }
        }
        return steps
    }
}
