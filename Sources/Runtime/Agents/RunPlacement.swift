// Sources/Runtime/Agents/RunPlacement.swift - a run, its model stream and its upstream connection on one event loop

import NIOCore
import NIOPosix

/// Where a run's tasks execute. A streamed reply crosses three tasks per token (the upstream body reader, the
/// provider's fallback loop, the run) and each hand-off between threads is a wake-up; on the loop that also reads
/// the upstream socket (AsyncHTTPClient opens the connection on the loop it is called from) they are not.
///
/// Unstructured tasks do not inherit a task executor preference, so the providers read it from here, where task
/// locals are inherited.
enum RunPlacement {
    @TaskLocal static var executor: (any TaskExecutor)?

    /// A loop of the process's event loop group for a new run.
    static func next() -> any TaskExecutor {
        EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
    }

    /// True on a thread of an event loop, where nothing may block.
    static var onEventLoop: Bool { MultiThreadedEventLoopGroup.currentEventLoop != nil }
}
