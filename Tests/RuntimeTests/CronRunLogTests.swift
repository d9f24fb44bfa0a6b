// Tests/RuntimeTests/CronRunLogTests.swift - run logs: append, read order and limits, trimming, torn lines

import Foundation
import Generated
import ProtocolSupport
import Testing

@testable import Runtime

@Suite("Cron run log")
struct CronRunLogTests {
    static func log(maxBytes: Int = CronRunLog.defaultMaxBytes, keepLines: Int = CronRunLog.defaultKeepLines) -> CronRunLog {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cron-runs-\(UUID().uuidString)").path
        return CronRunLog(storeDirectory: path, maxBytes: maxBytes, keepLines: keepLines)
    }

    static func entry(_ n: Int, job: String = "job1") -> CronRunLogEntry {
        CronRunLogEntry(
            ts: 1000 + n, jobId: job, action: "finished", status: n % 3 == 0 ? .error : .ok, error: n % 3 == 0 ? "failed \(n)" : nil, summary: "run \(n)",
            sessionId: "s\(n)", sessionKey: "agent:main:cron:\(job)", runAtMs: 900 + n, durationMs: 100, nextRunAtMs: 2000 + n)
    }

    @Test func appendsOneLinePerRunInUpstreamsShape() throws {
        let log = Self.log()
        try log.append(Self.entry(1))
        try log.append(Self.entry(3))
        let text = String(decoding: FileManager.default.contents(atPath: try log.path(jobId: "job1"))!, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2 && text.hasSuffix("\n"))
        let first = try JSONValue(parsing: Data(lines[0].utf8))
        #expect(first["action"] == "finished" && first["jobId"] == "job1" && first["ts"] == 1001 && first["status"] == "ok")
        #expect(first["error"] == nil)
        let second = try JSONValue(parsing: Data(lines[1].utf8))
        #expect(second["status"] == "error" && second["error"] == "failed 3" && second["nextRunAtMs"] == 2003)
        #expect(try log.path(jobId: "job1").hasSuffix("/runs/job1.jsonl"))
    }

    @Test func readsTheNewestEntriesOldestFirst() throws {
        let log = Self.log()
        for n in 1...10 { try log.append(Self.entry(n)) }
        #expect(try log.read(jobId: "job1", limit: 3).map(\.ts) == [1008, 1009, 1010])
        #expect(try log.read(jobId: "job1").map(\.ts) == (1...10).map { Int(1000 + $0) })
        #expect(try log.read(jobId: "job1", limit: 0).map(\.ts) == [1010])
        #expect(try log.read(jobId: "job1", limit: 1_000_000).count == 10)
        #expect(try log.read(jobId: "job1", limit: 1).first == Self.entry(10))
        #expect(try log.read(jobId: "other").isEmpty)
    }

    @Test func tornAndForeignLinesAreSkipped() throws {
        let log = Self.log()
        try log.append(Self.entry(1))
        let path = try log.path(jobId: "job1")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"ts":5,"jobId":"other","action":"finished"}"#.utf8 + [0x0A]))
        try handle.write(contentsOf: Data(#"{"ts":6,"jobId":"job1","action":"started"}"#.utf8 + [0x0A]))
        try handle.write(contentsOf: Data(#"{"ts":7,"jobId":"jo"#.utf8))
        try handle.close()
        #expect(try log.read(jobId: "job1").map(\.ts) == [1001])
        // The next append starts on a fresh line instead of extending the torn one.
        try log.append(Self.entry(2))
        #expect(try log.read(jobId: "job1").map(\.ts) == [1001, 1002])
    }

    @Test func aLogOverMaxBytesIsTrimmedToItsNewestLines() throws {
        let log = Self.log(maxBytes: 2000, keepLines: 5)
        for n in 1...40 { try log.append(Self.entry(n)) }
        let path = try log.path(jobId: "job1")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size <= 2000 + 400)
        let entries = try log.read(jobId: "job1", limit: 5000)
        #expect(entries.last?.ts == 1040)
        #expect(entries.count <= 5 + 2000 / 200)
        // Trimming rewrote the file without leaving temporary files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: log.directory) == ["job1.jsonl"])
        // Right after a trim exactly keepLines remain.
        try log.trim(path)
        #expect(try log.read(jobId: "job1", limit: 5000).map(\.ts) == (36...40).map { Int(1000 + $0) })
    }

    @Test func jobIdsWithPathSeparatorsAreRefused() {
        let log = Self.log()
        #expect(throws: CronStoreError.self) { try log.append(Self.entry(1, job: "../escape")) }
        #expect(throws: CronStoreError.self) { try log.read(jobId: "a\\b") }
    }

    @Test func removeDeletesTheLog() throws {
        let log = Self.log()
        try log.append(Self.entry(1))
        try log.remove(jobId: "job1")
        try log.remove(jobId: "job1")
        #expect(try log.read(jobId: "job1").isEmpty)
    }
}
