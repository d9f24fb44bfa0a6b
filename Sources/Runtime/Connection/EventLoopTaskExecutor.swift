// Sources/Runtime/Connection/EventLoopTaskExecutor.swift - run a socket's tasks on its own event loop

import NIOCore

/// A task executor over a NIO event loop. A socket's session prefers the loop that owns the
/// channel, so reading, dispatching and writing a frame stay on one thread instead of hopping
/// between NIO and the cooperative pool (most of a request's latency was those hops).
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    // `eventLoop` is immutable and EventLoop is thread-safe; the class holds no other state.
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
