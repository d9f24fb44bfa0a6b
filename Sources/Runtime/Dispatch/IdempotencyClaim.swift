// Sources/Runtime/Dispatch/IdempotencyClaim.swift - one request's hold on its idempotency key

import Generated
import ProtocolSupport
import Synchronization

/// Thrown by `IdempotencyClaim.claim` when another attempt holds the key: the request is answered as that one.
struct IdempotencyReplay: Error {
    let state: DedupeCache.State
}

/// One request's hold on its idempotency key. For a method with `idempotency:` in the spec the generated
/// dispatcher makes one (`SystemMethods.idempotent`): a known key is replayed before the handler runs, the
/// handler claims the key once the request is valid, and the answer is recorded for retries. The hooks route
/// uses the same claim under its own key.
final class IdempotencyClaim: Sendable {
    let key: IdempotencyKey
    private let cache: DedupeCache
    private let held = Atomic<Bool>(false)

    init(_ key: IdempotencyKey, cache: DedupeCache) {
        self.key = key
        self.cache = cache
    }

    /// The live entry an earlier attempt left under the key, if any.
    func earlier() -> DedupeCache.State? {
        cache.lookup(key.scoped, now: Int(Clock.nowMs))
    }

    /// Whether this request claimed the key (and so owes it an answer or a release).
    var isHeld: Bool { held.load(ordering: .acquiring) }

    /// Claims the key: from now on a retry gets `interim` (rule `whileRunning: interim`) or waits for this
    /// attempt's answer (`wait`).
    /// - Throws: `IdempotencyReplay` when another attempt claimed the key first.
    @discardableResult
    func claim(interim: EncodedJSON = .null) throws(IdempotencyReplay) -> IdempotencyClaim {
        if let state = cache.claim(key.scoped, first: interim, now: Int(Clock.nowMs)) { throw IdempotencyReplay(state: state) }
        held.store(true, ordering: .releasing)
        return self
    }

    /// Records the answer a retry gets from now on (a two-phase method records its final answer when the run ends).
    func finish(ok: Bool, payload: EncodedJSON?, error: ErrorShape?) {
        cache.finish(key.scoped, ok: ok, payload: payload, error: error, now: Int(Clock.nowMs))
    }

    /// Forgets the key, so a retry runs again (the attempt was refused after it claimed the key).
    func release() {
        guard held.exchange(false, ordering: .acquiringAndReleasing) else { return }
        cache.release(key.scoped)
    }

    /// After the handler threw: the error becomes the key's answer (`errors: replay`) or the key is freed (`retry`).
    func abandon(after error: any Error) {
        guard isHeld else { return }
        switch key.rule.errors {
        case .retry:
            release()
        case .replay:
            let failure = error as? GatewayError
            finish(ok: false, payload: failure?.payload, error: failure?.shape ?? ErrorShape(code: .unavailable, message: "\(error)"))
        }
    }

    /// The answer a retry gets: the interim answer while the first attempt runs (or, with `whileRunning: wait`,
    /// that attempt's answer once it has one), else the recorded answer or error.
    func replay(_ state: DedupeCache.State) async throws -> EncodedJSON {
        var state = state
        if key.rule.whileRunning == .wait {
            while case .running = state {
                try await Task.sleep(for: .milliseconds(20))
                guard let next = earlier() else { throw GatewayError(.unavailable, "\(key.rule.namespace) retry: first attempt vanished") }
                state = next
            }
        }
        switch state {
        case .running(let interim):
            return interim
        case .done(true, let payload, _):
            return payload ?? .null
        case .done(false, let payload, let error):
            throw GatewayError(shape: error ?? ErrorShape(code: .unavailable, message: "\(key.rule.namespace) failed"), payload: payload)
        }
    }
}

extension MethodContext {
    /// Claims the request's idempotency key once its params are valid (see `IdempotencyClaim.claim`); a key
    /// another attempt claimed first ends the handler, and the dispatcher answers as that attempt.
    @discardableResult
    func claimIdempotencyKey(interim: EncodedJSON = .null) throws -> IdempotencyClaim {
        guard let idempotency else { throw GatewayError(.unavailable, "internal error: this method has no idempotency key in the spec") }
        return try idempotency.claim(interim: interim)
    }
}

extension SystemMethods {
    /// The generated dispatcher's wrapper around a method with `idempotency:`: a known key is replayed and the
    /// handler never runs; otherwise the handler runs with the claim in its context, and its answer (or error,
    /// per the rule) is what later retries get. A two-phase handler records its final answer itself.
    func idempotent(
        _ key: IdempotencyKey, context: MethodContext, call: (MethodContext) async throws -> EncodedJSON
    ) async throws -> EncodedJSON {
        let claim = IdempotencyClaim(key, cache: hub.dedupe)
        if let earlier = claim.earlier() { return try await claim.replay(earlier) }
        var context = context
        context.idempotency = claim
        do {
            let answer = try await call(context)
            if claim.isHeld { claim.finish(ok: true, payload: answer, error: nil) }
            return answer
        } catch let replay as IdempotencyReplay {
            return try await claim.replay(replay.state)
        } catch let sent as ResponseAlreadySent {
            throw sent
        } catch {
            claim.abandon(after: error)
            throw error
        }
    }
}
