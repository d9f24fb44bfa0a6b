// Tests/RuntimeTests/LogFileSinkTests.swift - daily files, JSONL records, rotation, the fixed-file cap, pruning

import Foundation
import Generated
import Logging
import Synchronization
import Testing

@testable import Runtime

@Suite("log file sink")
struct LogFileSinkTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-logs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func recordsAreOneJSONObjectPerLine() throws {
        let line = FileLogRecord.line(
            level: "info", subsystem: "gateway", message: "say \"hi\"\nthere", fields: ["connId": "c1", "time": "clash", "n": .array(["1", "2"])],
            time: Date(timeIntervalSince1970: 0)
        )
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(object["level"] as? String == "info")
        #expect(object["subsystem"] as? String == "gateway")
        #expect(object["message"] as? String == "say \"hi\"\nthere")
        #expect(object["connId"] as? String == "c1")
        #expect(object["meta.time"] as? String == "clash")
        #expect(object["n"] as? [String] == ["1", "2"])
        #expect(line.hasPrefix(#"{"time":"#))
    }

    @Test func dailyFilesFollowTheLocalDate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let sink = FileLogSink(location: .rolling(directory: directory), maxFileBytes: 1_000_000, clock: { now.withLock { $0 } })
        sink.write("first")
        let firstPath = sink.currentPath
        now.withLock { $0 += 24 * 60 * 60 }
        sink.write("second")
        #expect(sink.currentPath != firstPath)
        #expect(lines(firstPath) == ["first"])
        #expect(lines(sink.currentPath) == ["second"])
        #expect(URL(fileURLWithPath: firstPath).lastPathComponent == LogFileLocation.dailyName(for: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(LogFileLocation.dailyName(for: Date()).range(of: #"^openclaw-\d{4}-\d{2}-\d{2}\.log$"#, options: .regularExpression) != nil)
    }

    @Test func rollingFilesRotateNearTheCapKeepingFiveArchives() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cap = 2048
        let sink = FileLogSink(location: .rolling(directory: directory), maxFileBytes: cap)
        let line = String(repeating: "x", count: 99)
        for index in 0..<200 { sink.write("\(index) " + line) }
        let path = sink.currentPath
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size <= cap * 95 / 100)
        for archive in 1...FileLogSink.maxArchives {
            #expect(FileManager.default.fileExists(atPath: path + ".\(archive)"), "missing .\(archive)")
        }
        #expect(!FileManager.default.fileExists(atPath: path + ".6"))
        // Newest lines are in the live file, the previous ones in `.1`.
        #expect(lines(path).last?.hasPrefix("199 ") == true)
        let lastArchived = try #require(lines(path + ".1").last)
        let firstLive = try #require(lines(path).first)
        #expect(Int(lastArchived.split(separator: " ")[0])! + 1 == Int(firstLive.split(separator: " ")[0])!)
    }

    @Test func aFixedFileIsNotRotatedAndStopsAtTheCapWithOneWarning() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/fixed.log"
        let sink = FileLogSink(location: .fixed(path: path), maxFileBytes: 1024)
        for index in 0..<100 { sink.write("\(index) " + String(repeating: "y", count: 40)) }
        let written = lines(path)
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
        #expect(written.filter { $0.contains("log file size cap reached; suppressing writes file=\(path) maxFileBytes=1024") }.count == 1)
        #expect(written.count < 30)
    }

    @Test func rebuildingPrunesRollingFilesOlderThanADay() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fileManager = FileManager.default
        let old = ["openclaw-2020-01-01.log", "openclaw-2020-01-01.log.1", "openclaw-2020-01-02.log.3"]
        let keep = ["openclaw-2020-01-03.log", "notes.txt"]
        for name in old + keep {
            #expect(fileManager.createFile(atPath: directory + "/" + name, contents: Data("x\n".utf8)))
        }
        let twoDaysAgo = Date().addingTimeInterval(-2 * 24 * 60 * 60)
        for name in old + ["notes.txt"] {
            try fileManager.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: directory + "/" + name)
        }
        _ = FileLogSink(location: .rolling(directory: directory), maxFileBytes: 1_000_000)
        for name in old { #expect(!fileManager.fileExists(atPath: directory + "/" + name), "\(name) not pruned") }
        for name in keep { #expect(fileManager.fileExists(atPath: directory + "/" + name), "\(name) pruned") }
    }

    @Test func aFixedFileIsNeverPruned() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/openclaw-2020-01-01.log"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8)))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3 * 24 * 60 * 60)], ofItemAtPath: path)
        let sink = FileLogSink(location: .fixed(path: path), maxFileBytes: 1_000_000)
        sink.write("y")
        #expect(lines(path) == ["x", "y"])
    }
}
