// Tests/RuntimeTests/SessionStoreTests.swift - the SQLite session store: entries, transcripts, export, concurrency, crash safety

import Foundation
import GRDB
import Generated
import TestSupport
import Testing

@testable import Runtime

@Suite("session store")
struct SessionStoreTests {
    /// A fresh state dir per test; the store lives where the gateway puts it.
    private final class Fixture: Sendable {
        let stateDir: String
        let store: SessionStore

        init() throws {
            stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-sessions-\(UUID().uuidString)").path
            store = try SessionStore(path: SessionStore.defaultPath(stateDir: stateDir), cwd: stateDir)
        }

        deinit { try? FileManager.default.removeItem(atPath: stateDir) }
    }

    private static func user(_ text: String, at time: Int, runId: String? = nil) -> TranscriptMessage {
        TranscriptMessage(
            role: "user", message: ["role": "user", "content": [["type": "text", "text": .string(text)]], "timestamp": .int(time)], timestamp: time,
            runId: runId
        )
    }

    private static func assistant(_ text: String, at time: Int, usage: TranscriptUsage? = nil) -> TranscriptMessage {
        TranscriptMessage(
            role: "assistant", message: ["role": "assistant", "content": [["type": "text", "text": .string(text)]], "timestamp": .int(time)],
            timestamp: time, usage: usage
        )
    }

    private static func text(_ record: TranscriptRecord) -> String? {
        record.message["content"]?.arrayValue?.first?["text"]?.stringValue
    }

