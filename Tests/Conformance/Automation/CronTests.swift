// Tests/Conformance/Automation/CronTests.swift - cron jobs over real sockets, on a clock the test moves (and one on the real clock)

import Foundation
import Generated
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Cron jobs")
struct CronTests {
    /// 2027-01-15T08:00:00Z.
    static let start = 1_800_000_000_000
    static let minute = 60_000
    static let channels = #"{"fake":{"token":"good"}}"#
    /// Heartbeats off unless asked for, so only cron's beats run.
    static let quietHeartbeat = #""heartbeat":{"every":"0m"}"#

    static func add(_ socket: AgentSocket, _ id: String, _ params: JSONValue) async throws -> JSONValue {
        let answer = try await socket.call(id, "cron.add", params)
        #expect(answer["ok"] == true, "\(answer)")
        return answer["payload"] ?? .null
    }

    @Test("add, list, status, update, remove: upstream's shapes, events and messages")
    func crud() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(channels: Self.channels, agentDefaults: Self.quietHeartbeat, clock: clock) { harness in
            let socket = try await harness.connect()
            // The event goes out before the answer.
            try await socket.send(
                "a", "cron.add",
                ["name": "Standup", "schedule": ["kind": "every", "everyMs": 600_000], "payload": ["kind": "systemEvent", "text": "Standup soon"]]
            )
            let frames = try await socket.collect { $0["type"] == "res" && $0["id"] == "a" }
            let job = frames.last?["payload"] ?? .null
            let id = try #require(job["id"]?.stringValue)
            let added = try #require(frames.first { $0["event"] == "cron" }?["payload"])
            #expect(added["action"] == "added")
            #expect(added["jobId"]?.stringValue == id)
            #expect(added["nextRunAtMs"]?.intValue == Self.start + 600_000)
            #expect(job["sessionTarget"] == "main", "inferred from the payload")
            #expect(job["wakeMode"] == "now")
            #expect(job["enabled"] == true)
            #expect(job["state"]?["nextRunAtMs"]?.intValue == Self.start + 600_000)
            let isolated = try await Self.add(
                socket, "b",
                ["name": "Digest", "schedule": ["kind": "cron", "expr": "0 9 * * 1-5", "tz": "UTC"], "payload": ["kind": "agentTurn", "message": "digest"]]
            )
            #expect(isolated["sessionTarget"] == "isolated")
            #expect(isolated["delivery"]?["mode"] == "announce", "isolated jobs announce by default")
            #expect(isolated["state"]?["nextRunAtMs"]?.intValue == Self.start + 3_600_000, "09:00 UTC the same day")

            let list = try await socket.call("l", "cron.list", .object([:]))
            #expect(list["payload"]?["jobs"]?.arrayValue?.map { $0["name"] } == ["Standup", "Digest"], "soonest first")
            let status = try await socket.call("s", "cron.status", .null)
            #expect(status["payload"]?["jobs"]?.intValue == 2)
            #expect(status["payload"]?["enabled"] == true)
            #expect(status["payload"]?["storePath"]?.stringValue == harness.stateDir + "/cron/jobs.json")

            let disabled = try await socket.call("u", "cron.update", ["id": .string(id), "patch": ["enabled": false]])
            #expect(disabled["payload"]?["enabled"] == false, "\(disabled)")
            #expect(disabled["payload"]?["state"]?["nextRunAtMs"] == nil)
            let hidden = try await socket.call("l2", "cron.list", .object([:]))
            #expect(hidden["payload"]?["jobs"]?.arrayValue?.count == 1, "disabled jobs only with includeDisabled")
            let all = try await socket.call("l3", "cron.list", ["includeDisabled": true])
            #expect(all["payload"]?["jobs"]?.arrayValue?.count == 2)
            let merged = try await socket.call(
                "u2", "cron.update", ["jobId": .string(id), "patch": ["payload": ["kind": "systemEvent", "text": "Standup now"]]])
            #expect(merged["payload"]?["payload"]?["text"] == "Standup now")

            let refusals: [(String, JSONValue, String)] = [
                ("cron.update", ["patch": ["enabled": true]], "invalid cron.update params: missing id"),
                ("cron.update", ["id": "nope", "patch": ["enabled": true]], "unknown cron job id: nope"),
                ("cron.run", ["id": "nope"], "unknown cron job id: nope"),
                (
                    "cron.add",
                    ["name": "x", "sessionTarget": "main", "schedule": ["kind": "every", "everyMs": 1000], "payload": ["kind": "agentTurn", "message": "m"]],
                    "main cron jobs require payload.kind=\"systemEvent\""
                ),
                ("cron.add", ["name": "x", "schedule": ["kind": "cron", "expr": "61 * * * *"], "payload": ["kind": "systemEvent", "text": "t"]], "61"),
                (
                    "cron.add",
                    ["name": "x", "schedule": ["kind": "cron", "expr": "* * * * *", "tz": "Mars/Olympus"], "payload": ["kind": "systemEvent", "text": "t"]],
                    "Mars/Olympus"
                ),
                ("cron.add", ["name": "x", "schedule": ["kind": "at", "at": "yesterday"], "payload": ["kind": "systemEvent", "text": "t"]], "schedule.at"),
                ("cron.add", ["name": "x", "schedule": ["kind": "every", "everyMs": 0], "payload": ["kind": "systemEvent", "text": "t"]], "everyMs"),
            ]
            for (index, (method, params, expected)) in refusals.enumerated() {
                let answer = try await socket.call("r\(index)", method, params)
                #expect(answer["ok"] == false, "\(method) \(params)")
                #expect(answer["error"]?["code"] == "INVALID_REQUEST")
                #expect(answer["error"]?["message"]?.stringValue?.contains(expected) == true, "\(answer)")
            }

            try await socket.send("d", "cron.remove", ["id": .string(id)])
            let removal = try await socket.collect { $0["type"] == "res" && $0["id"] == "d" }
            #expect(removal.last?["payload"] == ["ok": true, "removed": true])
            #expect(removal.contains { $0["event"] == "cron" && $0["payload"]?["action"] == "removed" && $0["payload"]?["jobId"]?.stringValue == id })
            let again = try await socket.call("d2", "cron.remove", ["id": .string(id)])
            #expect(again["payload"] == ["ok": true, "removed": false])
            let file = try JSONValue.parse(String(contentsOfFile: harness.stateDir + "/cron/jobs.json", encoding: .utf8))
            #expect(file["version"] == 1)
            #expect(file["jobs"]?.arrayValue?.map { $0["name"] } == ["Digest"])
            await socket.close()
        }
    }

    @Test("an every job with a system event beats the main session, logs the run and schedules the next")
    func everyMainJob() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: Self.channels, agentDefaults: #""heartbeat":{"every":"24h","target":"none"}"#, fallback: OpenAIScript.text(["Reminder relayed."]),
            clock: clock
        ) { harness in
            let socket = try await harness.connect()
            let job = try await Self.add(
                socket, "a",
                ["name": "Water", "schedule": ["kind": "every", "everyMs": 600_000], "payload": ["kind": "systemEvent", "text": "Water the plants"]]
            )
            let id = try #require(job["id"]?.stringValue)
            clock.advance(by: 10 * Self.minute)
            let started = try await socket.event("cron") { $0["action"] == "started" }
            #expect(started["runAtMs"]?.intValue == Self.start + 600_000)
            let finished = try await socket.event("cron") { $0["action"] == "finished" }
            #expect(finished["status"] == "ok", "\(finished)")
            #expect(finished["summary"] == "Water the plants")
            #expect(finished["nextRunAtMs"]?.intValue == Self.start + 1_200_000)
            #expect(finished["runId"] == started["runId"])
            let input = try #require(harness.modelInputs.first)
            #expect(input.hasPrefix("System: Water the plants"), "\(input)")
            #expect(input.contains("scheduled reminder"))
            let runs = try await socket.call("r", "cron.runs", ["id": .string(id)])
            let entries = try #require(runs["payload"]?["entries"]?.arrayValue)
            #expect(entries.count == 1)
            #expect(entries.first?["status"] == "ok")
            #expect(entries.first?["action"] == "finished")
            #expect(FileManager.default.fileExists(atPath: harness.stateDir + "/cron/runs/\(id).jsonl"))
            await socket.close()
        }
    }

    @Test("a daily cron job runs an isolated turn at 09:00 and announces the answer; an at job runs once and is deleted")
    func cronAndAtJobs() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: Self.channels, agentDefaults: Self.quietHeartbeat, fallback: OpenAIScript.text(["3 new issues."]), clock: clock
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let daily = try await Self.add(
                socket, "a",
                [
                    "name": "Digest", "schedule": ["kind": "cron", "expr": "0 9 * * *", "tz": "UTC"],
                    "payload": ["kind": "agentTurn", "message": "Summarise issues"],
                    "delivery": ["mode": "announce", "channel": "fake", "to": "alice"],
                ]
            )
            let dailyId = try #require(daily["id"]?.stringValue)
            let once = try await Self.add(
                socket, "b",
                [
                    "name": "Tea", "schedule": ["kind": "at", "at": "2027-01-15T08:30:00Z"], "payload": ["kind": "systemEvent", "text": "Tea"],
                    "wakeMode": "next-heartbeat",
                ]
            )
            let onceId = try #require(once["id"]?.stringValue)
            #expect(once["deleteAfterRun"] == true)

            clock.advance(by: 30 * Self.minute)
            let tea = try await socket.event("cron") { $0["action"] == "finished" && $0["jobId"]?.stringValue == onceId }
            #expect(tea["status"] == "ok")
            #expect(try await socket.event("cron") { $0["action"] == "removed" }["jobId"]?.stringValue == onceId)

            clock.advance(by: 30 * Self.minute)
            let digest = try await socket.event("cron") { $0["action"] == "finished" && $0["jobId"]?.stringValue == dailyId }
            #expect(digest["status"] == "ok", "\(digest)")
            #expect(digest["summary"] == "3 new issues.")
            #expect(digest["sessionKey"]?.stringValue == "agent:main:cron:\(dailyId)")
            #expect(digest["nextRunAtMs"]?.intValue == Self.start + 25 * 3_600_000, "09:00 the next day")
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "alice")
            #expect(sent.text == "3 new issues.")
            let input = try #require(harness.modelInputs.last)
            #expect(input.hasPrefix("[cron:\(dailyId) Digest] Summarise issues"), "\(input)")
            let list = try await socket.call("l", "cron.list", ["includeDisabled": true])
            #expect(list["payload"]?["jobs"]?.arrayValue?.map { $0["name"] } == ["Digest"])
            await socket.close()
        }
    }

    @Test("a failing job backs off 30 s, then 1 min, and a good run resets the count")
    func backoff() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        let failure = FakeModelServer.Reply.error(400, #"{"error":{"message":"bad request"}}"#)
        try await ChannelHarness.with(
            channels: Self.channels, agentDefaults: Self.quietHeartbeat, replies: [failure, failure], fallback: OpenAIScript.text(["fine"]), clock: clock
        ) { harness in
            let socket = try await harness.connect()
            let job = try await Self.add(
                socket, "a",
                [
                    "name": "Flaky", "schedule": ["kind": "every", "everyMs": 10_000], "payload": ["kind": "agentTurn", "message": "go"],
                    "delivery": ["mode": "none"],
                ]
            )
            let id = try #require(job["id"]?.stringValue)
            clock.advance(by: 10_000)
            let first = try await socket.event("cron") { $0["action"] == "finished" }
            #expect(first["status"] == "error", "\(first)")
            #expect(first["nextRunAtMs"]?.intValue == Self.start + 10_000 + 30_000)
            clock.advance(by: 30_000)
            let second = try await socket.event("cron") { $0["action"] == "finished" }
            #expect(second["status"] == "error")
            #expect(second["nextRunAtMs"]?.intValue == Self.start + 40_000 + 60_000)
            clock.advance(by: 60_000)
            let third = try await socket.event("cron") { $0["action"] == "finished" }
            #expect(third["status"] == "ok")
            #expect(third["nextRunAtMs"]?.intValue == Self.start + 110_000)
            let list = try await socket.call("l", "cron.list", .object([:]))
            let state = list["payload"]?["jobs"]?[0]?["state"]
            #expect(state?["consecutiveErrors"] == 0)
            #expect(state?["lastStatus"] == "ok")
            let runs = try await socket.call("r", "cron.runs", ["id": .string(id), "limit": 2])
            #expect(runs["payload"]?["entries"]?.arrayValue?.map { $0["status"] } == ["error", "ok"], "the newest two, oldest first")
            await socket.close()
        }
    }

    @Test("jobs survive a restart: missed runs run once, a run interrupted by the stop does not run again")
    func restart() async throws {
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-cron-\(UUID().uuidString)").path
        let clock = ManualAutomationClock(nowMs: Self.start)
        var ids: [String] = []
        try await ChannelHarness.with(channels: Self.channels, agentDefaults: Self.quietHeartbeat, clock: clock, stateDir: stateDir) { harness in
            let socket = try await harness.connect()
            for (index, name) in ["Missed", "Interrupted"].enumerated() {
                let job = try await Self.add(
                    socket, "a\(index)",
                    [
                        "name": .string(name), "schedule": ["kind": "every", "everyMs": 3_600_000], "payload": ["kind": "systemEvent", "text": "t"],
                        "wakeMode": "next-heartbeat",
                    ]
                )
                ids.append(try #require(job["id"]?.stringValue))
            }
            await socket.close()
        }
        // As a gateway killed mid-run leaves it: the second job marked running.
        let path = stateDir + "/cron/jobs.json"
        var file = try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8))
        guard case .object(var root) = file, case .array(var jobs) = root["jobs"], case .object(var second) = jobs[1], case .object(var state) = second["state"]
        else {
            Issue.record("unexpected store shape: \(file)")
            return
        }
        state["runningAtMs"] = .int(Self.start + 3_600_000)
        second["state"] = .object(state)
        jobs[1] = .object(second)
        root["jobs"] = .array(jobs)
        file = .object(root)
        try file.text.write(toFile: path, atomically: true, encoding: .utf8)

        let later = ManualAutomationClock(nowMs: Self.start + 2 * 3_600_000)
        try await ChannelHarness.with(channels: Self.channels, agentDefaults: Self.quietHeartbeat, clock: later, stateDir: stateDir) { harness in
            let socket = try await harness.connect()
            // The catch-up run starts with the gateway, before this socket exists: its outcome is read from the
            // run log (there is no event left to await), polled until it is written.
            let entries = try await Self.eventually {
                let runs = try await socket.call("r-\(UUID().uuidString)", "cron.runs", ["id": .string(ids[0])])
                let entries = runs["payload"]?["entries"]?.arrayValue ?? []
                return entries.isEmpty ? nil : entries
            }
            #expect(entries.count == 1, "the missed job ran once")
            #expect(entries.first?["status"] == "ok")
            let list = try await socket.call("l", "cron.list", ["includeDisabled": true])
            let jobs = try #require(list["payload"]?["jobs"]?.arrayValue)
            let interrupted = try #require(jobs.first { $0["id"]?.stringValue == ids[1] })
            #expect(interrupted["state"]?["runningAtMs"] == nil)
            #expect(interrupted["state"]?["lastStatus"] == "error")
            #expect(interrupted["state"]?["nextRunAtMs"]?.intValue == Self.start + 3 * 3_600_000, "not run again, next on its grid")
            let interruptedRuns = try await socket.call("r2", "cron.runs", ["id": .string(ids[1])])
            #expect(interruptedRuns["payload"]?["entries"]?.arrayValue?.isEmpty == true)
            await socket.close()
        }
        try? FileManager.default.removeItem(atPath: stateDir)
    }

    /// Polls `probe` (every 50 ms, up to 20 s) until it returns a value: for outcomes no event announces to this socket.
    static func eventually<T: Sendable>(_ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CronTestError("condition not met within 20 s")
    }

    @Test("on the real clock a 1-second every job runs again and again against the fake model")
    func realClock() async throws {
        try await ChannelHarness.with(channels: Self.channels, agentDefaults: Self.quietHeartbeat, fallback: OpenAIScript.text(["tick"])) { harness in
            let socket = try await harness.connect()
            _ = try await Self.add(
                socket, "a",
                [
                    "name": "Fast", "schedule": ["kind": "every", "everyMs": 1000], "payload": ["kind": "agentTurn", "message": "tick?"],
                    "delivery": ["mode": "none"],
                ]
            )
            for _ in 0..<2 {
                let finished = try await socket.event("cron", timeout: .seconds(30)) { $0["action"] == "finished" }
                #expect(finished["status"] == "ok", "\(finished)")
                #expect(finished["summary"] == "tick")
            }
            let run = try await socket.call(
                "run", "cron.run",
                [
                    "id": .string(
                        try #require(
                            (try await socket.call("l", "cron.list", .object([:])))["payload"]?["jobs"]?[0]?["id"]?.stringValue))
                ])
            #expect(run["payload"]?["ok"] == true, "\(run)")
            await socket.close()
        }
    }
}

struct CronTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
