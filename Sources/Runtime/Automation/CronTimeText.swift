// Sources/Runtime/Automation/CronTimeText.swift - ISO times, durations (`2h30m`) and relative times (`+20m`) as text

import Foundation

/// The time texts jobs, the CLI and config use, read as upstream reads them (`cron/parse.ts`,
/// `cli/parse-duration.ts`), so `--at`, `--every` and a hand-edited `schedule.at` mean the same in both gateways.
public enum CronTimeText {
    /// A duration unit; `defaultUnit` applies to a bare number.
    public enum Unit: String, Sendable, CaseIterable {
        case ms, s, m, h, d

        public var milliseconds: Double {
            switch self {
            case .ms: 1
            case .s: 1000
            case .m: 60_000
            case .h: 3_600_000
            case .d: 86_400_000
            }
        }
    }

    /// Milliseconds in `text`: `500ms`, `10s`, `30m`, `1h`, `1d`, `1.5h`, or a sum of such parts (`2h30m`, `1d 2h`);
    /// a bare number is in `defaultUnit`. Case and surrounding spaces are ignored; the result is rounded to whole ms.
    /// - Throws: `CronTimeTextError` with upstream's messages (`invalid duration: …`, `invalid duration (empty)`).
    public static func durationMs(_ text: String, defaultUnit: Unit = .ms) throws(CronTimeTextError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !trimmed.isEmpty else { throw CronTimeTextError(message: "invalid duration (empty)") }
        let invalid = CronTimeTextError(message: "invalid duration: \(text)")
        var rest = Substring(trimmed)
        var total = 0.0
        var parts = 0
        while !rest.isEmpty {
            rest = rest.drop(while: { $0 == " " })
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number.first != ".", number.last != ".", let value = Double(number) else { throw invalid }
            rest = rest.dropFirst(number.count)
            let letters = rest.prefix(while: { $0.isASCII && $0.isLetter })
            rest = rest.dropFirst(letters.count)
            let unit: Unit
            if letters.isEmpty {
                // A bare number only stands alone: `2h30` is a typo, not 2 h + 30 ms.
                guard parts == 0, rest.isEmpty else { throw invalid }
                unit = defaultUnit
            } else {
                guard let named = Unit(rawValue: String(letters)) else { throw invalid }
                unit = named
            }
            total += value * unit.milliseconds
            parts += 1
        }
        guard total.isFinite, total < 9.0e15 else { throw invalid }
        if total > 0 && total.rounded() == 0 { throw CronTimeTextError(message: "duration too small: \(text) (underflow)") }
        return Int64(total.rounded())
    }

    /// An absolute time in ms since the epoch, or nil: all digits = epoch ms; `YYYY-MM-DD` = that midnight UTC;
    /// `YYYY-MM-DDTHH:mm[:ss[.fff]]` with `Z`, `±HH:MM` or `±HHMM`, and UTC when the zone is missing (a space may
    /// stand for the `T`).
    public static func absoluteMs(_ text: String) -> Int64? {
        let raw = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !raw.isEmpty else { return nil }
        if raw.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard raw.count <= 16, let value = Int64(raw), value > 0 else { return nil }
            return value
        }
        return parseISO(Array(raw.utf8))
    }

    /// `--at` of the CLI: an absolute time (see `absoluteMs`), or a duration from now with or without a leading `+`
    /// (`+20m`, `20m`).
    public static func atMs(_ text: String, nowMs: Int64) throws(CronTimeTextError) -> Int64 {
        if let absolute = absoluteMs(text) { return absolute }
        var relative = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if relative.hasPrefix("+") { relative.removeFirst() }
        guard let duration = try? durationMs(relative, defaultUnit: .ms) else {
            throw CronTimeTextError(message: "invalid --at; use ISO time or duration like 20m (got \(text))")
        }
        return nowMs + duration
    }

    /// `2026-02-01T16:00:00.000Z`, as JavaScript's `toISOString` writes it.
    public static func isoString(ms: Int64) -> String {
        let seconds = ms.floorDiv(1000)
        let wall = CivilTime(epochSeconds: seconds)
        let millis = Int(ms - seconds * 1000)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(wall.year, 4))-\(pad(wall.month, 2))-\(pad(wall.day, 2))T\(pad(wall.hour, 2)):\(pad(wall.minute, 2)):"
            + "\(pad(wall.second, 2)).\(pad(millis, 3))Z"
    }

    private static func parseISO(_ bytes: [UInt8]) -> Int64? {
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2) else { return nil }
        guard (1...12).contains(month), (1...CivilTime.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var millis = 0
        var offsetMinutes = 0
        if index < bytes.count {
            guard take(0x54) || take(0x74) || take(0x20), let h = number(2), take(0x3A), let m = number(2) else { return nil }
            (hour, minute) = (h, m)
            if take(0x3A) {
                guard let s = number(2) else { return nil }
                second = s
                if take(0x2E) || take(0x2C) {
                    let start = index
                    while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                    guard index > start else { return nil }
                    let digits = (bytes[start..<min(index, start + 3)].map { Int($0 - 0x30) } + [0, 0, 0]).prefix(3)
                    millis = digits.reduce(0) { $0 * 10 + $1 }
                }
            }
            guard hour <= 23 || (hour == 24 && minute == 0 && second == 0 && millis == 0), minute <= 59, second <= 59 else { return nil }
            if take(0x5A) || take(0x7A) {
                offsetMinutes = 0
            } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
                let sign = bytes[index] == 0x2D ? -1 : 1
                index += 1
                guard let oh = number(2) else { return nil }
                _ = take(0x3A)
                guard let om = number(2), oh <= 23, om <= 59 else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
            }
        }
        guard index == bytes.count else { return nil }
        let wall = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).epochSeconds
        return (wall - Int64(offsetMinutes) * 60) * 1000 + Int64(millis)
    }
}

/// A time or duration text that does not parse.
public struct CronTimeTextError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