    @Test func theDatabaseIsWALWithFullSyncAndForeignKeys() throws {
        let fixture = try Fixture()
        #expect(fixture.store.path == fixture.stateDir + "/agents/sessions.sqlite")
        #expect(FileManager.default.fileExists(atPath: fixture.store.path))
        let (mode, synchronous, foreignKeys) = try fixture.store.pool.writeWithoutTransaction { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(mode == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
    }

    @Test func synchronousNormalIsTheOptIn() throws {
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-sessions-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: stateDir) }
        let store = try SessionStore(path: SessionStore.defaultPath(stateDir: stateDir), synchronous: .normal)
        let synchronous = try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 1)  // NORMAL: survives a process crash, not a power loss
    }

    @Test func entriesRoundTripAndEnsureKeepsTheExistingOne() throws {
        let fixture = try Fixture()
        let store = fixture.store
        #expect(try store.entry(key: "agent:main:main") == nil)
        let created = try store.ensure(key: "agent:main:main", agentId: "main", now: 1_000)
        #expect(created.createdAt == 1_000 && created.updatedAt == 1_000)
        #expect(created.sessionId == created.sessionId.lowercased() && UUID(uuidString: created.sessionId) != nil)
        #expect(created.kind == "direct")
        #expect(try store.ensure(key: "agent:main:main", agentId: "other", now: 2_000) == created)

        let updated = try store.update(key: "agent:main:main") { entry in
            entry.label = "Bug hunt"
            entry.thinkingLevel = "high"
            entry.model = "gpt-test"
            entry.contextTokens = 200_000
            entry.key = "ignored"
        }
        #expect(updated?.key == "agent:main:main")
        #expect(try store.entry(key: "agent:main:main") == updated)
        // nil clears the column (the Codable record must write NULL, not skip it).
        _ = try store.update(key: "agent:main:main") { $0.label = nil }
        #expect(try store.entry(key: "agent:main:main")?.label == nil)
        #expect(try store.entry(key: "agent:main:main")?.thinkingLevel == "high")
        #expect(try store.update(key: "nope") { $0.label = "x" } == nil)
        #expect(try store.count() == 1)
    }

    @Test func kindsFollowTheKey() {
        #expect(SessionEntry.kind(ofKey: "global") == "global")
        #expect(SessionEntry.kind(ofKey: "unknown") == "unknown")
        #expect(SessionEntry.kind(ofKey: "agent:main:telegram:group:-100123") == "group")
        #expect(SessionEntry.kind(ofKey: "agent:main:discord:channel:42") == "group")
        #expect(SessionEntry.kind(ofKey: "agent:main:main") == "direct")
    }

    @Test func listOrdersNewestFirstAndFilters() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let minute = 60_000
        let now = 100 * minute
        _ = try store.ensure(key: "agent:main:main", agentId: "main", now: now - 90 * minute)
        _ = try store.ensure(key: "agent:main:telegram:group:1", agentId: "main", now: now - 5 * minute)
        _ = try store.ensure(key: "agent:coder:subagent:x", agentId: "coder", now: now - 1 * minute)
        _ = try store.update(key: "agent:coder:subagent:x") {
            $0.spawnedBy = "agent:main:main"
            $0.label = "Refactor"
        }
        try store.append(key: "agent:main:main", Self.user("Where is the ÉTÉ report?", at: now - 30 * minute))

        #expect(try store.list(SessionQuery(now: now)).map(\.key) == ["agent:coder:subagent:x", "agent:main:telegram:group:1", "agent:main:main"])
        #expect(try store.list(SessionQuery(limit: 2, now: now)).map(\.key) == ["agent:coder:subagent:x", "agent:main:telegram:group:1"])
        #expect(try store.list(SessionQuery(activeMinutes: 10, now: now)).map(\.key) == ["agent:coder:subagent:x", "agent:main:telegram:group:1"])
        #expect(try store.list(SessionQuery(activeMinutes: 40, now: now)).count == 3)
        // Search: key, label and the derived title / preview, case-insensitively (beyond ASCII too).
        #expect(try store.list(SessionQuery(search: "TELEGRAM", now: now)).map(\.key) == ["agent:main:telegram:group:1"])
        #expect(try store.list(SessionQuery(search: "refactor", now: now)).map(\.key) == ["agent:coder:subagent:x"])
        #expect(try store.list(SessionQuery(search: "été", now: now)).map(\.key) == ["agent:main:main"])
        #expect(try store.list(SessionQuery(limit: 1, search: "agent", now: now)).map(\.key) == ["agent:coder:subagent:x"])
        #expect(try store.list(SessionQuery(agentId: "main", now: now)).count == 2)
        #expect(try store.list(SessionQuery(label: "Refactor", now: now)).count == 1)
        #expect(try store.list(SessionQuery(spawnedBy: "agent:main:main", now: now)).map(\.key) == ["agent:coder:subagent:x"])
    }

    @Test func appendStoresMessagesAndUpdatesTheEntryInOneGo() throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try store.ensure(key: "k", agentId: "main", now: 1_000)
        let long = String(repeating: "word ", count: 60)
        let first = try store.append(key: "k", Self.user("  Hello\n  there  ", at: 2_000, runId: "run-1"))
        let second = try store.append(key: "k", Self.assistant(long, at: 3_000, usage: TranscriptUsage(input: 120, output: 30)))
        try store.append(key: "k", Self.user("Second question", at: 4_000))

        #expect(first.id.count == 8 && first.id.allSatisfy(\.isHexDigit) && first.id == first.id.lowercased())
        #expect(first.parentId == nil && second.parentId == first.id)
        #expect(second.seq > first.seq)
        let entry = try #require(try store.entry(key: "k"))
        #expect(entry.updatedAt == 4_000)
        #expect(entry.derivedTitle == "Hello there")
        #expect(entry.lastMessagePreview == "Second question")
        #expect(entry.inputTokens == 120 && entry.outputTokens == 30 && entry.totalTokens == 150)

        let records = try store.transcript(key: "k")
        #expect(records.map(Self.text) == ["  Hello\n  there  ", long, "Second question"])
        #expect(records[0] == first && records[1] == second)
        #expect(records[0].runId == "run-1" && records[0].role == "user" && records[0].sessionId == entry.sessionId)
        #expect(try store.transcript(key: "k", limit: 2).map(\.id) == [second.id, records[2].id])
        #expect(try store.transcript(key: "missing").isEmpty)
        #expect(try store.messageCount(key: "k") == 3 && store.messageCount(key: "missing") == 0)

        // The preview is capped at about 120 characters.
        _ = try store.append(key: "k", Self.assistant(long, at: 5_000))
        let preview = try #require(try store.entry(key: "k")?.lastMessagePreview)
        #expect(preview.count == 120 && preview.hasSuffix("…"))

        #expect(throws: SessionStoreError.unknownKey("missing")) { try store.append(key: "missing", Self.user("x", at: 1)) }
        #expect("\(SessionStoreError.unknownKey("missing"))" == #"No session found for key "missing""#)
    }

    @Test func appendCreatingMakesTheSessionWithItsFirstMessage() throws {
        let fixture = try Fixture()
        let store = fixture.store
        #expect(throws: SessionStoreError.self) { try store.append(key: "agent:main:new", Self.user("lost", at: 1)) }
        let (entry, record) = try store.appendCreating(key: "agent:main:new", agentId: "main", Self.user("hello", at: 5, runId: "r1"))
        #expect(entry.agentId == "main")
        #expect(entry.createdAt == 5)
        #expect(entry.derivedTitle == "hello")
        #expect(record.sessionId == entry.sessionId)
        #expect(try store.entry(key: "agent:main:new")?.sessionId == entry.sessionId)
        #expect(try store.transcript(key: "agent:main:new").map(Self.text) == ["hello"])
        // A second message keeps the session.
        let (again, _) = try store.appendCreating(key: "agent:main:new", agentId: "other", Self.user("again", at: 6))
        #expect(again.sessionId == entry.sessionId)
        #expect(again.agentId == "main")
    }

    @Test func resetStartsAnEmptyTranscriptAndKeepsTheOldRows() throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try store.ensure(key: "k", agentId: "main", now: 1_000)
        _ = try store.update(key: "k") {
            $0.label = "Kept"
            $0.verboseLevel = "on"
        }
        try store.append(key: "k", Self.user("old", at: 2_000))
        try store.append(key: "k", Self.assistant("old answer", at: 2_500, usage: TranscriptUsage(input: 10, output: 5)))
        let before = try #require(try store.entry(key: "k"))

        let after = try #require(try store.reset(key: "k", now: 3_000))
        #expect(after.sessionId != before.sessionId)
        #expect(after.label == "Kept" && after.verboseLevel == "on")
        #expect(after.inputTokens == 0 && after.outputTokens == 0 && after.totalTokens == 0)
        #expect(after.derivedTitle == nil && after.lastMessagePreview == nil && after.updatedAt == 3_000)
        #expect(try store.transcript(key: "k").isEmpty)
        #expect(try store.transcript(key: "k", sessionId: before.sessionId).map(Self.text) == ["old", "old answer"])

        let fresh = try store.append(key: "k", Self.user("new", at: 4_000))
        #expect(fresh.parentId == nil && fresh.sessionId == after.sessionId)
        #expect(try store.reset(key: "missing", now: 1) == nil)
    }

    @Test func deleteRemovesTheEntryAndOptionallyEveryTranscript() throws {
        let fixture = try Fixture()
        let store = fixture.store
        for key in ["keep-rows", "drop-rows"] {
            _ = try store.ensure(key: key, agentId: "main", now: 1_000)
            try store.append(key: key, Self.user("one", at: 1_100))
            _ = try store.reset(key: key, now: 1_200)
            try store.append(key: key, Self.user("two", at: 1_300))
        }
        let kept = try #require(try store.entry(key: "keep-rows"))
        let dropped = try #require(try store.entry(key: "drop-rows"))
        #expect(try store.delete(key: "keep-rows", deleteTranscript: false))
        #expect(try store.delete(key: "drop-rows", deleteTranscript: true))
        #expect(try !store.delete(key: "drop-rows", deleteTranscript: true))
        #expect(try store.entry(key: "keep-rows") == nil && store.count() == 0)
        #expect(try store.transcript(key: "keep-rows", sessionId: kept.sessionId).count == 1)
        #expect(try store.transcript(key: "drop-rows", sessionId: dropped.sessionId).isEmpty)
        let remaining = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") }
        #expect(remaining == 2)  // both of keep-rows' transcripts
    }

    @Test func concurrentAppendsKeepOrderAndLoseNothing() async throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try store.ensure(key: "busy", agentId: "main", now: 0)
        let writers = 6
        let perWriter = 30
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<perWriter {
                        try store.append(key: "busy", Self.user("w\(writer)-\(index)", at: 1_000 + index))
                    }
                }
            }
            // A reader running alongside never sees a broken chain.
            group.addTask {
                for _ in 0..<20 {
                    let records = try store.transcript(key: "busy")
                    for (previous, record) in zip(records, records.dropFirst()) { #expect(record.parentId == previous.id) }
                    await Task.yield()
                }
            }
            try await group.waitForAll()
        }
        let records = try store.transcript(key: "busy")
        #expect(records.count == writers * perWriter)
        #expect(Set(records.map(\.id)).count == records.count)
        #expect(records.first?.parentId == nil)
        for (previous, record) in zip(records, records.dropFirst()) {
            #expect(record.seq > previous.seq)
            #expect(record.parentId == previous.id)
        }
        for writer in 0..<writers {
            let mine = records.compactMap(Self.text).filter { $0.hasPrefix("w\(writer)-") }
            #expect(mine == (0..<perWriter).map { "w\(writer)-\($0)" })
        }
    }

    @Test func exportWritesUpstreamSessionFileLines() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let created = try store.ensure(key: "agent:main:main", agentId: "main", now: 1_764_107_419_123)
        let first = try store.append(key: "agent:main:main", Self.user("Hi \"there\"", at: 1_764_107_420_000))
        let second = try store.append(key: "agent:main:main", Self.assistant("Hello", at: 1_764_107_421_005))
        let jsonl = try #require(try store.exportJSONL(key: "agent:main:main"))
        #expect(jsonl.hasSuffix("\n"))
        let lines = jsonl.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 3)
        #expect(
            lines[0]
                == #"{"type":"session","version":3,"id":"\#(created.sessionId)","timestamp":"2025-11-25T21:50:19.123Z","cwd":"\#(fixture.stateDir)"}"#
        )
        #expect(lines[1].hasPrefix(#"{"type":"message","id":"\#(first.id)","parentId":null,"timestamp":"2025-11-25T21:50:20.000Z","message":{"#))
        #expect(lines[2].hasPrefix(#"{"type":"message","id":"\#(second.id)","parentId":"\#(first.id)","timestamp":"2025-11-25T21:50:21.005Z","message":{"#))
        // Each line is one JSON object, and the message is the stored upstream object.
        let parsed = try lines.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        #expect(parsed[1]["message"] == first.message)
        #expect(parsed[2]["message"] == second.message)
        #expect(try store.exportJSONL(key: "missing") == nil)

        // After a reset the export is the new, empty transcript with its own start time.
        let reset = try #require(try store.reset(key: "agent:main:main", now: 1_764_107_500_000))
        #expect(
            try store.exportJSONL(key: "agent:main:main")
                == #"{"type":"session","version":3,"id":"\#(reset.sessionId)","timestamp":"2025-11-25T21:51:40.000Z","cwd":"\#(fixture.stateDir)"}"# + "\n")
    }

    /// What kill -9 (or a power cut after the last commit's fsync) leaves on disk is the database and WAL files
    /// as they are while the store is still open: copy them byte for byte without closing and open the copy.
    @Test func committedMessagesSurviveAnUncleanStop() throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try store.ensure(key: "crash", agentId: "main", now: 0)
        let count = 150
        for index in 0..<count { try store.append(key: "crash", Self.user("message \(index)", at: index)) }

        let copyDir = fixture.stateDir + "/copy"
        try FileManager.default.createDirectory(atPath: copyDir, withIntermediateDirectories: true)
        let walSize = (try FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
        #expect(walSize > 0, "the messages should still be in the WAL, not checkpointed, for this test to mean anything")
        for suffix in ["", "-wal"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: store.path + suffix))
            try data.write(to: URL(fileURLWithPath: copyDir + "/sessions.sqlite" + suffix))
        }

        let recovered = try SessionStore(path: copyDir + "/sessions.sqlite")
        let records = try recovered.transcript(key: "crash")
        #expect(records.map(Self.text) == (0..<count).map { "message \($0)" })
        #expect(try recovered.entry(key: "crash")?.lastMessagePreview == "message \(count - 1)")
        let integrity = try recovered.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }

    /// A real kill -9: a child process (this test bundle, running only `crashWriter`) appends and prints
    /// `ack N` after each append returns; the parent kills it mid-stream. Every acknowledged message must be there.
    @Test(.timeLimit(.minutes(2))) func acknowledgedMessagesSurviveKill9() async throws {
        let fixture = try Fixture()
        _ = try fixture.store.ensure(key: "crash", agentId: "main", now: 0)
        let pipe = Pipe()
        let child = try await SpawnedProcess.start(
            CommandLine.arguments[0], ["--testing-library", "swift-testing", "--filter", "crashWriter"],
            environment: ProcessInfo.processInfo.environment.merging([Self.writerPathVariable: fixture.store.path]) { _, new in new },
            output: .pipe(pipe)
        )

        // Read acks until enough have arrived, then kill without warning. (Read off the cooperative
        // threads: blocking one of them stalls every other test.)
        var acked = -1
        var buffer = ""
        let target = 80
        for await line in PipeReader.lines(of: pipe.fileHandleForReading) {
            buffer += line + "\n"
            if line.hasPrefix("ack ") { acked = max(acked, Int(line.dropFirst(4)) ?? acked) }
            if acked >= target { break }
        }
        child.signal(SIGKILL)
        #expect(await child.exited() == .signaled(SIGKILL), "the writer should have been killed, not have exited")
        try #require(acked >= target, "the writer acknowledged only \(acked + 1) messages:\n\(buffer)")

        let recovered = try SessionStore(path: fixture.store.path)
        let texts = try recovered.transcript(key: "crash").compactMap(Self.text)
        #expect(texts.count > acked)
        #expect(Array(texts.prefix(acked + 1)) == (0...acked).map { "message \($0)" })
        let integrity = try await recovered.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }

    static let writerPathVariable = "OPENCLAW_TEST_SESSION_WRITER_DB"

    /// The child of `acknowledgedMessagesSurviveKill9`; does nothing in a normal run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[writerPathVariable] != nil))
    func crashWriter() throws {
        let store = try SessionStore(path: try #require(ProcessInfo.processInfo.environment[Self.writerPathVariable]))
        for index in 0..<100_000 {
            try store.append(key: "crash", Self.user("message \(index)", at: index))
            FileHandle.standardOutput.write(Data("ack \(index)\n".utf8))
        }
    }
}
