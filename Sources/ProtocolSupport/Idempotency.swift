// Sources/ProtocolSupport/Idempotency.swift - the words of a method's `idempotency:` rule

/// How a method with an idempotency key answers a retry (spec `idempotency:`). The generated dispatcher
/// hands the key and this rule to `GatewayMethodHandler.idempotent`, which runs the handler at most once
/// per key and replays its answer.
public struct IdempotencyRule: Sendable, Hashable {
    /// What a retry gets while the first attempt still runs.
    public enum WhileRunning: String, Sendable, Hashable {
        /// The interim answer the handler recorded when it claimed the key (`agent`'s accepted ack).
        case interim
        /// The first attempt's final answer, once it has one (`send` coalesces concurrent duplicates).
        case wait
    }

    /// What happens to a claimed key when the handler throws.
    public enum OnError: String, Sendable, Hashable {
        /// The error is the key's answer: a retry gets it again.
        case replay
        /// The key is forgotten: a retry runs again.
        case retry
    }

    /// The key's prefix in the dedupe map (`agent` for `agent:<key>`).
    public var namespace: Swift.String
    public var whileRunning: WhileRunning
    public var errors: OnError

    public init(namespace: Swift.String, whileRunning: WhileRunning = .interim, errors: OnError = .retry) {
        self.namespace = namespace
        self.whileRunning = whileRunning
        self.errors = errors
    }
}

/// One request's idempotency key under its method's rule.
public struct IdempotencyKey: Sendable, Hashable {
    public var rule: IdempotencyRule
    /// The key as the client sent it.
    public var value: Swift.String

    public init(_ value: Swift.String, rule: IdempotencyRule) {
        self.value = value
        self.rule = rule
    }

    /// The entry's name in the dedupe map: `<namespace>:<key>`.
    public var scoped: Swift.String { "\(rule.namespace):\(value)" }
}
