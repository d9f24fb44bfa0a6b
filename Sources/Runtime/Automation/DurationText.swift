// Sources/Runtime/Automation/DurationText.swift - "30m", "1h30m", "90s" as milliseconds

/// Upstream's duration strings (heartbeat `every`, the CLI's `--every` and `--at +20m`): a number
/// with a unit (`ms`, `s`, `m`, `h`, `d`), several of them summed (`1h30m`), or a bare number in
/// `defaultUnit`.
public enum DurationText {
    public enum Unit: String, Sendable {
        case ms, s, m, h, d

        var milliseconds: Double {
            switch self {
            case .ms: 1
            case .s: 1000
            case .m: 60_000
            case .h: 3_600_000
            case .d: 86_400_000
            }
        }
    }

    /// Milliseconds, or nil when the text is not a duration. Negative values parse (callers treat ≤ 0 as off).
    public static func milliseconds(_ text: String, defaultUnit: Unit = .m) -> Int? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        guard !rest.isEmpty else { return nil }
        var sign = 1.0
        if rest.first == "-" {
            sign = -1
            rest = rest.dropFirst()
        }
        var total = 0.0
        var parts = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let letters = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(letters.count).drop { $0 == " " }
            if letters.isEmpty {
                guard rest.isEmpty, parts == 0 else { return nil }
                total += value * defaultUnit.milliseconds
            } else {
                guard let unit = Unit(rawValue: String(letters)) else { return nil }
                total += value * unit.milliseconds
            }
            parts += 1
        }
        guard total.isFinite, abs(total) < 1e15 else { return nil }
        return Int((sign * total).rounded())
    }
}
