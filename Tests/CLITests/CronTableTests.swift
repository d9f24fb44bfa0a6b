// Tests/CLITests/CronTableTests.swift - `openclaw cron list`'s table and `cron add|edit`'s flags, without a gateway

import Foundation
import Generated
import Runtime
import Testing

@Suite("cron table and flags")
struct CronTableTests {
    /// 2026-02-01T15:00:00Z.
    static let now = 1_769_958_000_000

    static func job(
        _ id: String = "00000000-0000-4000-8000-000000000001", name: String = "Morning brief", schedule: CronSchedule, enabled: Bool = true,
        agent: String? = nil, target: CronSessionTarget = .main, state: CronJobState = CronJobState()
    ) -> CronJob {
        CronJob(
            id: id, agentId: agent, name: name, enabled: enabled, createdAtMs: now, updatedAtMs: now, schedule: schedule, sessionTarget: target,
            wakeMode: .now, payload: CronPayload(kind: target == .main ? .systemEvent : .agentTurn, text: "hi"), state: state
        )
    }

    @Test func schedulesReadAsUpstreamWritesThem() {
        #expect(CronTable.schedule(CronSchedule(kind: .at, at: "2026-02-01T16:00:00.000Z")) == "at 2026-02-01 16:00Z")
        #expect(CronTable.schedule(CronSchedule(kind: .at, at: "2026-02-01T17:30:00+01:00")) == "at 2026-02-01 16:30Z")
        #expect(CronTable.schedule(CronSchedule(kind: .at, at: "2026-02-01T16:00")) == "at 2026-02-01 16:00Z", "no zone is UTC")
        #expect(CronTable.schedule(CronSchedule(kind: .at, at: "soon")) == "at -")
        #expect(CronTable.schedule(CronSchedule(kind: .every, everyMs: 600_000)) == "every 10m")
        #expect(CronTable.schedule(CronSchedule(kind: .every, everyMs: 5_400_000)) == "every 2h", "one unit, rounded")
        #expect(CronTable.schedule(CronSchedule(kind: .every, everyMs: 1000)) == "every 1s")
        #expect(CronTable.schedule(CronSchedule(kind: .cron, expr: "0 7 * * *", tz: "Europe/Vienna")) == "cron 0 7 * * * @ Europe/Vienna")
        #expect(CronTable.schedule(CronSchedule(kind: .cron, expr: "*/5 * * * *")) == "cron */5 * * * *")
    }

    @Test func relativeTimesAndDurations() {
        let now = Self.now
        #expect(CronTable.relative(now + 5 * 60_000, now: now) == "in 5m")
        #expect(CronTable.relative(now - 3 * 3_600_000, now: now) == "3h ago")
        #expect(CronTable.relative(now + 2 * 86_400_000, now: now) == "in 2d")
        #expect(CronTable.relative(now + 200, now: now) == "in 1s")
        #expect(CronTable.relative(now, now: now) == "in 1s")
        #expect(CronTable.relative(nil, now: now) == "-")
        #expect(CronTable.duration(90_000) == "2m" && CronTable.duration(89_999) == "1m")
        #expect(CronTable.duration(59_400) == "59s" && CronTable.duration(59_999) == "60s")
    }

    @Test func statusIsDisabledRunningLastOrIdle() {
        let every = CronSchedule(kind: .every, everyMs: 60_000)
        #expect(CronTable.status(Self.job(schedule: every)) == "idle")
        #expect(CronTable.status(Self.job(schedule: every, state: CronJobState(lastStatus: .error))) == "error")
        #expect(CronTable.status(Self.job(schedule: every, state: CronJobState(runningAtMs: Self.now, lastStatus: .ok))) == "running")
        #expect(CronTable.status(Self.job(schedule: every, enabled: false, state: CronJobState(runningAtMs: Self.now))) == "disabled")
    }

