// Tests/RuntimeTests/CronScheduleTests.swift - schedule JSON, next-run rules, backoff, and the time texts

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Cron schedule")
struct CronScheduleTests {
    static let jan5 = CronTimeText.absoluteMs("2026-01-05T10:00:00Z")!

    @Test func theCheckedFormComesFromTheProtocolShape() throws {
        #expect(try CronTiming(CronSchedule(kind: .at, at: "2026-02-01T16:00:00Z")) == .at("2026-02-01T16:00:00Z"))
        #expect(try CronTiming(CronSchedule(kind: .every, everyMs: 60_000, anchorMs: 5)) == .every(everyMs: 60_000, anchorMs: 5))
        #expect(try CronTiming(CronSchedule(kind: .cron, expr: "@daily", tz: "UTC")) == .cron(expr: "@daily", tz: "UTC"))
        #expect(throws: CronScheduleError(message: "schedule.everyMs is required")) { try CronTiming(CronSchedule(kind: .every)) }
        #expect(throws: CronScheduleError(message: "schedule.at is required")) { try CronTiming(CronSchedule(kind: .at, expr: "x")) }
    }

    @Test func atIsDueAtItsTimeEvenWhenPast() throws {
        let at = CronTiming.at("2026-01-05T09:00:00")
        #expect(try at.nextRunAtMs(nowMs: Self.jan5) == Self.jan5 - 3_600_000)
        #expect(try CronTiming.at("2026-01-05T12:00:00+02:00").nextRunAtMs(nowMs: 0) == Self.jan5)
        #expect(try CronTiming.at("2026-01-05T10:00:00.250Z").nextRunAtMs(nowMs: 0) == Self.jan5 + 250)
        #expect(throws: CronScheduleError.self) { try CronTiming.at("tomorrow").nextRunAtMs(nowMs: 0) }
    }

    @Test func everyFollowsTheGridThroughItsAnchor() throws {
        let anchor: Int64 = 1_000_000
        let every = CronTiming.every(everyMs: 60_000, anchorMs: anchor)
        #expect(try every.nextRunAtMs(nowMs: anchor - 5) == anchor)
        #expect(try every.nextRunAtMs(nowMs: anchor) == anchor + 60_000)
        #expect(try every.nextRunAtMs(nowMs: anchor + 1) == anchor + 60_000)
        #expect(try every.nextRunAtMs(nowMs: anchor + 60_000) == anchor + 60_000)
        #expect(try every.nextRunAtMs(nowMs: anchor + 60_001) == anchor + 120_000)
        #expect(try every.nextRunAtMs(nowMs: anchor + 10 * 60_000 + 59_999) == anchor + 11 * 60_000)
        // Without an anchor, the creation time; without that, now.
        let loose = CronTiming.every(everyMs: 30_000, anchorMs: nil)
        #expect(try loose.nextRunAtMs(nowMs: 100_000, createdAtMs: 10_000) == 100_000)
        #expect(try loose.nextRunAtMs(nowMs: 100_001, createdAtMs: 10_000) == 130_000)
        #expect(try loose.nextRunAtMs(nowMs: 100_000) == 130_000)
    }

