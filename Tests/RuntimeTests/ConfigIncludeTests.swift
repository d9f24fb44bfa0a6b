// Tests/RuntimeTests/ConfigIncludeTests.swift - `$include` merging, confinement and errors (ops.md §1.3)

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Config includes")
struct ConfigIncludeTests {
    /// A temp config directory with `files` written into it; returns the directory.
    private func directory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-include-\(UUID().uuidString)").path
        for (name, text) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }

    private func load(_ root: String, env: [String: String] = [:]) throws(ConfigError) -> LoadedConfig {
        try ConfigLoader(environment: env).load(path: root + "/openclaw.json")
    }

    @Test func includesMergeInOrderAndSiblingsOverride() throws {
        let root = try directory([
            "openclaw.json": #"{ $include: ["./a.json5", "./sub/b.json5"], gateway: { port: 3000 } }"#,
            "a.json5": #"{ gateway: { mode: "local", port: 1000, auth: { token: "a" } } }"#,
            "sub/b.json5": #"{ gateway: { port: 2000, auth: { password: "${PW}" } }, logging: { $include: "./logging.json5" } }"#,
            "sub/logging.json5": #"{ level: "debug" }"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let loaded = try load(root, env: ["PW": "secret"])
        #expect(loaded.config.gateway?.mode == .local)
        #expect(loaded.config.gateway?.port == 3000)
        #expect(loaded.config.gateway?.auth?.token == "a")
        #expect(loaded.config.gateway?.auth?.password == "secret")
        #expect(loaded.config.logging?.level?.rawValue == "debug")
        let real = URL(fileURLWithPath: root).standardizedFileURL.path
        #expect(loaded.files == [real + "/openclaw.json", real + "/a.json5", real + "/sub/b.json5", real + "/sub/logging.json5"])
    }

    @Test func aMissingIncludeIsAnErrorNamingTheFile() throws {
        let root = try directory(["openclaw.json": #"{ $include: "./nope.json5" }"#])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try load(root) } throws: { ($0 as? ConfigError)?.issues.first?.contains("nope.json5") == true }
    }

    @Test func aParseErrorNamesTheIncludedFile() throws {
        let root = try directory(["openclaw.json": #"{ $include: "./bad.json5" }"#, "bad.json5": "{ nope"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try load(root) } throws: { ($0 as? ConfigError)?.issues.first?.contains("bad.json5") == true }
    }

    @Test func cyclesAreReportedWithTheChain() throws {
        let root = try directory([
            "openclaw.json": #"{ $include: "./a.json5" }"#, "a.json5": #"{ $include: "./b.json5" }"#, "b.json5": #"{ $include: "./a.json5" }"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try load(root) } throws: { error in
            let issue = (error as? ConfigError)?.issues.first ?? ""
            return issue.contains("$include cycle") && issue.contains("a.json5 -> ") && issue.contains("b.json5 -> ")
        }
    }

    @Test func includesMayNotLeaveTheConfigDirectory() throws {
        let root = try directory(["conf/openclaw.json": #"{ $include: "../outside.json5" }"#, "outside.json5": "{}"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try load(root + "/conf") } throws: { ($0 as? ConfigError)?.issues.first?.contains("outside the config directory") == true }
    }

    @Test func nestingIsLimitedToTenLevels() throws {
        var files = ["openclaw.json": #"{ $include: "./l1.json5" }"#]
        for level in 1...11 { files["l\(level).json5"] = #"{ $include: "./l\#(level + 1).json5" }"# }
        files["l12.json5"] = "{}"
        let root = try directory(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect { try load(root) } throws: { ($0 as? ConfigError)?.issues.first?.contains("deeper than 10") == true }
    }
}
