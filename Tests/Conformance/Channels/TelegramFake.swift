// Tests/Conformance/Channels/TelegramFake.swift - a fake Bot API server per test, stopped when the test ends

import Foundation
import Runtime
import Synchronization
import TestUpstream

/// Runs `body` with a started `FakeTelegramServer` and a client for its bot; stops the server after.
enum TelegramFake {
    static let alice = FakeTelegramServer.User(id: 1001, firstName: "Alice", username: "alice")
    static let bob = FakeTelegramServer.User(id: 1002, firstName: "Bob")

    static func with(_ body: (FakeTelegramServer, TelegramBotAPI) async throws -> Void) async throws {
        let fake = FakeTelegramServer()
        let root = await fake.start()
        do {
            try await body(fake, TelegramBotAPI(token: fake.token, apiRoot: root, requestTimeout: .seconds(5)))
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }
}

/// Collects what a poll loop reports, for tests to await.
final class PollRecorder: Sendable {
    let updates: AsyncStream<TelegramUpdate>
    let events: AsyncStream<TelegramPollEvent>
    private let updateSink: AsyncStream<TelegramUpdate>.Continuation
    private let eventSink: AsyncStream<TelegramPollEvent>.Continuation

    init() {
        (updates, updateSink) = AsyncStream.makeStream()
        (events, eventSink) = AsyncStream.makeStream()
    }

    /// Starts `poller` in a task; cancel the task to stop it. The task's value is the error that ended the loop.
    func run(_ poller: TelegramPoller) -> Task<TelegramAPIError?, Never> {
        Task { () async -> TelegramAPIError? in
            do throws(TelegramAPIError) {
                try await poller.run(onEvent: { self.eventSink.yield($0) }, handle: { batch in for update in batch { self.updateSink.yield(update) } })
                return nil
            } catch {
                return error
            }
        }
    }

    func next(_ count: Int) async throws -> [TelegramUpdate] {
        try await within(30) {
            var got: [TelegramUpdate] = []
            for await update in self.updates {
                got.append(update)
                if got.count == count { break }
            }
            return got
        }
    }

    /// The next `count` retry events (polls that succeed are skipped).
    func retries(_ count: Int) async throws -> [(TelegramAPIError, Duration)] {
        try await within(30) {
            var got: [(TelegramAPIError, Duration)] = []
            for await event in self.events {
                if case .retrying(let error, let delay) = event { got.append((error, delay)) }
                if got.count == count { break }
            }
            return got
        }
    }
}
