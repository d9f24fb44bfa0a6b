// Sources/Runtime/Agents/Providers/FallbackProvider.swift - try the next model when one fails before any output

/// A model to try: a provider and the model id to ask it for.
public struct ModelCandidate: Sendable {
    public var provider: any ModelProvider
    public var model: String

    public init(provider: any ModelProvider, model: String) {
        self.provider = provider
        self.model = model
    }
}

/// Tries each candidate in order (primary, then `fallbacks`). Once any output has been streamed a
/// failure is final, so a reader never sees two models' answers spliced together.
public struct FallbackProvider: ModelProvider {
    public let candidates: [ModelCandidate]
    public var id: String { candidates.first?.provider.id ?? "fallback" }
    /// Told about each candidate's call (span and metrics), when the gateway runs this provider for a run.
    var observer: ModelCallObserver?

    public init(candidates: [ModelCandidate]) {
        self.candidates = candidates
    }

    /// `request.model` is replaced by each candidate's model.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ModelEvent.self)
        let candidates = self.candidates
        let observer = self.observer
        let task = Task {
            var lastError: (any Error)?
            for candidate in candidates {
                var attempt = request
                attempt.model = candidate.model
                var producedOutput = false
                continuation.yield(.modelSelected(provider: candidate.provider.id, model: candidate.model))
                var call = observer?.begin(provider: candidate.provider.id, model: candidate.model)
                do {
                    for try await event in candidate.provider.stream(attempt) {
                        if event.isOutput { producedOutput = true }
                        if case .usage(let usage) = event { call?.add(usage) }
                        continuation.yield(event)
                    }
                    call?.end(error: nil, cancelled: Task.isCancelled)
                    continuation.finish()
                    return
                } catch {
                    call?.end(error: error, cancelled: error is CancellationError || Task.isCancelled)
                    if producedOutput || error is CancellationError || Task.isCancelled {
                        continuation.finish(throwing: error)
                        return
                    }
                    lastError = error
                }
            }
            continuation.finish(throwing: lastError ?? ProviderError.notConfigured("no model configured: set agents.defaults.model.primary"))
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
