// Sources/gateway-bench/Lifetime.swift - bounds the run: deadline, signals, cleanup, file-descriptor limit

import Foundation
import Synchronization

/// Makes sure the gateway never outlives the bench: an error, the deadline or SIGINT/SIGTERM/SIGHUP
/// stops it (SIGTERM, then SIGKILL), deletes its state directory and exits.
final class Lifetime: Sendable {
    static let shared = Lifetime()

    private let gateway = Mutex<GatewayProcess?>(nil)
    private let signalSources = Mutex<[any DispatchSourceSignal]>([])
    private let exiting = Mutex(false)

    /// The gateway to stop on the way out.
    func track(_ process: GatewayProcess) {
        gateway.withLock { $0 = process }
    }

    /// Turns SIGINT, SIGTERM and SIGHUP into a clean exit.
    func handleSignals() {
        signalSources.withLock { sources in
            sources = [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { self.exit(status: 128 + signalNumber, message: "interrupted by signal \(signalNumber)") }
                source.resume()
                return source
            }
        }
    }

    /// Gives up after `seconds`, whatever is still running.
    func startDeadline(seconds: Double) {
        Task.detached {
            try await Task.sleep(for: .seconds(seconds))
            self.exit(status: 1, message: "gave up: the run took longer than \(Int(seconds)) s (--timeout)")
        }
    }

    /// Prints `message` with the gateway's last log lines, cleans up and exits; once, whoever calls first.
    func exit(status: Int32, message: String) -> Never {
        let first = exiting.withLock { exiting in
            defer { exiting = true }
            return !exiting
        }
        // Stopping the gateway makes the measurement fail too; only the first cause is reported,
        // and later callers wait here for its exit.
        guard first else {
            while true { sleep(60) }
        }
        let process = gateway.withLock { $0 }
        log("error: \(message)")
        if let process {
            let tail = process.logTail()
            if !tail.isEmpty { log("last gateway output:\n\(tail)") }
            process.stopBlocking(grace: .seconds(5))
            process.removeStateDir()
        }
        Foundation.exit(status)
    }

    /// Raises the soft RLIMIT_NOFILE to at least `minimum` (up to the hard limit); the gateway inherits it.
    static func raiseFileLimit(to minimum: UInt64) {
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, UInt64(limit.rlim_cur) < minimum else { return }
        limit.rlim_cur = rlim_t(min(minimum, UInt64(limit.rlim_max)))
        if setrlimit(resource, &limit) != 0 { log("warning: could not raise the open-file limit to \(minimum) (errno \(errno))") }
    }
}
