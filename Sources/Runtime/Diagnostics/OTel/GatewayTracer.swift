// Sources/Runtime/Diagnostics/OTel/GatewayTracer.swift - the gateway's own tracer and the spans handlers record

import Tracing

/// The tracer one gateway records its spans with: swift-otel's OTLP tracer while `diagnostics.otel` exports traces,
/// else nothing (no span is made, so tracing costs a nil check).
///
/// Owned by the gateway and reached through the hub, like `MetricsRecorder`, rather than installed with
/// `InstrumentationSystem.bootstrap`: that can run once per process, and tests start many gateways in one process,
/// each with its own collector or none. Parent spans still travel the standard way, in `InstrumentationContext.current`
/// (a task-local), so a run started from a request's task becomes that request's child.
struct GatewayTracer: Sendable {
    private let tracer: (any Tracer)?

    init(_ tracer: (any Tracer)?) { self.tracer = tracer }

    /// Records nothing.
    static let off = GatewayTracer(nil)

    var isOn: Bool { tracer != nil }

    /// Starts a span under `parent` (the current task's context when nil). End it with `GatewaySpan.end`.
    func start(_ name: String, kind: SpanKind = .internal, parent: InstrumentationContext? = nil) -> GatewaySpan {
        guard let tracer else { return GatewaySpan(nil) }
        return GatewaySpan(tracer.startSpan(name, context: parent ?? .current ?? .topLevel, ofKind: kind))
    }

    /// The caller's trace context read from `carrier` (W3C `traceparent`/`tracestate`), on top of `context`.
    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        tracer?.extract(carrier, into: &context, using: extractor)
    }
}

/// One span, or nothing when tracing is off; every method is then a no-op.
struct GatewaySpan: Sendable {
    private let span: (any Span)?

    init(_ span: (any Span)?) { self.span = span }

    var isRecording: Bool { span?.isRecording ?? false }

    /// The span's context, to parent work that outlives the current task (nil when tracing is off).
    var context: InstrumentationContext? { span?.context }

    /// Sets attributes (`span.set { $0["rpc.method"] = "health" }`).
    func set(_ update: (inout SpanAttributes) -> Void) {
        span?.updateAttributes(update)
    }

    /// Renames the span, for names known only later (an HTTP route once the router matched it).
    func rename(_ name: String) {
        span?.operationName = name
    }

    /// Marks the span failed with a short, bounded reason (an error code, an outcome), not free text from a caller.
    func fail(_ reason: String) {
        span?.setStatus(SpanStatus(code: .error, message: reason))
    }

    func end() { span?.end() }

    /// Runs `body` with this span as the current context, so spans started inside become its children.
    func run<T>(_ body: () async throws -> T) async rethrows -> T {
        guard let span else { return try await body() }
        return try await InstrumentationContext.$current.withValue(span.context, operation: body)
    }
}
