// Sources/Runtime/Agents/Providers/ModelProvider.swift - the one interface runs use to talk to a model

/// A streaming model client. Cancelling the iterating task, or releasing the stream before it
/// ended, closes the upstream HTTP request (its connection is closed, not reused).
public protocol ModelProvider: Sendable {
    /// The provider id errors name (`openai`, `anthropic`, a `models.providers` key).
    var id: String { get }
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error>
}

/// Limits that turn a stuck upstream into an error instead of a hang. `nil` disables one.
public struct ProviderTimeouts: Sendable, Hashable {
    /// Until the response head arrives (connect, TLS, request upload, server think time before headers).
    public var connect: Duration?
    /// From the response head until the first text or tool-call output.
    public var firstToken: Duration?
    /// Between two server-sent events once output has started.
    public var idle: Duration?
    /// The whole stream, retries included (`agents.defaults.timeoutSeconds`).
    public var total: Duration?

    public init(connect: Duration? = .seconds(30), firstToken: Duration? = .seconds(120), idle: Duration? = .seconds(120), total: Duration? = .seconds(600)) {
        self.connect = connect
        self.firstToken = firstToken
        self.idle = idle
        self.total = total
    }
}

/// Retries for 429 and 5xx answers, only while nothing has been streamed yet.
public struct ProviderRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Exponential backoff: base, 2×base, 4×base … capped at `maxDelay`.
    func delay(afterAttempt attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 20)
        return min(baseDelay * factor, maxDelay)
    }
}
