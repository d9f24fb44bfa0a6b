// Sources/Runtime/Server/RestartController.swift - one place to ask for a gateway restart

import Synchronization

/// Restart requests from anywhere in the process (a restart-class config change, `config.apply`,
/// SIGUSR1). Requests coalesce: while one is pending, later ones only extend its reason.
public final class RestartController: Sendable {
    /// Why and when to restart.
    public struct Request: Sendable, Equatable {
        public var reason: String
        /// Wait this long before draining (`config.apply`'s `restartDelayMs`).
        public var delayMs: Int
        /// Config paths that caused it, if any.
        public var paths: [String]

        public init(reason: String, delayMs: Int = 0, paths: [String] = []) {
            self.reason = reason
            self.delayMs = delayMs
            self.paths = paths
        }
    }

    private let pending = Mutex<Bool>(false)
    public let requests: AsyncStream<Request>
    private let sink: AsyncStream<Request>.Continuation

    public init() {
        (requests, sink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a restart; returns false when one is already pending.
    @discardableResult
    public func request(_ request: Request) -> Bool {
        let first = pending.withLock { pending -> Bool in
            defer { pending = true }
            return !pending
        }
        if first { sink.yield(request) }
        return first
    }

    /// Whether a restart is queued or under way.
    public var isPending: Bool { pending.withLock { $0 } }

    private let draining = Mutex<Bool>(false)

    /// Whether the restart has begun draining: new requests are refused with a retryable error.
    public var isDraining: Bool { draining.withLock { $0 } }

    /// Marks the gateway as draining (the restart's delay is over).
    public func beginDraining() {
        draining.withLock { $0 = true }
    }
}
