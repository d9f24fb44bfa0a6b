// Sources/Runtime/Agents/Providers/StreamingCall.swift - POST, retry, timeouts and SSE shared by both APIs

import AsyncHTTPClient
import Foundation
import NIOCore
import ProtocolSupport
import Synchronization

/// Turns one API's server-sent events into `ModelEvent`s; a fresh one is made per attempt.
protocol SSETranslator {
    /// Events for one SSE event; throws `ProviderError.upstream` for an error the provider streamed.
    mutating func translate(_ event: SSEEvent) throws -> [ModelEvent]
    /// True once the API's end marker arrived (`[DONE]`, `message_stop`).
    var isDone: Bool { get }
    /// Events owed when the body ended; throws when it ended before the model finished.
    mutating func finish() throws -> [ModelEvent]
}

/// One streamed model call: the HTTP request plus what governs it. Both providers build one of
/// these and hand it a translator, so retry, timeout and cancellation behave the same for both.
struct StreamingCall: Sendable {
    var provider: String
    var client: HTTPClient
    var url: String
    var headers: [(String, String)]
    var body: [UInt8]
    var timeouts: ProviderTimeouts
    var retry: ProviderRetryPolicy

    /// A call whose body is `json`; a body that cannot be encoded ends the stream at once.
    static func stream(
        provider: String, client: HTTPClient, url: String, headers: [(String, String)], json: JSONValue, timeouts: ProviderTimeouts,
        retry: ProviderRetryPolicy, translator: @escaping @Sendable () -> any SSETranslator
    ) -> AsyncThrowingStream<ModelEvent, any Error> {
        let body: [UInt8]
        do {
            body = try WireJSON.encode(json)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        let call = StreamingCall(provider: provider, client: client, url: url, headers: headers, body: body, timeouts: timeouts, retry: retry)
        return call.run(translator)
    }

    func run(_ makeTranslator: @escaping @Sendable () -> any SSETranslator) -> AsyncThrowingStream<ModelEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ModelEvent.self)
        let task = Task {
            let watchdog = Watchdog(provider: provider, total: timeouts.total)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.attempts(continuation, watchdog, makeTranslator) }
                    group.addTask { try await watchdog.run() }
                    try await group.next()
                    group.cancelAll()
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        // The consumer stopping (break, cancellation, deinit) cancels the request, which closes the connection.
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func attempts(
        _ continuation: AsyncThrowingStream<ModelEvent, any Error>.Continuation,
        _ watchdog: Watchdog,
        _ makeTranslator: () -> any SSETranslator
    ) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "text/event-stream")
        request.body = .bytes(ByteBuffer(bytes: body))

        var attempt = 0
        while true {
            attempt += 1
            watchdog.arm(.connect, after: timeouts.connect)
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, deadline: .distantFuture)
            } catch {
                throw mapped(error)
            }
            guard (200..<300).contains(response.status.code) else {
                let status = Int(response.status.code)
                let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
                let error = ProviderError.http(provider: provider, status: status, message: Self.errorMessage(body, reason: response.status.reasonPhrase))
                // A Retry-After longer than the policy allows fails now, so a fallback model can answer instead.
                let wait = Self.retryAfter { response.headers.first(name: $0) } ?? retry.delay(afterAttempt: attempt)
                if status == 429 || status >= 500, attempt < retry.maxAttempts, wait <= retry.maxDelay {
                    watchdog.arm(.connect, after: nil)
                    try await Task.sleep(for: wait)
                    continue
                }
                throw error
            }
            watchdog.arm(.firstToken, after: timeouts.firstToken)
            var parser = SSEParser()
            var translator = makeTranslator()
            var started = false
            func handle(_ sse: SSEEvent) throws {
                if started { watchdog.arm(.idle, after: timeouts.idle) }
                for event in try translator.translate(sse) {
                    if event.isOutput, !started {
                        started = true
                        watchdog.arm(.idle, after: timeouts.idle)
                    }
                    continuation.yield(event)
                }
            }
            do {
                for try await chunk in response.body {
                    for sse in parser.feed(chunk.readableBytesView) {
                        try handle(sse)
                        if translator.isDone { return }
                    }
                }
                if let sse = parser.finish() { try handle(sse) }
                if translator.isDone { return }
                for event in try translator.finish() { continuation.yield(event) }
                return
            } catch {
                throw mapped(error)
            }
        }
    }

    private func mapped(_ error: any Error) -> any Error {
        if error is ProviderError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        return ProviderError.transport(provider: provider, message: "\(error)")
    }

    /// The provider's own message from a JSON error body (`{"error":{"message":…}}`, `{"message":…}`,
    /// `{"error":"…"}`), else the body text, else the status reason.
    static func errorMessage(_ body: ByteBuffer, reason: String) -> String {
        let text = String(buffer: body)
        if let json = try? JSONValue(parsing: text) {
            if let message = json["error"]?["message"]?.stringValue ?? json["message"]?.stringValue ?? json["error"]?.stringValue {
                return message
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? reason : String(trimmed.prefix(500))
    }

    /// `retry-after-ms` (OpenAI) or `Retry-After` in seconds (fractions accepted); HTTP dates fall back to backoff.
    static func retryAfter(_ header: (String) -> String?) -> Duration? {
        if let ms = header("retry-after-ms").flatMap(Double.init), ms >= 0 {
            return .milliseconds(ms)
        }
        if let seconds = header("retry-after").flatMap(Double.init), seconds >= 0 {
            return .milliseconds(seconds * 1000)
        }
        return nil
    }
}

/// Enforces the phase deadline (connect / first token / idle) and the total deadline by throwing
/// from a sibling task, which cancels the request.
final class Watchdog: Sendable {
    private struct State {
        var kind: ProviderTimeoutKind = .connect
        var deadline: ContinuousClock.Instant?
    }

    private let provider: String
    private let total: ContinuousClock.Instant?
    private let state = Mutex(State())
    /// Upper bound on one sleep, so a phase deadline set earlier than the one being slept on is noticed.
    private static let recheck: Duration = .milliseconds(50)

    init(provider: String, total: Duration?) {
        self.provider = provider
        self.total = total.map { ContinuousClock.now + $0 }
    }

    /// Starts a phase; `nil` leaves only the total deadline running.
    func arm(_ kind: ProviderTimeoutKind, after duration: Duration?) {
        let deadline = duration.map { ContinuousClock.now + $0 }
        state.withLock { $0 = State(kind: kind, deadline: deadline) }
    }

    func run() async throws {
        while true {
            let current = state.withLock { $0 }
            var next: (ContinuousClock.Instant, ProviderTimeoutKind)? = total.map { ($0, .total) }
            if let deadline = current.deadline, next == nil || deadline < next!.0 { next = (deadline, current.kind) }
            let now = ContinuousClock.now
            if let (deadline, kind) = next, now >= deadline {
                throw ProviderError.timeout(provider: provider, kind: kind)
            }
            let wake = min(next?.0 ?? now + Self.recheck, now + Self.recheck)
            try await Task.sleep(until: wake, clock: .continuous)
        }
    }
}
