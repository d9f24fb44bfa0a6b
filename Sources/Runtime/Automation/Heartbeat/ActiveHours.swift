// Sources/Runtime/Automation/Heartbeat/ActiveHours.swift - when heartbeats may run

import Foundation

/// `activeHours: {start: "HH:MM", end: "HH:MM", timezone?}` (upstream's `heartbeat-active-hours.ts`).
/// `start` is inclusive, `end` exclusive (`24:00` is midnight); `end < start` wraps midnight and
/// `start == end` is never active. A malformed time means always active, as upstream.
struct ActiveHours: Sendable, Equatable {
    let startMinute: Int
    let endMinute: Int
    let timeZone: TimeZone

    /// Nil when the setting is absent or malformed (always active).
    init?(start: String?, end: String?, timezone: String?, userTimezone: String?) {
        guard let start = start.flatMap({ Self.minutes($0, allow24: false) }), let end = end.flatMap({ Self.minutes($0, allow24: true) }) else {
            return nil
        }
        startMinute = start
        endMinute = end
        timeZone = Self.zone(timezone, userTimezone: userTimezone)
    }

    func contains(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        if startMinute == endMinute { return false }
        if startMinute < endMinute { return minute >= startMinute && minute < endMinute }
        return minute >= startMinute || minute < endMinute
    }

    /// `HH:MM` → minutes after midnight.
    static func minutes(_ text: String, allow24: Bool) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        if allow24, hour == 24, minute == 0 { return 24 * 60 }
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// `user` (or none) → the user's zone, `local` → the host's, else an IANA id; anything unknown falls back to the user's zone.
    static func zone(_ name: String?, userTimezone: String?) -> TimeZone {
        let user = userTimezone.flatMap { TimeZone(identifier: $0) } ?? .current
        switch name?.trimmingCharacters(in: .whitespaces) {
        case nil, "", "user": return user
        case "local": return .current
        case let id?: return TimeZone(identifier: id) ?? user
        }
    }
}