    @Test func cronUsesItsZoneThenTheDefault() throws {
        let berlin = CronTiming.cron(expr: "0 9 * * *", tz: "Europe/Berlin")
        #expect(try berlin.nextRunAtMs(nowMs: Self.jan5) == CronTimeText.absoluteMs("2026-01-06T08:00:00Z"))
        let local = CronTiming.cron(expr: "0 9 * * *", tz: nil)
        #expect(
            try local.nextRunAtMs(nowMs: Self.jan5, defaultTimeZone: TimeZone(identifier: "Asia/Tokyo")!) == CronTimeText.absoluteMs("2026-01-06T00:00:00Z"))
        #expect(try CronTiming.cron(expr: "  ", tz: nil).nextRunAtMs(nowMs: Self.jan5) == nil)
        #expect(throws: CronScheduleError(message: "Invalid time zone specified: Mars/Olympus")) {
            try CronTiming.cron(expr: "0 9 * * *", tz: "Mars/Olympus").nextRunAtMs(nowMs: 0)
        }
        #expect(throws: CronScheduleError.self) { try CronTiming.cron(expr: "0 25 * * *", tz: nil).nextRunAtMs(nowMs: 0) }
    }

    @Test func validationMessages() {
        func message(_ schedule: CronTiming, nowMs: Int64? = nil) -> String? {
            do {
                try schedule.validate(nowMs: nowMs)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(.at("2026-01-05T10:00:00Z"), nowMs: Self.jan5) == nil)
        #expect(message(.at("2026-01-05T09:59:30Z"), nowMs: Self.jan5) == nil)
        #expect(
            message(.at("2026-01-05T09:00:00Z"), nowMs: Self.jan5)
                == "schedule.at is in the past: 2026-01-05T09:00:00.000Z (60 minutes ago). Current time: 2026-01-05T10:00:00.000Z")
        #expect(
            message(.at("2040-01-05T10:00:00Z"), nowMs: Self.jan5)
                == "schedule.at is too far in the future: 2040-01-05T10:00:00.000Z (13 years ahead). Maximum allowed: 10 years")
        #expect(message(.at("soon")) == "Invalid schedule.at: expected ISO-8601 timestamp or Unix seconds (got soon)")
        #expect(message(.every(everyMs: 0, anchorMs: nil)) == "schedule.everyMs must be >= 1 (got 0)")
        #expect(message(.every(everyMs: 1, anchorMs: -1)) == "schedule.anchorMs must be >= 0 (got -1)")
        #expect(message(.cron(expr: "", tz: nil)) == "schedule.expr must not be empty")
        #expect(message(.cron(expr: "61 * * * *", tz: nil)) == "invalid cron expression \"61 * * * *\": minute field \"61\" out of range 0-59")
        #expect(message(.cron(expr: "* * * * *", tz: "Nowhere")) == "Invalid time zone specified: Nowhere")
        #expect(message(.cron(expr: "* * * * *", tz: "America/New_York")) == nil)
    }

    @Test func backoffTable() {
        #expect((0...7).map { CronBackoff.errorDelayMs(consecutiveErrors: $0) } == [30_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 3_600_000, 3_600_000])
        let end: Int64 = 1_000_000
        // An error waits for the later of the natural run and the backoff.
        #expect(CronBackoff.nextRunAtMs(naturalNextMs: end + 1000, endedAtMs: end, failed: true, consecutiveErrors: 1, isCron: false) == end + 30_000)
        #expect(CronBackoff.nextRunAtMs(naturalNextMs: end + 7_200_000, endedAtMs: end, failed: true, consecutiveErrors: 9, isCron: true) == end + 7_200_000)
        #expect(CronBackoff.nextRunAtMs(naturalNextMs: nil, endedAtMs: end, failed: true, consecutiveErrors: 3, isCron: false) == end + 300_000)
        // A cron job never refires within 2 s of its end; other schedules keep their natural time.
        #expect(CronBackoff.nextRunAtMs(naturalNextMs: end + 500, endedAtMs: end, failed: false, consecutiveErrors: 0, isCron: true) == end + 2000)
        #expect(CronBackoff.nextRunAtMs(naturalNextMs: end + 500, endedAtMs: end, failed: false, consecutiveErrors: 0, isCron: false) == end + 500)
        #expect(CronBackoff.nextRunAtMs(naturalNextMs: nil, endedAtMs: end, failed: false, consecutiveErrors: 0, isCron: true) == nil)
    }

    @Test func durations() throws {
        #expect(try CronTimeText.durationMs("30m") == 1_800_000)
        #expect(try CronTimeText.durationMs("1h") == 3_600_000)
        #expect(try CronTimeText.durationMs("10s") == 10_000)
        #expect(try CronTimeText.durationMs("2h30m") == 9_000_000)
        #expect(try CronTimeText.durationMs("1d") == 86_400_000)
        #expect(try CronTimeText.durationMs("500ms") == 500)
        #expect(try CronTimeText.durationMs(" 1.5H ") == 5_400_000)
        #expect(try CronTimeText.durationMs("1d 2h") == 93_600_000)
        #expect(try CronTimeText.durationMs("45") == 45)
        #expect(try CronTimeText.durationMs("45", defaultUnit: .m) == 2_700_000)
        #expect(throws: CronTimeTextError(message: "invalid duration (empty)")) { try CronTimeText.durationMs(" ") }
        for bad in ["5x", "h", "2h30", "-5m", "1..5m", "m5", "5 m m"] {
            #expect(throws: CronTimeTextError(message: "invalid duration: \(bad)")) { try CronTimeText.durationMs(bad) }
        }
    }

    @Test func absoluteAndRelativeTimes() throws {
        #expect(CronTimeText.absoluteMs("2026-01-05") == CronTimeText.absoluteMs("2026-01-05T00:00:00Z"))
        #expect(CronTimeText.absoluteMs("2026-01-05T10:00") == Self.jan5)
        #expect(CronTimeText.absoluteMs("2026-01-05 10:00:00") == Self.jan5)
        #expect(CronTimeText.absoluteMs("2026-01-05T11:30:00+0130") == Self.jan5)
        #expect(CronTimeText.absoluteMs("2026-01-05T05:00:00-05:00") == Self.jan5)
        #expect(CronTimeText.absoluteMs("2026-01-05T10:00:00.5Z") == Self.jan5 + 500)
        #expect(CronTimeText.absoluteMs("2026-01-05T10:00:00.123456z") == Self.jan5 + 123)
        #expect(CronTimeText.absoluteMs("1767607200000") == Self.jan5)
        for bad in ["", "0", "2026-02-30", "2026-13-01", "2026-01-05T25:00", "2026-01-05T10:00Zjunk", "next tuesday"] {
            #expect(CronTimeText.absoluteMs(bad) == nil)
        }
        #expect(try CronTimeText.atMs("+20m", nowMs: Self.jan5) == Self.jan5 + 1_200_000)
        #expect(try CronTimeText.atMs("20m", nowMs: Self.jan5) == Self.jan5 + 1_200_000)
        #expect(try CronTimeText.atMs("2026-01-05T10:00Z", nowMs: 0) == Self.jan5)
        #expect(throws: CronTimeTextError.self) { try CronTimeText.atMs("+soon", nowMs: 0) }
        #expect(CronTimeText.isoString(ms: Self.jan5 + 7) == "2026-01-05T10:00:00.007Z")
        #expect(CronTimeText.isoString(ms: -1) == "1969-12-31T23:59:59.999Z")
    }
}
