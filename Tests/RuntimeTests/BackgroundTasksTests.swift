// Tests/RuntimeTests/BackgroundTasksTests.swift - owned background work: counted, cancelled and awaited at shutdown

import Runtime
import Synchronization
import Testing

@Suite("background tasks")
struct BackgroundTasksTests {
    @Test func shutdownCancelsRunningWorkAndWaitsForIt() async {
        let tasks = BackgroundTasks()
        let (started, startedSink) = AsyncStream.makeStream(of: Void.self)
        let sawCancellation = Mutex(false)
        tasks.spawn {
            startedSink.yield()
            // Sleeps "forever" unless cancelled.
            try? await Task.sleep(for: .seconds(3600))
            sawCancellation.withLock { $0 = Task.isCancelled }
        }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        #expect(tasks.count == 1)
        await tasks.shutdown(grace: .seconds(60))
        #expect(sawCancellation.withLock { $0 })
        #expect(tasks.count == 0)
    }

    @Test func finishedWorkIsForgottenAndLateWorkStartsCancelled() async {
        let tasks = BackgroundTasks()
        let (done, doneSink) = AsyncStream.makeStream(of: Bool.self)
        tasks.spawn { doneSink.yield(Task.isCancelled) }
        var iterator = done.makeAsyncIterator()
        #expect(await iterator.next() == false)
        tasks.cancelAll()
        tasks.spawn { doneSink.yield(Task.isCancelled) }
        #expect(await iterator.next() == true, "work spawned after shutdown runs, already cancelled")
        await tasks.shutdown(grace: .seconds(60))
        #expect(tasks.count == 0)
    }
}
