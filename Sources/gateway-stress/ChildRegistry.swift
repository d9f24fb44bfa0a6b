// Sources/gateway-stress/ChildRegistry.swift - no gateway outlives the command: signals and errors kill what is left

import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gateways still running. SIGINT, SIGTERM and SIGHUP to this command SIGKILL them before it exits;
/// commands also stop them on every path out (`defer`), so this is the net under an interrupted run.
final class ChildRegistry: Sendable {
    static let shared = ChildRegistry()

    private let children = Mutex<[SpawnedGateway]>([])
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    func add(_ gateway: SpawnedGateway) { children.withLock { $0.append(gateway) } }

    /// SIGKILLs every child still running (one that has exited is never signalled, so a reused pid is safe).
    func killAll() {
        for gateway in children.withLock({ $0 }) { gateway.process.signal(SIGKILL) }
    }

    /// Turns SIGINT, SIGTERM and SIGHUP into: kill the children, exit 128 + signal.
    func handleSignals() {
        sources.withLock { sources in
            sources = [SIGINT, SIGTERM, SIGHUP].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    self.killAll()
                    StressLog.say("interrupted by signal \(number); gateways stopped")
                    exit(128 + number)
                }
                source.resume()
                return source
            }
        }
    }
}
