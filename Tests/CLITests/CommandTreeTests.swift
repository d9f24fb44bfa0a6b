// Tests/CLITests/CommandTreeTests.swift - the binary's command tree is the spec's (spec/cli/*.yaml)

import Foundation
import Generated
import Runtime
import Testing

@Suite("CLI command tree")
struct CommandTreeTests {
    /// Walks `openclaw [words] --help` from the root and collects every subcommand path; it must be exactly the
    /// spec's `CLICommandTree.paths`, so a command added by hand (and missing from docs/cli.md) fails here.
    @Test func theHelpTreeMatchesTheSpec() async throws {
        var found: Set<[String]> = []
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            let help = try #require(await ProgramRun.run(OpenClawProcess.binary.path, path + ["--help"], includeErrors: true))
            #expect(help.status == 0, "openclaw \(path.joined(separator: " ")) --help: \(help.output)")
            for name in Self.subcommands(in: help.output) {
                let child = path + [name]
                if found.insert(child).inserted { pending.append(child) }
            }
        }
        let declared = Set(CLICommandTree.paths)
        #expect(
            found.subtracting(declared).isEmpty,
            "commands the binary has but the spec lacks: \(found.subtracting(declared).sorted { $0.lexicographicallyPrecedes($1) })")
        #expect(
            declared.subtracting(found).isEmpty,
            "commands the spec declares but the binary lacks: \(declared.subtracting(found).sorted { $0.lexicographicallyPrecedes($1) })")
        #expect(found.contains(["health"]) && found.contains(["gateway", "install"]))
    }

    /// The names under `SUBCOMMANDS:` (two-space indented lines; wrapped descriptions are indented further), without aliases.
    static func subcommands(in help: String) -> [String] {
        guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: [String] = []
        for line in help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            // `rm, remove, delete  Delete a job.`: the command's name, then its aliases.
            if let name = line.split(separator: " ").first.map({ String($0.trimmingCharacters(in: [","])) }), name != "help" { names.append(name) }
        }
        return names
    }
}
