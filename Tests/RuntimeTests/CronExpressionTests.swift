// Tests/RuntimeTests/CronExpressionTests.swift - cron expressions against known schedules, DST changes and bad input

import Foundation
import Testing

@testable import Runtime

@Suite("Cron expression")
struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// An instant from ISO text (UTC without a zone).
    static func date(_ text: String) -> Date {
        Date(timeIntervalSince1970: Double(CronTimeText.absoluteMs(text)!) / 1000)
    }

    static func iso(_ date: Date?) -> String? {
        date.map { CronTimeText.isoString(ms: Int64(($0.timeIntervalSince1970 * 1000).rounded())) }
    }

    /// The next run of `expr` after `after`, as ISO text in UTC.
    static func next(_ expr: String, after: String, in zone: TimeZone = utc) throws -> String? {
        iso(try CronExpression(expr).nextRun(after: date(after), in: zone))
    }

    static func runs(_ expr: String, after: String, count: Int, in zone: TimeZone = utc) throws -> [String] {
        try CronExpression(expr).nextRuns(after: date(after), in: zone, count: count).compactMap { iso($0) }
    }

    @Test func everyQuarterHourIsStrictlyAfterTheGivenInstant() throws {
        #expect(try Self.next("*/15 * * * *", after: "2026-01-05T10:07:30Z") == "2026-01-05T10:15:00.000Z")
        #expect(try Self.next("*/15 * * * *", after: "2026-01-05T10:15:00Z") == "2026-01-05T10:30:00.000Z")
        #expect(try Self.next("*/15 * * * *", after: "2026-01-05T10:14:59.999Z") == "2026-01-05T10:15:00.000Z")
        #expect(try Self.next("*/15 * * * *", after: "2026-12-31T23:59:00Z") == "2027-01-01T00:00:00.000Z")
    }

    @Test func weekdayMorningsInBerlinAcrossTheSpringChange() throws {
        // Friday 09:00 CET, then the clocks go forward on Sunday 29 March: Monday 09:00 is CEST (07:00 UTC).
        #expect(
            try Self.runs("0 9 * * 1-5", after: "2026-03-26T08:00:00Z", count: 3, in: Self.berlin) == [
                "2026-03-27T08:00:00.000Z", "2026-03-30T07:00:00.000Z", "2026-03-31T07:00:00.000Z",
            ])
        // And back on Sunday 25 October.
        #expect(
            try Self.runs("0 9 * * 1-5", after: "2026-10-23T06:00:00Z", count: 2, in: Self.berlin) == [
                "2026-10-23T07:00:00.000Z", "2026-10-26T08:00:00.000Z",
            ])
    }

    @Test func aWallTimeSkippedBySpringForwardFiresShiftedByTheGap() throws {
        // 02:30 does not exist in Berlin on 2026-03-29; croner fires at 03:30 CEST (01:30 UTC), once.
        #expect(
            try Self.runs("30 2 * * *", after: "2026-03-28T12:00:00Z", count: 2, in: Self.berlin) == [
                "2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z",
            ])
        #expect(try Self.next("30 2,3 * * *", after: "2026-03-29T01:30:00Z", in: Self.berlin) == "2026-03-30T00:30:00.000Z")
        // Every minute runs on without a duplicate: 01:59 CET is followed by 03:00 CEST.
        #expect(
            try Self.runs("* * * * *", after: "2026-03-29T00:58:00Z", count: 3, in: Self.berlin) == [
                "2026-03-29T00:59:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-29T01:01:00.000Z",
            ])
        // New York's 02:30 on 2026-03-08 becomes 03:30 EDT.
        #expect(try Self.next("30 2 * * *", after: "2026-03-07T17:00:00Z", in: Self.newYork) == "2026-03-08T07:30:00.000Z")
    }

    @Test func aWallTimeRepeatedByFallBackFiresOnce() throws {
        // 02:30 happens twice in Berlin on 2026-10-25 (00:30 and 01:30 UTC): croner's resolution takes the offset in
        // force at 02:30 UTC, so east of Greenwich the second one fires, once.
        #expect(
            try Self.runs("30 2 * * *", after: "2026-10-24T12:00:00Z", count: 2, in: Self.berlin) == [
                "2026-10-25T01:30:00.000Z", "2026-10-26T01:30:00.000Z",
            ])
        // West of Greenwich the first: New York's 01:00-01:59 repeats on 2026-11-01; half-hourly runs at 01:00 and
        // 01:30 EDT, not again in EST.
        #expect(
            try Self.runs("*/30 1 * * *", after: "2026-11-01T04:00:00Z", count: 3, in: Self.newYork) == [
                "2026-11-01T05:00:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:00:00.000Z",
            ])
        // Asked from inside the repeated hour (01:10 EST), the next run is after it, never in the past.
        #expect(try Self.next("*/15 * * * *", after: "2026-11-01T06:10:00Z", in: Self.newYork) == "2026-11-01T07:00:00.000Z")
    }

    @Test func leapDayOnlyInLeapYearsAndAcrossASkippedCentury() throws {
        #expect(try Self.next("0 0 29 2 *", after: "2026-03-01T00:00:00Z") == "2028-02-29T00:00:00.000Z")
        #expect(try Self.next("0 0 29 2 *", after: "2028-02-29T00:00:00Z") == "2032-02-29T00:00:00.000Z")
        // 2100 is not a leap year.
        #expect(try Self.next("0 0 29 2 *", after: "2096-03-01T00:00:00Z") == "2104-02-29T00:00:00.000Z")
    }

    @Test func aDateThatNeverExistsHasNoNextRun() throws {
        #expect(try Self.next("0 0 30 2 *", after: "2026-01-01T00:00:00Z") == nil)
        #expect(try Self.next("0 0 31 4,6,9,11 *", after: "2026-01-01T00:00:00Z") == nil)
    }

    @Test func dayOfMonthAndDayOfWeekCombineWithOrWhenBothAreRestricted() throws {
        // 1st and 15th, or any Friday (Vixie cron / croner legacyMode).
        #expect(
            try Self.runs("0 0 1,15 * 5", after: "2026-01-01T00:00:00Z", count: 5) == [
                "2026-01-02T00:00:00.000Z", "2026-01-09T00:00:00.000Z", "2026-01-15T00:00:00.000Z", "2026-01-16T00:00:00.000Z",
                "2026-01-23T00:00:00.000Z",
            ])
        // With one day field `*`, only the other counts.
        #expect(try Self.runs("0 0 13 * *", after: "2026-01-01T00:00:00Z", count: 2) == ["2026-01-13T00:00:00.000Z", "2026-02-13T00:00:00.000Z"])
        #expect(try Self.runs("0 0 * * 5", after: "2026-01-01T00:00:00Z", count: 2) == ["2026-01-02T00:00:00.000Z", "2026-01-09T00:00:00.000Z"])
        #expect(try Self.next("0 0 ? * 5", after: "2026-01-01T00:00:00Z") == "2026-01-02T00:00:00.000Z")
        // `*/1` is a restriction in croner's eyes (only a bare `*` is not), so it ORs with the weekday: every day.
        #expect(try Self.next("0 0 */1 * 5", after: "2026-01-01T00:00:00Z") == "2026-01-02T00:00:00.000Z")
    }

    @Test func sixFieldsAddSeconds() throws {
        #expect(try Self.next("*/10 * * * * *", after: "2026-01-05T10:00:05Z") == "2026-01-05T10:00:10.000Z")
        #expect(try Self.next("30 0 12 * * *", after: "2026-01-05T12:00:30Z") == "2026-01-06T12:00:30.000Z")
        #expect(try Self.runs("5-7 * * * * *", after: "2026-01-05T10:00:06Z", count: 2) == ["2026-01-05T10:00:07.000Z", "2026-01-05T10:01:05.000Z"])
    }

    @Test func nicknames() throws {
        #expect(try Self.next("@hourly", after: "2026-01-05T10:07:00Z") == "2026-01-05T11:00:00.000Z")
        #expect(try Self.next("@daily", after: "2026-01-05T10:07:00Z") == "2026-01-06T00:00:00.000Z")
        #expect(try Self.next("@midnight", after: "2026-01-05T10:07:00Z") == "2026-01-06T00:00:00.000Z")
        #expect(try Self.next("@weekly", after: "2026-01-05T10:07:00Z") == "2026-01-11T00:00:00.000Z")
        #expect(try Self.next("@monthly", after: "2026-01-05T10:07:00Z") == "2026-02-01T00:00:00.000Z")
        #expect(try Self.next("@YEARLY", after: "2026-01-05T10:07:00Z") == "2027-01-01T00:00:00.000Z")
        #expect(try Self.next("@annually", after: "2026-01-05T10:07:00Z") == "2027-01-01T00:00:00.000Z")
    }

    @Test func monthAndDayNamesAndSundayAsSeven() throws {
        #expect(try Self.next("0 12 * JAN-MAR mon-fri", after: "2026-03-31T12:00:00Z") == "2027-01-01T12:00:00.000Z")
        #expect(try Self.next("0 0 * * 7", after: "2026-01-01T00:00:00Z") == "2026-01-04T00:00:00.000Z")
        #expect(try Self.next("0 0 * * SUN", after: "2026-01-01T00:00:00Z") == "2026-01-04T00:00:00.000Z")
        #expect(try CronExpression("0 0 * * Mon-Sun").weekdays == CronExpression("0 0 * * 1-7").weekdays)
        #expect(try CronExpression("0 0 * * 0-6").weekdays == CronExpression("0 0 * * 1-7").weekdays)
        #expect(try Self.next("0 0 1 dec *", after: "2026-01-01T00:00:00Z") == "2026-12-01T00:00:00.000Z")
    }

    @Test func stepsRangesAndLists() throws {
        let expression = try CronExpression("5/20 1-10/3 * * *")
        #expect(expression.minutes == (1 << 5 | 1 << 25 | 1 << 45))
        #expect(expression.hours == (1 << 1 | 1 << 4 | 1 << 7 | 1 << 10))
        #expect(try CronExpression("/30 * * * *").minutes == (1 << 0 | 1 << 30))
        #expect(try CronExpression("0,30,59 * * * *").minutes == (1 << 0 | 1 << 30 | 1 << 59))
        #expect(try CronExpression("0 0 * * 1/2").weekdays == (1 << 1 | 1 << 3 | 1 << 5))
    }

    @Test func croneExtensionsLastDayAndNthWeekday() throws {
        #expect(try Self.next("0 0 L * *", after: "2026-02-10T00:00:00Z") == "2026-02-28T00:00:00.000Z")
        #expect(try Self.next("0 0 L * *", after: "2028-02-10T00:00:00Z") == "2028-02-29T00:00:00.000Z")
        #expect(try Self.next("0 0 * * 5L", after: "2026-01-01T00:00:00Z") == "2026-01-30T00:00:00.000Z")
        #expect(try Self.next("0 0 * * MON#2", after: "2026-02-01T00:00:00Z") == "2026-02-09T00:00:00.000Z")
    }

    @Test func parseErrorsNameTheExpressionAndField() {
        func message(_ expr: String) -> String? {
            do {
                _ = try CronExpression(expr)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message("61 * * * *") == "invalid cron expression \"61 * * * *\": minute field \"61\" out of range 0-59")
        #expect(message("0 24 * * *") == "invalid cron expression \"0 24 * * *\": hour field \"24\" out of range 0-23")
        #expect(message("0 0 0 * *") == "invalid cron expression \"0 0 0 * *\": day-of-month field \"0\" out of range 1-31")
        #expect(message("0 0 * 13 *") == "invalid cron expression \"0 0 * 13 *\": month field \"13\" out of range 1-12")
        #expect(message("0 0 * * 8") == "invalid cron expression \"0 0 * * 8\": day-of-week field \"8\" out of range 0-7")
        #expect(message("* * * *") == "invalid cron expression \"* * * *\": expected 5 or 6 fields, got 4")
        #expect(message("* * * * * * *")?.hasSuffix("expected 5 or 6 fields, got 7") == true)
        #expect(message("*/0 * * * *") == "invalid cron expression \"*/0 * * * *\": minute field \"*/0\" has step 0")
        #expect(message("*/61 * * * *")?.contains("larger than 60") == true)
        #expect(message("10-5 * * * *")?.contains("start is after its end") == true)
        #expect(message("x * * * *") == "invalid cron expression \"x * * * *\": minute field \"x\" is not a number")
        #expect(message("0 0 * FOO *")?.contains("month field \"FOO\" is not a number") == true)
        #expect(message("0 0 * * MON#6")?.contains("nth weekday outside 1-5") == true)
        #expect(message("1, * * * *")?.contains("empty list element") == true)
        #expect(message("? * * * *")?.contains("only day-of-month and day-of-week") == true)
        #expect(message("@fortnightly") == "invalid cron expression \"@fortnightly\": unknown nickname \"@fortnightly\"")
        #expect(message("") == "invalid cron expression \"\": expected 5 or 6 fields, got 0")
        #expect(message("+5 * * * *") != nil)
    }

    @Test func civilDateArithmeticRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (year, month, day) = CivilTime.civil(fromDays: days)
            #expect(CivilTime.days(year: year, month: month, day: day) == days)
        }
        #expect(CivilTime.weekday(year: 2026, month: 1, day: 1) == 4)
        #expect(CivilTime.weekday(year: 1969, month: 12, day: 28) == 0)
    }

    /// Times a year of minutely runs and a sparse yearly search: a benchmark hook, with no timed assertion.
    @Test func manyRunsInARow() throws {
        let minutely = try CronExpression("* * * * *").nextRuns(after: Self.date("2026-01-01T00:00:00Z"), in: Self.berlin, count: 10_000)
        #expect(minutely.count == 10_000)
        #expect(zip(minutely, minutely.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 60 })
        let leap = try CronExpression("0 0 29 2 1").nextRuns(after: Self.date("2026-01-01T00:00:00Z"), in: Self.utc, count: 20)
        #expect(leap.count == 20)
    }
}
