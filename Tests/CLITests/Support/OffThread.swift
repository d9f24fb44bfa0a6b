// Tests/CLITests/Support/OffThread.swift - blocking test work on a thread of its own

import Foundation

/// Runs blocking work (a plain-socket read, say) on a new thread and awaits it. On the cooperative
/// pool it would stall every other test: there are only as many of those threads as cores.
enum OffThread {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
