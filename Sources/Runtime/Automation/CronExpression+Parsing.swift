// Sources/Runtime/Automation/CronExpression+Parsing.swift - one cron field's text → the set of values it allows

/// The six fields of a cron expression, with the names error messages use and the values each allows.
enum CronField: Sendable {
    case second, minute, hour, dayOfMonth, month, dayOfWeek

    var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Day of week allows 7 (Sunday again), as croner does.
    var range: ClosedRange<Int> {
        switch self {
        case .second, .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The largest step croner accepts: the number of values in the field.
    var maxStep: Int {
        switch self {
        case .second, .minute: 60
        case .hour: 24
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Plain ASCII digits only (`Int("+5")` would accept a sign).
    static func digits(_ token: Substring) -> Int? {
        guard !token.isEmpty, token.count <= 9, token.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(token)
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// A number, or in the month and weekday fields a three-letter name in any case. `isUpper` reads `SUN` as 7 so
    /// `MON-SUN` is a valid range (croner's `-sun` → `-7`).
    func value(_ token: Substring, isUpper: Bool = false) -> Int? {
        if let number = Self.digits(token) { return number }
        let lower = token.lowercased()
        switch self {
        case .month: return Self.monthNames.firstIndex(of: lower).map { $0 + 1 }
        case .dayOfWeek:
            guard let index = Self.dayNames.firstIndex(of: lower) else { return nil }
            return index == 0 && isUpper ? 7 : index
        default: return nil
        }
    }
}

extension CronExpression {
    typealias Failure = (CronField, String, String) -> CronExpressionError

    /// A field without `L` or `#`: each comma-separated part is `*`, `n`, `a-b`, or one of those (or empty) with `/step`.
    static func parseField(_ text: String, _ field: CronField, _ fail: Failure) throws(CronExpressionError) -> UInt64 {
        var mask: UInt64 = 0
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            for value in try values(of: part, field, text, fail) { mask |= 1 << UInt64(value) }
        }
        return mask
    }

    /// The values one list element allows.
    static func values(of part: Substring, _ field: CronField, _ text: String, _ fail: Failure) throws(CronExpressionError) -> [Int] {
        guard !part.isEmpty else { throw fail(field, text, "has an empty list element") }
        if part.contains(where: { $0 == "W" || $0 == "w" }) && field == .dayOfMonth {
            throw fail(field, text, "uses W (nearest weekday), which is not supported")
        }
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw fail(field, text, "has more than one step") }
        var step = 1
        if pieces.count == 2 {
            guard let parsed = CronField.digits(pieces[1]) else { throw fail(field, text, "has a step that is not a number") }
            guard parsed >= 1 else { throw fail(field, text, "has step 0") }
            guard parsed <= field.maxStep else { throw fail(field, text, "has step \(parsed), larger than \(field.maxStep)") }
            step = parsed
        }
        let base = pieces[0]
        let lower: Int
        var upper: Int
        if base == "*" || base == "?" || base.isEmpty {
            guard base != "?" || field == .dayOfMonth || field == .dayOfWeek else {
                throw fail(field, text, "uses ?, which only day-of-month and day-of-week allow")
            }
            guard !base.isEmpty || pieces.count == 2 else { throw fail(field, text, "has an empty list element") }
            (lower, upper) = (field.range.lowerBound, field.range.upperBound)
            // `*` in day of week is 0-6: 7 would only repeat Sunday.
            if field == .dayOfWeek { upper = 6 }
        } else if let dash = base.firstIndex(of: "-") {
            guard let from = field.value(base[..<dash]), let to = field.value(base[base.index(after: dash)...], isUpper: true) else {
                throw fail(field, text, "is not a number or range")
            }
            guard field.range.contains(from), field.range.contains(to) else {
                throw fail(field, text, "out of range \(field.range.lowerBound)-\(field.range.upperBound)")
            }
            guard from <= to else { throw fail(field, text, "has a range whose start is after its end") }
            (lower, upper) = (from, to)
        } else {
            guard let value = field.value(base) else { throw fail(field, text, "is not a number") }
            guard field.range.contains(value) else {
                throw fail(field, text, "out of range \(field.range.lowerBound)-\(field.range.upperBound)")
            }
            // `a/n` runs from a to the field's end, as in croner.
            (lower, upper) = (value, pieces.count == 2 ? (field == .dayOfWeek ? 6 : field.range.upperBound) : value)
        }
        var result: [Int] = []
        for value in stride(from: lower, through: upper, by: step) {
            result.append(field == .dayOfWeek && value == 7 ? 0 : value)
        }
        return result
    }

    /// Day of month, with `L` (the month's last day) as an extra list element.
    mutating func parseDayOfMonth(_ text: String, _ fail: Failure) throws(CronExpressionError) {
        starDayOfMonth = text == "*" || text == "?"
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            if part == "L" || part == "l" {
                lastDayOfMonth = true
                continue
            }
            for value in try Self.values(of: part, .dayOfMonth, text, fail) { daysOfMonth |= 1 << UInt64(value) }
        }
    }

    /// Day of week, with `d#n` (the nth such weekday of the month, n 1–5) and `dL` (the last one).
    mutating func parseDayOfWeek(_ text: String, _ fail: Failure) throws(CronExpressionError) {
        starDayOfWeek = text == "*" || text == "?"
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let hash = part.firstIndex(of: "#") {
                let day = try singleWeekday(part[..<hash], text, fail)
                guard let nth = CronField.digits(part[part.index(after: hash)...]), (1...5).contains(nth) else {
                    throw fail(.dayOfWeek, text, "has an nth weekday outside 1-5")
                }
                nthWeekdays[day] |= 1 << UInt8(nth - 1)
            } else if part.count > 1, part.last == "L" || part.last == "l" {
                lastWeekdays |= 1 << UInt8(try singleWeekday(part.dropLast(), text, fail))
            } else {
                for value in try Self.values(of: part, .dayOfWeek, text, fail) { weekdays |= 1 << UInt8(value) }
            }
        }
    }

    private func singleWeekday(_ token: Substring, _ text: String, _ fail: Failure) throws(CronExpressionError) -> Int {
        guard let day = CronField.dayOfWeek.value(token) else { throw fail(.dayOfWeek, text, "is not a weekday") }
        guard CronField.dayOfWeek.range.contains(day) else { throw fail(.dayOfWeek, text, "out of range 0-7") }
        return day % 7
    }
}
