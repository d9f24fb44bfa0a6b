// Tests/RuntimeTests/CronJobStoreTests.swift - the job file: round trips, hand edits, atomic writes, corrupt files

import Foundation
import Generated
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
                id: "a1", name: "Morning brief", enabled: true, createdAtMs: 1000, updatedAtMs: 1000,
                schedule: CronSchedule(kind: .cron, expr: "0 9 * * 1-5", tz: "Europe/Berlin"), sessionTarget: .isolated, wakeMode: .now,
                payload: CronPayload(kind: .agentTurn, message: "Summarise my inbox", model: "gpt", timeoutSeconds: 120),
                delivery: CronDelivery(mode: .announce, channel: "last", bestEffort: true),
                state: CronJobState(nextRunAtMs: 5000, lastStatus: .error, lastError: "boom", consecutiveErrors: 2)),
            CronJob(
                id: "b2", agentId: "ops", name: "Ping", description: "every minute", enabled: false, createdAtMs: 2000, updatedAtMs: 3000,
                schedule: CronSchedule(kind: .every, everyMs: 60_000), sessionTarget: .main, wakeMode: .nextHeartbeat,
                payload: CronPayload(kind: .systemEvent, text: "ping"), state: CronJobState()),
            CronJob(
                id: "c3", name: "Once", enabled: true, deleteAfterRun: true, createdAtMs: 3000, updatedAtMs: 3000,
                schedule: CronSchedule(kind: .at, at: "2026-02-01T16:00:00Z"), sessionTarget: .main, wakeMode: .now,
                payload: CronPayload(kind: .systemEvent, text: "remind"), state: CronJobState()),
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
        #expect(job.isolation == ["postToMainPrefix": "Cron"], "a member the protocol type has")
        let extras = try #require(file.jobExtras["x1"])
        #expect(extras.job == ["staggerNote": 7])
        #expect(file.extra == ["note": "top-level extra"])
        #expect(job.payload.kind == .agentTurn)
        #expect(extras.nested["payload"] == ["futureOption": [1, 2]])
        #expect(extras.nested["delivery"] == ["webhookUrl": "https://example.test/hook"])
        #expect(extras.nested["state"] == ["lastDelivered": true])
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
            #expect(throws: CronStoreError.self) { try CronJobStore.validateId(id) }
        }
        try CronJobStore.validateId("3f2c9a3e-1b2c-4d5e-8f90-123456789abc")
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

    @Test func legacySchedulesAndMissingMembersLoad() throws {
        let store = CronJobStore(path: Self.directory() + "/jobs.json")
        let text =
            #"{"jobs":[{"id":"old","name":"Old","schedule":{"kind":"at","atMs":1769961600000},"payload":{"kind":"systemEvent","text":"t"}},"#
            + #"{"id":"older","name":"Older","schedule":{"kind":"cron","cron":"0 9 * * *"},"payload":{"kind":"systemEvent","text":"t"}}]}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: store.path))
        let jobs = try store.load().jobs
        #expect(jobs[0].schedule == CronSchedule(kind: .at, at: "2026-02-01T16:00:00.000Z"))
        #expect(jobs[1].schedule == CronSchedule(kind: .cron, expr: "0 9 * * *"))
        #expect(jobs.allSatisfy { $0.enabled && $0.sessionTarget == .main && $0.state == CronJobState() })
    }

    @Test func aJobsNextRunComesFromItsSchedule() throws {
        let job = Self.sampleJobs()[1]
        let timing = try CronTiming(job.schedule)
        #expect(try timing.nextRunAtMs(nowMs: 2000, createdAtMs: 2000) == 62_000)
        #expect(try timing.nextRunAtMs(nowMs: 62_001, createdAtMs: 2000) == 122_000)
        var turn = CronJob(
            id: "t", name: "t", enabled: true, createdAtMs: 0, updatedAtMs: 0, schedule: job.schedule, sessionTarget: .isolated, wakeMode: .now,
            payload: CronPayload(kind: .agentTurn, message: "m"), state: CronJobState())
        #expect(CronJobRules.delivery(of: turn) == nil)
        turn.payload.to = "+1555"
        #expect(CronJobRules.delivery(of: turn)?.to == "+1555", "legacy: a `to` asks for delivery")
        turn.payload.deliver = false
        #expect(CronJobRules.delivery(of: turn) == nil)
        turn.delivery = CronDelivery(mode: .announce, channel: "telegram")
        #expect(CronJobRules.delivery(of: turn)?.channel == "telegram", "a delivery object wins over legacy fields")
    }
}
