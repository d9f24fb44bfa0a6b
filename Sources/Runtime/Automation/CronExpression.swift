// Sources/Runtime/Automation/CronExpression.swift - 5/6-field cron expressions as croner reads them, and their next run

import Foundation

/// A cron expression parsed the way upstream's `croner` parses it, so a job file moved between the two gateways fires
/// at the same instants.
///
/// Syntax: 5 fields (`min hour dom month dow`, seconds fixed at 0) or 6 (`sec min hour dom month dow`); `*`, lists
/// `a,b`, ranges `a-b`, steps `*/n`, `a-b/n`, `a/n` (from `a` to the field's maximum) and `/n`; month names `JAN`–`DEC`
/// and day names `SUN`–`SAT` in any case; day of week 0–7 with 7 = Sunday; `?` as `*` in the day fields; the nicknames
/// `@yearly @annually @monthly @weekly @daily @midnight @hourly`; and croner's extensions `L` (last day of the month)
/// in day of month, `5#2` (second Friday) and `5L` (last Friday) in day of week.
///
/// Day of month and day of week combine as in Vixie cron (croner's default `legacyMode`): when both are restricted a
/// day matching either one matches; a field counts as unrestricted only when it is exactly `*` (or `?`).
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as given (before nickname expansion).
    public let source: String
    /// One bit per allowed value: seconds and minutes 0–59, hours 0–23, days 1–31, months 1–12.
    var seconds: UInt64 = 0
    var minutes: UInt64 = 0
    var hours: UInt64 = 0
    var daysOfMonth: UInt64 = 0
    var months: UInt64 = 0
    /// `L` in day of month.
    var lastDayOfMonth = false
    /// Weekdays (bit 0 = Sunday) matching on every occurrence in the month.
    var weekdays: UInt8 = 0
    /// Per weekday, bit n-1 set when its nth occurrence (`#n`) matches.
    var nthWeekdays: [UInt8] = Array(repeating: 0, count: 7)
    /// Weekdays matching on their last occurrence in the month (`5L`).
    var lastWeekdays: UInt8 = 0
    /// Whether the day fields were exactly `*` (or `?`), which decides AND versus OR between them.
    var starDayOfMonth = false
    var starDayOfWeek = false

    public var description: String { source }

    /// The searches stop this many years past the start (and answer nil): long enough for Feb 29 across a skipped
    /// century leap year (2096 → 2104), short enough that an impossible date such as Feb 30 costs microseconds.
    public static let searchYears = 8

    /// Parses `expression`.
    /// - Throws: `CronExpressionError` naming the offending field, e.g.
    ///   `invalid cron expression "61 * * * *": minute field "61" out of range 0-59`.
    public init(_ expression: String) throws(CronExpressionError) {
        source = expression
        var text = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("@") {
            guard let expanded = Self.nicknames[text.lowercased()] else {
                throw CronExpressionError(expression: expression, reason: "unknown nickname \"\(text)\"")
            }
            text = expanded
        }
        var fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 || fields.count == 6 else {
            throw CronExpressionError(expression: expression, reason: "expected 5 or 6 fields, got \(fields.count)")
        }
        if fields.count == 5 { fields.insert("0", at: 0) }
        func fail(_ field: CronField, _ text: String, _ reason: String) -> CronExpressionError {
            CronExpressionError(expression: expression, reason: "\(field.name) field \"\(text)\" \(reason)")
        }
        seconds = try Self.parseField(fields[0], .second, fail)
        minutes = try Self.parseField(fields[1], .minute, fail)
        hours = try Self.parseField(fields[2], .hour, fail)
        months = try Self.parseField(fields[4], .month, fail)
        try parseDayOfMonth(fields[3], fail)
        try parseDayOfWeek(fields[5], fail)
    }

    static let nicknames: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// The first instant strictly after `date` whose wall-clock time in `timeZone` matches, or nil when none falls
    /// within `searchYears`.
    ///
    /// The search walks wall-clock fields, jumping each to its next allowed value, so a yearly job costs a handful of
    /// steps. Across daylight-saving changes it follows croner (see `CivilTime.instant(in:)`): a wall time that does
    /// not exist (spring forward) fires shifted forward by the gap, once; a wall time that exists twice (fall back)
    /// fires once.
    public func nextRun(after date: Date, in timeZone: TimeZone) -> Date? {
        let afterSecond = Int64(date.timeIntervalSince1970.rounded(.down))
        let start = afterSecond + 1
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start))))
        var wall = CivilTime(epochSeconds: start + offset)
        let lastYear = wall.year + Self.searchYears
        while wall.year <= lastYear {
            guard advanceToMatch(&wall) else { continue }
            let instant = wall.instant(in: timeZone)
            if instant >= start { return Date(timeIntervalSince1970: Double(instant)) }
            // A repeated fall-back wall time that resolves to its first occurrence, already past: it fired then.
            // (croner would return this past instant, and upstream then retries from the next UTC midnight.)
            wall.second += 1
        }
        return nil
    }

    /// The next `count` runs after `date`: for previews (`cron list`) and for timing the search.
    public func nextRuns(after date: Date, in timeZone: TimeZone, count: Int) -> [Date] {
        var runs: [Date] = []
        var cursor = date
        while runs.count < count, let next = nextRun(after: cursor, in: timeZone) {
            runs.append(next)
            cursor = next
        }
        return runs
    }

    /// Moves `wall` forward to the next wall time matching every field. Returns false after a carry into a higher field
    /// (the caller loops, re-checking the year bound); true when `wall` matches.
    private func advanceToMatch(_ wall: inout CivilTime) -> Bool {
        guard let month = Self.next(months, from: wall.month) else {
            wall = CivilTime(year: wall.year + 1, month: 1, day: 1)
            return false
        }
        if month != wall.month { wall = CivilTime(year: wall.year, month: month, day: 1) }
        let length = CivilTime.daysInMonth(year: wall.year, month: wall.month)
        guard let day = nextDay(from: wall.day, year: wall.year, month: wall.month, length: length) else {
            wall = CivilTime(year: wall.year, month: wall.month + 1, day: 1)
            if wall.month > 12 { wall = CivilTime(year: wall.year + 1, month: 1, day: 1) }
            return false
        }
        if day != wall.day { wall = CivilTime(year: wall.year, month: wall.month, day: day) }
        guard let hour = Self.next(hours, from: wall.hour) else {
            wall = CivilTime(year: wall.year, month: wall.month, day: wall.day + 1)
            return false
        }
        if hour != wall.hour { (wall.hour, wall.minute, wall.second) = (hour, 0, 0) }
        guard let minute = Self.next(minutes, from: wall.minute) else {
            (wall.hour, wall.minute, wall.second) = (wall.hour + 1, 0, 0)
            return false
        }
        if minute != wall.minute { (wall.minute, wall.second) = (minute, 0) }
        guard let second = Self.next(seconds, from: wall.second) else {
            (wall.minute, wall.second) = (wall.minute + 1, 0)
            return false
        }
        wall.second = second
        return true
    }

    /// The smallest set bit at or above `from`, or nil. Values past the field's range (after a carry) find none.
    static func next(_ mask: UInt64, from: Int) -> Int? {
        guard from < 64 else { return nil }
        let remaining = mask & (~UInt64(0) << UInt64(from))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    private func nextDay(from start: Int, year: Int, month: Int, length: Int) -> Int? {
        guard start <= length else { return nil }
        let firstWeekday = CivilTime.weekday(year: year, month: month, day: 1)
        for day in start...length where dayMatches(day, weekday: (firstWeekday + day - 1) % 7, length: length) {
            return day
        }
        return nil
    }

    /// croner's rule: with day of week `*` only day of month counts; with day of month `*` only day of week; with
    /// both restricted, either.
    func dayMatches(_ day: Int, weekday: Int, length: Int) -> Bool {
        let domMatch = daysOfMonth & (1 << UInt64(day)) != 0 || (lastDayOfMonth && day == length)
        if starDayOfWeek { return domMatch }
        let bit = UInt8(1) << UInt8(weekday)
        let dowMatch =
            weekdays & bit != 0
            || nthWeekdays[weekday] & (UInt8(1) << UInt8((day - 1) / 7)) != 0
            || (lastWeekdays & bit != 0 && day + 7 > length)
        return starDayOfMonth ? dowMatch : domMatch || dowMatch
    }
}

/// A cron expression that does not parse; the message names the expression and the offending field.
public struct CronExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var expression: String
    public var reason: String
    public var description: String { "invalid cron expression \"\(expression)\": \(reason)" }
}
