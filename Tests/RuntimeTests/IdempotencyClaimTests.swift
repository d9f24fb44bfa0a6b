// Tests/RuntimeTests/IdempotencyClaimTests.swift - the shared claim behind spec `idempotency:`: replay, free, wait

import Generated
import ProtocolSupport
import Testing

@testable import Runtime

@Suite("idempotency claims")
struct IdempotencyClaimTests {
    private static func json(_ text: String) -> EncodedJSON { EncodedJSON(bytes: Array(text.utf8)) }

    @Test func aClaimedKeyReplaysItsInterimAnswerThenItsFinalOne() async throws {
        let cache = DedupeCache()
        let key = IdempotencyKey("k", rule: IdempotencyRule(namespace: "agent"))
        #expect(key.scoped == "agent:k")
        let first = IdempotencyClaim(key, cache: cache)
        try first.claim(interim: Self.json(#"{"status":"accepted"}"#))
        let retry = IdempotencyClaim(key, cache: cache)
        let state = try #require(retry.earlier())
        #expect(try await retry.replay(state) == Self.json(#"{"status":"accepted"}"#))
        #expect(throws: IdempotencyReplay.self) { try retry.claim() }
        first.finish(ok: true, payload: Self.json(#"{"status":"ok"}"#), error: nil)
        #expect(try await retry.replay(try #require(retry.earlier())) == Self.json(#"{"status":"ok"}"#))
    }

    @Test func anErrorIsReplayedOrFreesTheKeyAsTheRuleSays() async throws {
        let cache = DedupeCache()
        let replayed = IdempotencyClaim(IdempotencyKey("k", rule: IdempotencyRule(namespace: "send", whileRunning: .wait, errors: .replay)), cache: cache)
        try replayed.claim()
        replayed.abandon(after: GatewayError(.unavailable, "send failed: down"))
        let state = try #require(replayed.earlier())
        await #expect(throws: GatewayError(.unavailable, "send failed: down")) { try await replayed.replay(state) }

        let freed = IdempotencyClaim(IdempotencyKey("k", rule: IdempotencyRule(namespace: "chat", errors: .retry)), cache: cache)
        try freed.claim()
        freed.abandon(after: GatewayError(.unavailable, "queue full"))
        #expect(freed.earlier() == nil)
        // A claim that was never taken is not released: another attempt's entry stays.
        try IdempotencyClaim(freed.key, cache: cache).claim()
        IdempotencyClaim(freed.key, cache: cache).release()
        #expect(freed.earlier() != nil)
    }

    @Test func aWaitingRetryGetsTheFirstAttemptsAnswerOnceItHasOne() async throws {
        let cache = DedupeCache()
        let key = IdempotencyKey("k", rule: IdempotencyRule(namespace: "send", whileRunning: .wait, errors: .replay))
        let first = IdempotencyClaim(key, cache: cache)
        try first.claim()
        let retry = IdempotencyClaim(key, cache: cache)
        let state = try #require(retry.earlier())
        async let answer = retry.replay(state)
        try await Task.sleep(for: .milliseconds(60))
        first.finish(ok: true, payload: Self.json(#"{"messageId":"m1"}"#), error: nil)
        #expect(try await answer == Self.json(#"{"messageId":"m1"}"#))
    }
}
