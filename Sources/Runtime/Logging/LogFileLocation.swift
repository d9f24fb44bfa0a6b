// Sources/Runtime/Logging/LogFileLocation.swift - where the file log lives, shared by the logger and `logs.tail`

import Foundation
import Generated

/// The file log's location: daily files in a directory (rolled, rotated and pruned), or one fixed file (`logging.file`).
public enum LogFileLocation: Sendable, Equatable {
    /// `<directory>/openclaw-YYYY-MM-DD.log`, dated in local time.
    case rolling(directory: String)
    /// A fixed path: no rolling, no rotation, no pruning.
    case fixed(path: String)

    /// Upstream pins the directory to `/tmp`, not `$TMPDIR` (reference/ops.md §9).
    public static let defaultDirectory = "/tmp/openclaw"

    /// `logging.file` when set, else the daily files under `/tmp/openclaw`.
    public init(logging: LoggingConfig?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let file = logging?.file, !file.trimmingCharacters(in: .whitespaces).isEmpty {
            self = .fixed(path: StatePaths.expand(file, home: StatePaths.homeDirectory(environment: environment)))
        } else {
            self = .rolling(directory: Self.defaultDirectory)
        }
    }

    /// The file written to (and read by `logs.tail`) at `date`.
    public func path(at date: Date = Date()) -> String {
        switch self {
        case .fixed(let path): path
        case .rolling(let directory): directory + "/" + Self.dailyName(for: date)
        }
    }

    /// `openclaw-YYYY-MM-DD.log` for the local date of `date`.
    public static func dailyName(for date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "openclaw-%04d-%02d-%02d.log", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
