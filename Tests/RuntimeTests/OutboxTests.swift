// Tests/RuntimeTests/OutboxTests.swift - per-connection seq and the send-buffer policy

import Generated
import Testing

@testable import Runtime

@Suite("Outbox")
struct OutboxTests {
    private func head(_ name: String = "tick") -> [UInt8] {
        FrameWriter.eventHead(name: name, payload: EncodedJSON(bytes: Array(#"{"ts":1}"#.utf8)), stateVersion: nil)
    }

    private func frames(_ items: [Outbox.Item]) -> [String] {
        items.compactMap { if case .frame(let bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
    }

    @Test func broadcastsAreNumberedPerConnection() async {
        let first = Outbox(limit: 1 << 20)
        let second = Outbox(limit: 1 << 20)
        first.enqueueBroadcast(head: head(), droppable: true)
        first.enqueueBroadcast(head: head(), droppable: true)
        second.enqueueBroadcast(head: head(), droppable: true)
        first.enqueue(Array("response".utf8))
        #expect(
            frames(await first.next()) == [
                #"{"type":"event","event":"tick","payload":{"ts":1},"seq":1}"#, #"{"type":"event","event":"tick","payload":{"ts":1},"seq":2}"#, "response",
            ])
        #expect(frames(await second.next()) == [#"{"type":"event","event":"tick","payload":{"ts":1},"seq":1}"#])
    }

    @Test func overTheLimitDroppableEventsAreSkippedWithoutTakingASeq() async {
        let outbox = Outbox(limit: 10)
        #expect(outbox.enqueueBroadcast(head: head(), droppable: true) == .queued)
        #expect(outbox.enqueueBroadcast(head: head(), droppable: true) == .dropped)
        #expect(outbox.enqueueBroadcast(head: head("shutdown"), droppable: false) == .overflow)
        _ = await outbox.next()
        #expect(outbox.enqueueBroadcast(head: head(), droppable: true) == .queued)
        #expect(frames(await outbox.next()).first?.hasSuffix(#""seq":2}"#) == true)
    }

    @Test func closeFollowsQueuedFramesOrReplacesThem() async {
        let outbox = Outbox(limit: 1 << 20)
        outbox.enqueue(Array("a".utf8))
        outbox.close(code: 1008, reason: "bye")
        #expect(outbox.enqueue(Array("b".utf8)) == .closed)
        #expect(await outbox.next() == [.frame(Array("a".utf8)), .close(code: 1008, reason: "bye")])

        let slow = Outbox(limit: 1 << 20)
        slow.enqueue(Array("pending".utf8))
        slow.close(code: 1008, reason: "slow consumer", discardPending: true)
        #expect(await slow.next() == [.close(code: 1008, reason: "slow consumer")])
    }

    @Test func finishWakesTheWriter() async {
        let outbox = Outbox(limit: 10)
        async let items = outbox.next()
        outbox.finish()
        #expect(await items.isEmpty)
    }

    @Test func closeReasonsAreCutTo120Bytes() {
        let long = String(repeating: "é", count: 100)
        let cut = CloseReason.truncate(long)
        #expect(cut.utf8.count <= 120)
        #expect(long.hasPrefix(cut))
        #expect(CloseReason.truncate("short") == "short")
    }
}
