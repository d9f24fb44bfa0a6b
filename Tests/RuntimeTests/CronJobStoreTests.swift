// Tests/RuntimeTests/CronJobStoreTests.swift - the job file: round trips, hand edits, atomic writes, corrupt files

import Foundation
import ProtocolSupport
import Testing

@testable import Runtime

@Suite("Cron job store")
struct CronJobStoreTests {
    static func directory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cron-store-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func sampleJobs() -> [CronJob] {
        [
            CronJob(
                id: "a1", name: "Morning brief", createdAtMs: 1000, schedule: .cron(expr: "0 9 * * 1-5", tz: "Europe/Berlin"),
                payload: .agentTurn(CronAgentTurn(message: "Summarise my inbox", model: "gpt", timeoutSeconds: 120)),
                delivery: CronDelivery(mode: .announce, channel: "last", bestEffort: true),
                state: CronJobState(nextRunAtMs: 5000, lastStatus: .error, lastError: "boom", consecutiveErrors: 2)),
            CronJob(
                id: "b2", agentId: "ops", name: "Ping", description: "every minute", enabled: false, createdAtMs: 2000, updatedAtMs: 3000,
                schedule: .every(everyMs: 60_000, anchorMs: nil), wakeMode: .nextHeartbeat, payload: .systemEvent(CronSystemEvent(text: "ping"))),
            CronJob(
                id: "c3", name: "Once", deleteAfterRun: true, createdAtMs: 3000, schedule: .at("2026-02-01T16:00:00Z"),
                payload: .systemEvent(CronSystemEvent(text: "remind"))),
        ]
    }

