// Sources/Runtime/Automation/CivilTime.swift - wall-clock dates as plain integers, and their instants in a time zone

import Foundation

/// A proleptic Gregorian wall-clock time with no zone. The cron search does its field arithmetic here, in integers,
/// because a `Calendar` round trip per step costs microseconds and hides what happens at daylight-saving changes.
/// Fields may run one past their range after a carry (hour 24, day 32, month 13); the search normalises them.
struct CivilTime: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    /// The wall time `epochSeconds` seconds after 1970-01-01T00:00:00 (already shifted by the zone's offset).
    init(epochSeconds: Int64) {
        let days = Int(epochSeconds.floorDiv(86_400))
        let rest = Int(epochSeconds - Int64(days) * 86_400)
        (year, month, day) = Self.civil(fromDays: days)
        (hour, minute, second) = (rest / 3600, rest / 60 % 60, rest % 60)
    }

    /// Seconds since the epoch of this wall time read as UTC.
    var epochSeconds: Int64 {
        Int64(Self.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The instant this wall time names in `zone`, resolved exactly as croner's `minitz.fromTZ` resolves it, so runs
    /// near daylight-saving changes land where upstream's do: a wall time skipped by spring forward moves forward by
    /// the gap (02:30 → 03:30); a wall time that exists twice takes the offset in force at the wall time read as UTC,
    /// which is the first occurrence west of Greenwich and the second east of it.
    func instant(in zone: TimeZone) -> Int64 {
        func offset(_ seconds: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))) }
        let wall = epochSeconds
        let firstOffset = offset(wall)
        let guess = wall - firstOffset
        let guessOffset = offset(guess)
        if guessOffset == firstOffset { return guess }
        let secondGuess = wall - guessOffset
        let secondOffset = offset(secondGuess)
        return secondOffset >= guessOffset ? secondGuess : guess
    }

    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 0 = Sunday.
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let days = Self.days(year: year, month: month, day: day)
        return ((days % 7) + 7 + 4) % 7
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(year:month:day:)`.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (Swift's `/` truncates toward zero).
    func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