    @Test func theTableHasUpstreamsColumnsAndTheNextRunInLocalTime() throws {
        let vienna = try #require(TimeZone(identifier: "Europe/Vienna"))
        let jobs = [
            Self.job(
                schedule: CronSchedule(kind: .every, everyMs: 600_000),
                state: CronJobState(nextRunAtMs: Self.now + 5 * 60_000, lastRunAtMs: Self.now - 5 * 60_000, lastStatus: .ok)),
            Self.job(
                "00000000-0000-4000-8000-000000000002", name: "A name far longer than twenty-four characters",
                schedule: CronSchedule(kind: .cron, expr: "0 7 * * 1-5", tz: "America/Los_Angeles"), agent: "ops", target: .isolated),
        ]
        let lines = CronTable.render(jobs, now: Self.now, timeZone: vienna).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(
            lines[0]
                == "ID                                   Name                     Schedule                         Next       Last       Status    Target    Agent      Next run (local)"
        )
        #expect(
            lines[1]
                == "00000000-0000-4000-8000-000000000001 Morning brief            every 10m                        in 5m      5m ago     ok        main      default    2026-02-01 16:05 GMT+1"
        )
        #expect(
            lines[2]
                == "00000000-0000-4000-8000-000000000002 A name far longer tha... cron 0 7 * * 1-5 @ America/Lo... -          -          idle      isolated  ops        -"
        )
        #expect(CronTable.render([], now: Self.now) == "No cron jobs.")
    }

    @Test func addParamsFromFlags() throws {
        var input = CronJobInput()
        input.name = "Ping"
        input.every = "1h30m"
        input.systemEvent = "check the inbox"
        let main = try input.addParams(now: Self.now)
        #expect(main.schedule == CronSchedule(kind: .every, everyMs: 5_400_000))
        #expect(main.sessionTarget == .main && main.wakeMode == .now && main.delivery == nil && main.enabled == nil)
        #expect(main.payload == CronPayload(kind: .systemEvent, text: "check the inbox"))

        input.every = nil
        input.at = "+20m"
        input.systemEvent = nil
        input.message = "Summarise the news"
        input.model = "local/test-model"
        input.agent = "ops"
        input.disabled = true
        let isolated = try input.addParams(now: Self.now)
        #expect(isolated.schedule == CronSchedule(kind: .at, at: "2026-02-01T15:20:00.000Z"))
        #expect(isolated.sessionTarget == .isolated && isolated.agentId == "ops" && isolated.enabled == false)
        #expect(isolated.payload == CronPayload(kind: .agentTurn, message: "Summarise the news", model: "local/test-model"))
        #expect(isolated.delivery == CronDelivery(mode: .announce, channel: "last"))
        input.noDeliver = true
        #expect(try input.addParams(now: Self.now).delivery == CronDelivery(mode: CronDeliveryMode.none))

        #expect(CronJobInput.atMilliseconds("2026-02-01T16:00:00Z", now: 0) == Self.now + 3_600_000)
        #expect(CronJobInput.atMilliseconds("20m", now: Self.now) == Self.now + 1_200_000)
        #expect(CronJobInput.atMilliseconds("tomorrow", now: Self.now) == nil)
        #expect(try CronTimeText.durationMs("90s") == 90_000 && CronTimeText.durationMs("15", defaultUnit: .m) == 900_000)
    }

    @Test func refusedFlagCombinations() {
        func refusal(_ change: (inout CronJobInput) -> Void) -> String? {
            var input = CronJobInput()
            input.name = "Ping"
            input.every = "10m"
            input.systemEvent = "hello"
            change(&input)
            do {
                _ = try input.addParams(now: Self.now)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal { _ in } == nil)
        #expect(refusal { $0.name = nil } == "--name is required")
        #expect(refusal { $0.cron = "* * * * *" } == "Choose exactly one schedule: --at, --every, or --cron")
        #expect(refusal { $0.every = nil } == "Choose exactly one schedule: --at, --every, or --cron")
        #expect(refusal { $0.every = "soon" } == "Invalid --every; use e.g. 10m, 1h, 1d")
        #expect(refusal { $0.message = "also" } == "Choose exactly one payload: --system-event or --message")
        #expect(refusal { $0.systemEvent = nil } == "Choose exactly one payload: --system-event or --message")
        #expect(refusal { $0.session = "isolated" } == "Isolated jobs require --message (agentTurn).")
        #expect(refusal { $0.session = "elsewhere" } == "--session must be main or isolated")
        #expect(refusal { $0.wake = "later" } == "--wake must be now or next-heartbeat")
        #expect(refusal { $0.to = "+15550001" }?.hasPrefix("Delivery flags") == true)
        #expect(refusal { $0.tz = "UTC" } == "--tz applies to --cron")
        #expect(
            refusal {
                $0.deleteAfterRun = true
                $0.keepAfterRun = true
            } == "Choose --delete-after-run or --keep-after-run, not both")
    }

    @Test func editSendsOnlyWhatWasGiven() throws {
        var input = CronJobInput()
        #expect(throws: CronJobInput.Invalid.self) { try input.patch(now: Self.now) }
        input.disable = true
        #expect(try input.patch(now: Self.now) == CronJobPatch(enabled: false))
        input.disable = false
        input.clearAgent = true
        input.message = "new text"
        #expect(try input.patch(now: Self.now) == CronJobPatch(agentId: .null, payload: CronPayload(kind: .agentTurn, message: "new text")))
        input.enable = true
        input.disable = true
        #expect(throws: CronJobInput.Invalid("Choose --enable or --disable, not both")) { try input.patch(now: Self.now) }
        input = CronJobInput()
        input.cron = "0 7 * * *"
        input.tz = "UTC"
        input.to = "#ops"
        #expect(
            try input.patch(now: Self.now)
                == CronJobPatch(
                    schedule: CronSchedule(kind: .cron, expr: "0 7 * * *", tz: "UTC"),
                    delivery: CronDelivery(mode: .announce, channel: "last", to: "#ops")))
    }
}
