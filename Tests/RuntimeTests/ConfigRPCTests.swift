// Tests/RuntimeTests/ConfigRPCTests.swift - the pieces behind config.*: merge patch, diffs, redaction, hash checks, rate limit, atomic writes, audit

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Config RPC building blocks")
struct ConfigRPCTests {
    private func tree(_ text: String) throws -> JSONValue {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    private func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-config-rpc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func mergePatchMergesObjectsDeletesNullsAndReplacesArrays() throws {
        let base = try tree("{gateway: {port: 1, bind: 'lan', trustedProxies: ['a', 'b']}, logging: {level: 'info'}}")
        let patch = try tree("{gateway: {port: 2, bind: null, trustedProxies: ['c']}, logging: null, meta: {x: 1}}")
        #expect(ConfigMergePatch.apply(patch, to: base) == (try tree("{gateway: {port: 2, trustedProxies: ['c']}, meta: {x: 1}}")))
    }

    @Test func secretsAreRedactedAndTheSentinelRestoresThem() throws {
        let stored = try tree("{gateway: {auth: {mode: 'token', token: 'hunter2-xyz'}, port: 1}}")
        let redacted = ConfigRedaction.redact(stored)
        #expect(redacted["gateway"]?["auth"]?["token"] == .string(ConfigRedaction.sentinel))
        #expect(redacted["gateway"]?["port"] == .int(1))
        let text = ConfigRedaction.redact(text: "{gateway: {auth: {token: 'hunter2-xyz'}}} // hunter2-xyz", trees: [stored])
        #expect(!text.contains("hunter2-xyz"))
        let short = ConfigRedaction.redact(text: "{gateway: {auth: {token: \"ab\"}}, meta: {x: 'tab'}}", trees: [try tree("{gateway: {auth: {token: 'ab'}}}")])
        #expect(short == "{gateway: {auth: {token: \"__OPENCLAW_REDACTED__\"}}, meta: {x: 'tab'}}")
        let incoming = ConfigMergePatch.apply(try tree("{gateway: {port: 2}}"), to: redacted)
        let restored = try ConfigRedaction.restore(incoming, from: stored)
        #expect(restored["gateway"]?["auth"]?["token"] == .string("hunter2-xyz"))
        #expect(throws: ConfigRedaction.RestoreError.self) { try ConfigRedaction.restore(redacted, from: .object([:])) }
    }

    @Test func baseHashRules() {
        #expect(ConfigWriteGuard.check(baseHash: nil, currentHash: nil) == .ok)
        #expect(ConfigWriteGuard.check(baseHash: nil, currentHash: "ab") == .required)
        #expect(ConfigWriteGuard.check(baseHash: "  ", currentHash: "ab") == .required)
        #expect(ConfigWriteGuard.check(baseHash: "cd", currentHash: "ab") == .stale)
        #expect(ConfigWriteGuard.check(baseHash: "AB", currentHash: "ab") == .ok)
    }

    @Test func rateLimitAllowsThirtyPerMinutePerClient() {
        let key = "test-\(UUID().uuidString)"
        for index in 0..<30 { #expect(ConfigWriteGuard.admit(key: key, nowMs: 1_000 + index) == nil) }
        #expect(ConfigWriteGuard.admit(key: key, nowMs: 2_000) == 59_000)
        #expect(ConfigWriteGuard.admit(key: key + "-other", nowMs: 2_000) == nil)
        #expect(ConfigWriteGuard.admit(key: key, nowMs: 61_001) == nil)
    }

    @Test func atomicWriteKeepsTheModeAndLeavesNoTempFiles() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/openclaw.json"
        try ConfigWriter().write(try tree("{gateway: {port: 1}}"), to: file)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        chmod(file, 0o640)
        let data = try ConfigWriter().write(try tree("{gateway: {port: 2}}"), to: file)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o640)
        #expect(FileManager.default.contents(atPath: file) == data)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["openclaw.json", "openclaw.json.bak"])
    }

    @Test func snapshotHashesTheFileAndNamesIssues() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/openclaw.json"
        let text = "{gateway: {port: 'x', auth: {token: 'sekrit-value'}}}"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let snapshot = ConfigSnapshotReader(environment: [:]).snapshot(path: file)
        #expect(snapshot.exists && !snapshot.valid)
        #expect(snapshot.hash == ConfigSnapshotReader.hash(Data(text.utf8)))
        #expect(snapshot.issues == [ConfigIssue(path: "gateway.port", message: "must be integer")])
        #expect(snapshot.raw?.contains("sekrit-value") == false)
    }

    @Test func auditAppendsOneLinePerWrite() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let audit = ConfigAudit(stateDir: dir)
        let entry = ConfigAudit.Entry(
            ts: ConfigAudit.timestamp(), method: "config.set", path: "/x", previousHash: nil, hash: "h", changedPaths: ["a"], connId: "c", client: "cli",
            note: nil)
        try audit.append(entry)
        try audit.append(entry)
        let lines = try String(contentsOfFile: dir + "/logs/config-audit.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try JSONDecoder().decode(ConfigAudit.Entry.self, from: Data(lines[0].utf8)) == entry)
    }
}
