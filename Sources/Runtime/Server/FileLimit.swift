// Sources/Runtime/Server/FileLimit.swift - raise the soft open-file limit to the hard one at start-up

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Every socket is a file descriptor, and the usual soft limit (1,024) is reached by a thousand idle
/// clients long before memory or CPU is: then `/health` and new connects fail. The hard limit is what
/// the operator (or systemd's `LimitNOFILE`) allows, so the gateway takes all of it, as servers do.
public enum FileLimit {
    /// Raises `RLIMIT_NOFILE`'s soft limit to its hard limit (capped by `fs.nr_open` when the hard limit is
    /// unlimited). - Returns: the soft limit before and after, or nil when it could not be read.
    @discardableResult
    public static func raiseToHard() -> (before: UInt64, after: UInt64)? {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let before = UInt64(limit.rlim_cur)
        var target = limit.rlim_max
        // RLIM_INFINITY is all ones; no process may actually hold that many.
        if target == rlim_t.max { target = rlim_t(systemMaximum() ?? before) }
        guard target > limit.rlim_cur else { return (before, before) }
        limit.rlim_cur = target
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (before, before) }
        return (before, UInt64(target))
        #else
        return nil
        #endif
    }

    /// The current soft and hard limits (tests, diagnostics).
    public static func current() -> (soft: UInt64, hard: UInt64)? {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
        #else
        return nil
        #endif
    }

    /// `/proc/sys/fs/nr_open`: the kernel's ceiling for a process's descriptors.
    private static func systemMaximum() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/sys/fs/nr_open", encoding: .utf8) else { return nil }
        return UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
