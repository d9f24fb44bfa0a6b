// Sources/Runtime/Diagnostics/OTel/ModelCallObserver.swift - each model-provider call as a span and as metrics

/// Watches the calls `FallbackProvider` makes (one per candidate tried): a client span `openclaw.model.call` under the
/// run's span, and `openclaw_provider_calls_total` / `openclaw_provider_call_duration_seconds`. It is told about each
/// call where the fallback loop already iterates the stream, so observing costs no extra task or hop per token.
struct ModelCallObserver: Sendable {
    let tracer: GatewayTracer
    let metrics: MetricsRecorder

    /// A call to `provider` for `model` starts now.
    func begin(provider: String, model: String) -> ModelCall {
        let span = tracer.start(GatewaySpans.modelCall, kind: .client)
        span.set { attributes in
            attributes["gen_ai.system"] = provider
            attributes["gen_ai.request.model"] = model
        }
        return ModelCall(provider: provider, span: span, metrics: metrics, started: .now)
    }
}

/// One call in flight; `end` it exactly once.
struct ModelCall: Sendable {
    let provider: String
    let span: GatewaySpan
    let metrics: MetricsRecorder
    let started: ContinuousClock.Instant
    private var inputTokens = 0
    private var outputTokens = 0

    init(provider: String, span: GatewaySpan, metrics: MetricsRecorder, started: ContinuousClock.Instant) {
        self.provider = provider
        self.span = span
        self.metrics = metrics
        self.started = started
    }

    mutating func add(_ usage: ModelUsage) {
        inputTokens += usage.inputTokens
        outputTokens += usage.outputTokens
    }

    /// Records the outcome: `ok`, `cancelled` (the run stopped reading), or the error's kind.
    func end(error: (any Error)?, cancelled: Bool) {
        let outcome = cancelled ? "cancelled" : error.map(Self.outcome) ?? "ok"
        metrics.providerCall(provider: provider, outcome: outcome, duration: .now - started)
        span.set { attributes in
            attributes["openclaw.outcome"] = outcome
            if inputTokens > 0 || outputTokens > 0 {
                attributes["gen_ai.usage.input_tokens"] = inputTokens
                attributes["gen_ai.usage.output_tokens"] = outputTokens
            }
            if let status = (error as? ProviderError)?.status { attributes["http.response.status_code"] = status }
            if error != nil, !cancelled { attributes["error.type"] = outcome }
        }
        if error != nil, !cancelled { span.fail(outcome) }
        span.end()
    }

    /// A bounded label for a failure: `ProviderError.kind` (`http`, `rate_limit`, `auth`, `timeout`, …), else `error`.
    static func outcome(_ error: any Error) -> String {
        (error as? ProviderError)?.kind ?? (error is CancellationError ? "cancelled" : "error")
    }
}
