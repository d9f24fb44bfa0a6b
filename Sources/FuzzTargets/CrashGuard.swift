// Sources/FuzzTargets/CrashGuard.swift - saves the input that trapped or hung the process before it dies

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A trap (Swift's runtime checks end in SIGILL/SIGTRAP), a bad access or an abort kills the process mid-input;
/// a hang never returns from it. Either way the input must survive as a fixture. The runner copies every input
/// into a buffer allocated up front; a signal handler writes that buffer to `<fixtures>/<target>/crash-<hash>`
/// with only system calls (no allocation, no locks: it runs in the middle of a crash) and hands the signal on to
/// the handler before it (Swift's backtracer), and a watchdog thread writes `hang-<hash>` and exits when one
/// input takes longer than its budget.
public enum CrashGuard {
    static let capacity = 1 << 20
    nonisolated(unsafe) static let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) static let length = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// `<fixtures>/<target>/` as a C string, and room behind it for the file name.
    nonisolated(unsafe) static let path = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
    nonisolated(unsafe) static let directoryLength = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 32)
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]
    /// Monotonic nanoseconds when the current input started; 0 between inputs.
    static let startedNs = Atomic<Int>(0)
    static let budgetNs = Atomic<Int>(Int.max)
    static let installed = Mutex(false)

    /// Points the handlers at `target`'s fixture directory (created now) and starts the watchdog once.
    public static func arm(target: String, inputBudget: Duration, save: Bool) {
        let directory = RepositoryLayout.fixtures.appendingPathComponent(target).path + "/"
        if save { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let utf8 = Array((save ? directory : "/dev/null/").utf8.prefix(3000))
        for (index, byte) in utf8.enumerated() { path[index] = CChar(bitPattern: byte) }
        directoryLength.pointee = utf8.count
        budgetNs.store(Int(inputBudget.components.seconds) * 1_000_000_000 + Int(inputBudget.components.attoseconds / 1_000_000_000), ordering: .relaxed)
        let first = installed.withLock { installed in
            defer { installed = true }
            return !installed
        }
        guard first else { return }
        for signal in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = crashHandler
            #else
            action.__sigaction_u.__sa_handler = crashHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, previous + Int(signal))
        }
        let watchdog = Thread { watch() }
        watchdog.name = "fuzz-watchdog"
        watchdog.start()
    }

    /// Records `input` as the one running now.
    public static func begin(_ input: [UInt8]) {
        let count = min(input.count, capacity)
        input.withUnsafeBufferPointer { source in
            // An empty array may have no storage at all.
            if let base = source.baseAddress, count > 0 { buffer.update(from: base, count: count) }
        }
        length.pointee = count
        startedNs.store(monotonicNs(), ordering: .releasing)
    }

    public static func end() {
        startedNs.store(0, ordering: .releasing)
    }

    static func monotonicNs() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }

    /// Checks ten times a second whether one input has run past its budget.
    private static func watch() {
        while true {
            usleep(100_000)
            let started = startedNs.load(ordering: .acquiring)
            guard started != 0, monotonicNs() - started > budgetNs.load(ordering: .relaxed) else { continue }
            let saved = writeInput(kind: "hang")
            let message = "fuzz: an input ran longer than its budget (a hang); " + (saved ? "saved as \(String(cString: path))" : "not saved") + "\n"
            FileHandle.standardError.write(Data(message.utf8))
            _exit(3)
        }
    }

    /// Writes the current input as `<kind>-<hash>` into the armed directory with system calls only.
    @discardableResult
    static func writeInput(kind: StaticString) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0..<length.pointee {
            hash ^= UInt64(buffer[index])
            hash &*= 0x100_0000_01b3
        }
        var cursor = directoryLength.pointee
        kind.withUTF8Buffer { name in
            for byte in name {
                path[cursor] = CChar(bitPattern: byte)
                cursor += 1
            }
        }
        path[cursor] = CChar(bitPattern: UInt8(ascii: "-"))
        cursor += 1
        let digits: StaticString = "0123456789abcdef"
        for shift in stride(from: 60, through: 0, by: -4) {
            path[cursor] = CChar(bitPattern: digits.utf8Start[Int((hash >> UInt64(shift)) & 0xF)])
            cursor += 1
        }
        path[cursor] = 0
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        var written = 0
        while written < length.pointee {
            let result = write(fd, buffer + written, length.pointee - written)
            if result <= 0 { break }
            written += result
        }
        close(fd)
        return written == length.pointee
    }
}

/// The signal handler: save the input, say where, then let the previous handler (or the default) take over.
private func crashHandler(_ signal: Int32) {
    // The backtracer that runs next takes seconds; that is not a hang.
    CrashGuard.budgetNs.store(Int.max, ordering: .relaxed)
    let saved = CrashGuard.writeInput(kind: "crash")
    let head: StaticString = "\nfuzz: crashed on an input; saved as "
    head.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
    if saved {
        _ = write(2, CrashGuard.path, strlen(CrashGuard.path))
    } else {
        let none: StaticString = "(could not save)"
        none.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
    }
    _ = write(2, "\n", 1)
    sigaction(signal, CrashGuard.previous + Int(signal), nil)
    // A fault re-executes and reaches the previous handler; a raised signal (abort) has to be raised again.
    if signal == SIGABRT { raise(signal) }
}
