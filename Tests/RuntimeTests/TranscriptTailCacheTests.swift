// Tests/RuntimeTests/TranscriptTailCacheTests.swift - the decoded-tail cache never disagrees with the database

import Foundation
import ProtocolSupport
import Testing

@testable import Runtime

@Suite("Transcript tail cache")
struct TranscriptTailCacheTests {
    private static func message(_ text: String, at time: Int) -> TranscriptMessage {
        TranscriptMessage(
            role: "user", message: ["role": "user", "content": [["type": "text", "text": .string(text)]], "timestamp": .int(time)], timestamp: time)
    }

    @Test func readsRacingAppendsStayEqualToAFreshRead() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tail-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/sessions.sqlite"
        let store = try SessionStore(path: path)
        _ = try store.ensure(key: "agent:main:main", agentId: "main", now: 1)
        // Writers and readers interleave; every read fills or uses the cache.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<40 { try store.append(key: "agent:main:main", Self.message("w\(writer)-\(index)", at: index)) }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for limit in [nil, 5, 50, 300] as [Int?] { _ = try store.transcript(key: "agent:main:main", limit: limit) }
                }
            }
            try await group.waitForAll()
        }
        let fresh = try SessionStore(path: path)
        for limit in [nil, 1, 7, 160, 256, 400] as [Int?] {
            let cached = try store.transcript(key: "agent:main:main", limit: limit)
            let stored = try fresh.transcript(key: "agent:main:main", limit: limit)
            #expect(cached == stored, "limit \(limit.map(String.init) ?? "none")")
        }
        #expect(try store.transcript(key: "agent:main:main").count == 160)
        // A reset starts an empty transcript; a delete forgets it.
        _ = try store.reset(key: "agent:main:main", now: 2)
        #expect(try store.transcript(key: "agent:main:main").isEmpty)
        _ = try store.delete(key: "agent:main:main", deleteTranscript: true)
        #expect(try store.transcript(key: "agent:main:main").isEmpty)
    }

    @Test func aQueuedMessageMovesBehindTheAnswersBeforeIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reorder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SessionStore(path: directory + "/sessions.sqlite")
        _ = try store.ensure(key: "k", agentId: "main", now: 1)
        let one = try store.append(key: "k", Self.message("one", at: 1))
        let two = try store.append(key: "k", Self.message("two", at: 2))
        _ = try store.transcript(key: "k")  // fills the cache, which the move must not leave stale
        let answer = try store.append(key: "k", Self.message("answer", at: 3))
        try store.moveToEnd(key: "k", messageId: two.id, now: 4)
        let records = try store.transcript(key: "k")
        #expect(records.map(\.timestamp) == [1, 3, 4])
        #expect(records.last?.message["timestamp"] == 4)
        #expect(records.map(\.id) == [one.id, answer.id, two.id])
        #expect(records.map(\.parentId) == [nil, one.id, answer.id])
        #expect(try SessionStore(path: directory + "/sessions.sqlite").transcript(key: "k") == records)
        // Already last: nothing changes.
        try store.moveToEnd(key: "k", messageId: two.id, now: 9)
        #expect(try store.transcript(key: "k") == records)
    }
}