    @Test func aMissingFileIsAnEmptyStore() throws {
        let store = CronJobStore(path: Self.directory() + "/cron/jobs.json")
        #expect(try store.load() == CronStoreFile())
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    @Test func saveAndLoadRoundTripWithABackup() throws {
        let store = CronJobStore(path: Self.directory() + "/cron/jobs.json")
        try store.save(jobs: Self.sampleJobs())
        let loaded = try store.load()
        #expect(loaded.version == 1)
        #expect(loaded.jobs == Self.sampleJobs())
        #expect(loaded.jobs[1].sessionTarget == .main && loaded.jobs[0].sessionTarget == .isolated)
        #expect(FileManager.default.contents(atPath: store.backupPath) == FileManager.default.contents(atPath: store.path))
        // Upstream's field names and values on disk.
        let root = try JSONValue(parsing: FileManager.default.contents(atPath: store.path)!)
        #expect(root["version"] == 1)
        #expect(root["jobs"]?[1]?["wakeMode"] == "next-heartbeat")
        #expect(root["jobs"]?[1]?["schedule"] == ["kind": "every", "everyMs": 60000])
        #expect(root["jobs"]?[0]?["payload"]?["kind"] == "agentTurn")
        #expect(root["jobs"]?[0]?["state"] == ["nextRunAtMs": 5000, "lastStatus": "error", "lastError": "boom", "consecutiveErrors": 2])
        // No temporary files left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
        #expect(names == ["jobs.json", "jobs.json.bak"])
    }

    @Test func aHandEditedFileKeepsUnknownMembersAndGetsDefaults() throws {
        let store = CronJobStore(path: Self.directory() + "/jobs.json")
        let text = """
            // edited by hand
            {
              version: 1,
              note: "top-level extra",
              jobs: [
                {
                  id: "x1", name: "Hand made", schedule: { kind: "every", everyMs: 1000 },
                  payload: { kind: "agentTurn", message: "hi", futureOption: [1, 2] },
                  delivery: { mode: "none", webhookUrl: "https://example.test/hook" },
                  state: { lastDelivered: true },
                  isolation: { postToMainPrefix: "Cron" },
                  staggerNote: 7,
                },
              ],
            }
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: store.path))
        let file = try store.load()
        let job = try #require(file.jobs.first)
        #expect(job.enabled && job.wakeMode == .now && job.sessionTarget == .isolated && job.createdAtMs == 0)
        #expect(job.extra == ["isolation": ["postToMainPrefix": "Cron"], "staggerNote": 7])
        #expect(file.extra == ["note": "top-level extra"])
        guard case .agentTurn(let turn) = job.payload else {
            Issue.record("payload kind")
            return
        }
        #expect(turn.extra == ["futureOption": [1, 2]])
        #expect(job.delivery?.extra == ["webhookUrl": "https://example.test/hook"])
        #expect(job.state.extra == ["lastDelivered": true])
        try store.save(file)
        let again = try store.load()
        #expect(again == file)
        let root = try JSONValue(parsing: FileManager.default.contents(atPath: store.path)!)
        #expect(root["note"] == "top-level extra")
        #expect(root["jobs"]?[0]?["payload"]?["futureOption"] == [1, 2])
        #expect(root["jobs"]?[0]?["payload"]?["kind"] == "agentTurn")
    }

    @Test func aCorruptFileIsAnErrorNamingThePathAndIsLeftAlone() throws {
        let store = CronJobStore(path: Self.directory() + "/jobs.json")
        let garbage = Data("{ jobs: [ { id: ".utf8)
        try garbage.write(to: URL(fileURLWithPath: store.path))
        let error = try #require(throws: CronStoreError.self) { try store.load() }
        #expect(error.message.hasPrefix("Failed to parse cron store at \(store.path): "))
        #expect(FileManager.default.contents(atPath: store.path) == garbage)

        try Data(#"{"version":1,"jobs":{}}"#.utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: CronStoreError(message: "Failed to parse cron store at \(store.path): \"jobs\" must be an array")) { try store.load() }
        try Data("[]".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: CronStoreError(message: "Failed to parse cron store at \(store.path): expected an object, got array")) { try store.load() }
    }

    @Test func aMalformedJobIsAnErrorNamingItsIndexAndField() throws {
        let store = CronJobStore(path: Self.directory() + "/jobs.json")
        func load(_ job: String) throws -> String {
            try Data(#"{"version":1,"jobs":[\#(job)]}"#.utf8).write(to: URL(fileURLWithPath: store.path))
            return try #require(throws: CronStoreError.self) { try store.load() }.message
        }
        #expect(
            try load(#"{"id":"j","schedule":{"kind":"every","everyMs":1},"payload":{"kind":"systemEvent","text":"t"}}"#)
                == "Invalid cron store at \(store.path): jobs[0] (id \"j\"): missing \"name\"")
        #expect(
            try load(#"{"id":"j","name":"n","schedule":{"kind":"every","everyMs":"x"},"payload":{"kind":"systemEvent","text":"t"}}"#)
                .hasPrefix("Invalid cron store at \(store.path): jobs[0] (id \"j\"): \"schedule.everyMs\": expected"))
        #expect(
            try load(#"{"id":"../x","name":"n","schedule":{"kind":"every","everyMs":1},"payload":{"kind":"systemEvent","text":"t"}}"#)
                == "Invalid cron store at \(store.path): jobs[0] (id \"../x\"): invalid cron job id: \"../x\"")
    }

    @Test func idsWithPathSeparatorsAreRefused() throws {
        for id in ["a/b", "a\\b", "", ".."] {
            #expect(throws: CronStoreError.self) { try CronJob.validateId(id) }
        }
        try CronJob.validateId("3f2c9a3e-1b2c-4d5e-8f90-123456789abc")
        let store = CronJobStore(path: Self.directory() + "/jobs.json")
        var job = Self.sampleJobs()[0]
        job.id = "x/y"
        #expect(throws: CronStoreError.self) { try store.save(jobs: [job]) }
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    @Test func saveReplacesTheFileAtomically() throws {
        let store = CronJobStore(path: Self.directory() + "/jobs.json")
        try store.save(jobs: Self.sampleJobs())
        let firstInode = try FileManager.default.attributesOfItem(atPath: store.path)[.systemFileNumber] as? UInt64
        try store.save(jobs: Array(Self.sampleJobs().prefix(1)))
        let secondInode = try FileManager.default.attributesOfItem(atPath: store.path)[.systemFileNumber] as? UInt64
        // A rename, not a rewrite in place: a reader holding the old file never sees it change under it.
        #expect(firstInode != secondInode)
        #expect(try store.load().jobs.map(\.id) == ["a1"])
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aJobsNextRunComesFromItsSchedule() throws {
        let job = Self.sampleJobs()[1]
        #expect(try job.nextRunAtMs(nowMs: 2000) == 62_000)
        #expect(try job.nextRunAtMs(nowMs: 62_001) == 122_000)
        guard case .agentTurn(let turn) = Self.sampleJobs()[0].payload else { return }
        #expect(!turn.legacyDeliveryRequested)
        #expect(CronAgentTurn(message: "m", to: "+1555").legacyDeliveryRequested)
        #expect(!CronAgentTurn(message: "m", deliver: false, to: "+1555").legacyDeliveryRequested)
        #expect(CronAgentTurn(message: "m", deliver: true).legacyDeliveryRequested)
    }
}
