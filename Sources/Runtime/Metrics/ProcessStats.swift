// Sources/Runtime/Metrics/ProcessStats.swift - this process's memory and open files, read from /proc

import Foundation

/// Linux's view of the gateway process, for the metrics' process gauges (nil where `/proc` is missing).
enum ProcessStats {
    /// `VmRSS` of `/proc/self/status`, in bytes.
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kB = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kB * 1024
    }

    /// Entries of `/proc/self/fd` (the directory handle that lists them included).
    static func openFiles() -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count
    }
}
