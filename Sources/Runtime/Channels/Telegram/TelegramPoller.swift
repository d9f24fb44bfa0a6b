// Sources/Runtime/Channels/Telegram/TelegramPoller.swift - the getUpdates long-poll loop with backoff

/// Exponential backoff between failed polls: `initial`, doubling, at most `max`; reset by a success.
public struct TelegramBackoff: Sendable {
    public var initial: Duration
    public var max: Duration

    public init(initial: Duration = .seconds(1), max: Duration = .seconds(30)) {
        self.initial = initial
        self.max = max
    }

    func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<Swift.max(failures, 1) {
            delay = delay * 2
            if delay >= max { return max }
        }
        return Swift.min(delay, max)
    }
}

/// What the poll loop tells its owner (for status, probes and logs).
public enum TelegramPollEvent: Sendable {
    /// A `getUpdates` call completed (with or without updates).
    case polled(updates: Int)
    /// A call failed and the loop waits `delay` before the next one.
    case retrying(TelegramAPIError, delay: Duration)
}

/// Long-polls `getUpdates` and hands each batch to `handle` in order, confirming a batch (by
/// asking for `update_id + 1` next) only after `handle` returns. 429 waits `retry_after`;
/// 409 (another poller or a webhook), network failures and Telegram 5xx back off and retry;
/// a bad token (401) ends the loop with that error. Cancellation ends it quietly.
public struct TelegramPoller: Sendable {
    public var api: TelegramBotAPI
    /// Seconds Telegram holds an empty `getUpdates` open.
    public var timeout: Int
    public var allowedUpdates: [String]?
    public var backoff: TelegramBackoff

    public init(api: TelegramBotAPI, timeout: Int = 30, allowedUpdates: [String]? = ["message"], backoff: TelegramBackoff = .init()) {
        self.api = api
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
        self.backoff = backoff
    }

    public func run(
        startingAt offset: Int? = nil,
        onEvent: @Sendable (TelegramPollEvent) -> Void = { _ in },
        handle: @Sendable ([TelegramUpdate]) async -> Void
    ) async throws(TelegramAPIError) {
        var offset = offset
        var failures = 0
        while !Task.isCancelled {
            let updates: [TelegramUpdate]
            do {
                updates = try await api.getUpdates(offset: offset, timeout: timeout, allowedUpdates: allowedUpdates)
            } catch {
                if Task.isCancelled { return }
                let delay: Duration
                switch error.kind {
                case .unauthorized:
                    throw error
                case .rateLimited:
                    delay = .seconds(Swift.max(error.retryAfter ?? 1, 1))
                default:
                    failures += 1
                    delay = backoff.delay(afterFailures: failures)
                }
                onEvent(.retrying(error, delay: delay))
                do { try await Task.sleep(for: delay) } catch { return }
                continue
            }
            failures = 0
            onEvent(.polled(updates: updates.count))
            guard let last = updates.map(\.updateId).max() else { continue }
            await handle(updates.sorted { $0.updateId < $1.updateId })
            offset = last + 1
        }
    }
}
