// Tests/RuntimeTests/GroupCommitTests.swift - concurrent run-path appends share commits, and fail alone

import Dispatch
import Foundation
import Testing

@testable import Runtime

@Suite("session store group commit")
struct GroupCommitTests {
    private final class Fixture: Sendable {
        let stateDir: String
        let store: SessionStore

        init() throws {
            stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-group-commit-\(UUID().uuidString)").path
            store = try SessionStore(path: SessionStore.defaultPath(stateDir: stateDir), cwd: stateDir)
        }

        deinit { try? FileManager.default.removeItem(atPath: stateDir) }
    }

    private static func user(_ text: String, at time: Int) -> TranscriptMessage {
        TranscriptMessage(
            role: "user", message: ["role": "user", "content": [["type": "text", "text": .string(text)]], "timestamp": .int(time)], timestamp: time)
    }

    @Test("writes that queue behind a busy writer commit together in one transaction, each with its own result")
    func queuedWritesShareOneCommit() async throws {
        let fixture = try Fixture()
        let store = fixture.store
        // Another writer holds the database until the writes have queued up. It blocks a thread of its own, not
        // one of the concurrency pool's (which has as many threads as cores).
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? store.pool.write { _ in
                holding.signal()
                release.wait()
            }
            holding.signal()
        }
        holder.start()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                holding.wait()
                continuation.resume()
            }
        }
        let batchesBefore = store.commits.batches

        let count = 12
        let writes = Task {
            try await withThrowingTaskGroup(of: (Int, TranscriptRecord).self) { group in
                for index in 0..<count {
                    group.addTask {
                        (index, try await store.appendCreatingGrouped(key: "agent:main:s\(index)", agentId: "main", Self.user("m\(index)", at: index)).record)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
        }
        // The first write leads (it waits for the holder inside its own commit); the others queue behind it.
        while store.commits.queued < count - 1 { await Task.yield() }
        release.signal()
        let records = try await writes.value
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                holding.wait()
                continuation.resume()
            }
        }

        #expect(records.count == count)
        #expect(store.commits.batches - batchesBefore == 2)
        for index in 0..<count {
            let transcript = try store.transcript(key: "agent:main:s\(index)")
            #expect(transcript.map(\.id) == [records[index]?.id])
        }
    }

    @Test("a failing write in a batch is rolled back alone; the writes beside it commit")
    func failingWriteFailsAlone() async throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try store.appendCreating(key: "agent:main:known", agentId: "main", Self.user("first", at: 1))
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<40 {
                group.addTask {
                    // Even indices append to a key that exists; odd ones to keys that do not (no creating).
                    let key = index.isMultiple(of: 2) ? "agent:main:known" : "agent:main:missing\(index)"
                    do {
                        _ = try await store.appendGrouped(key: key, Self.user("m\(index)", at: 10 + index))
                        return (index, true)
                    } catch let error as SessionStoreError where error == .unknownKey(key) {
                        return (index, false)
                    } catch {
                        Issue.record("unexpected error \(error)")
                        return (index, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        for (index, stored) in outcomes { #expect(stored == index.isMultiple(of: 2), "write \(index)") }
        let transcript = try store.transcript(key: "agent:main:known")
        #expect(transcript.count == 21)
        // Every message links to the one before it, whichever batch it was in.
        for (previous, next) in zip(transcript, transcript.dropFirst()) { #expect(next.parentId == previous.id) }
        #expect(try store.entry(key: "agent:main:missing1") == nil)
    }
}
