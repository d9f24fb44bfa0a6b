// Tests/RuntimeTests/LogTailTests.swift - `logs.tail` slicing: last lines, cursor, rotation reset, byte cap

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("log tail")
struct LogTailTests {
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-tail-\(UUID().uuidString).log").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func withoutACursorItReturnsTheLastLines() throws {
        let path = try file((1...10).map { "line \($0)" }.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = LogTail.read(path: path, cursor: nil, limit: 3, maxBytes: nil)
        #expect(result.lines == ["line 8", "line 9", "line 10"])
        #expect(result.cursor == result.size)
        #expect(result.file == path)
        #expect(result.reset == nil)
        #expect(result.truncated == nil)
    }

    @Test func aCursorContinuesAndAHalfWrittenLineWaits() throws {
        let path = try file("a\nb\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = LogTail.read(path: path, cursor: nil, limit: nil, maxBytes: nil)
        #expect(first.lines == ["a", "b"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("c\npart".utf8))
        let second = LogTail.read(path: path, cursor: first.cursor, limit: nil, maxBytes: nil)
        #expect(second.lines == ["c"])
        #expect(second.cursor == first.cursor + 2)
        try handle.write(contentsOf: Data("ial\n".utf8))
        try handle.close()
        let third = LogTail.read(path: path, cursor: second.cursor, limit: nil, maxBytes: nil)
        #expect(third.lines == ["partial"])
        let idle = LogTail.read(path: path, cursor: third.cursor, limit: nil, maxBytes: nil)
        #expect(idle.lines.isEmpty && idle.cursor == third.cursor)
    }

    @Test func aCursorPastTheEndMeansTheFileRotated() throws {
        let path = try file("fresh\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = LogTail.read(path: path, cursor: 10_000, limit: nil, maxBytes: nil)
        #expect(result.reset == true)
        #expect(result.lines == ["fresh"])
    }

    @Test func maxBytesCutsOlderLinesAndDropsThePartialFirstOne() throws {
        let path = try file((1...100).map { String(format: "line %03d", $0) }.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = LogTail.read(path: path, cursor: 0, limit: nil, maxBytes: 50)
        #expect(result.truncated == true)
        #expect(result.lines.last == "line 100")
        #expect(result.lines.allSatisfy { $0.count == 8 })
        #expect(result.lines.count == 5)
    }

    @Test func aMissingFileIsEmpty() {
        let result = LogTail.read(path: "/nonexistent/openclaw.log", cursor: nil, limit: nil, maxBytes: nil)
        #expect(result.lines.isEmpty && result.size == 0 && result.cursor == 0)
    }
}
