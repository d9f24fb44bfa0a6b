// Tests/Conformance/Channels/ChannelRoutingTests.swift - inbound routing, access control, pairing, chunking through the fake channel

import Foundation
import Generated
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Channel routing")
struct ChannelRoutingTests {
    @Test("an open DM runs the agent in the peer's session and the reply goes back to the sender, with typing first")
    func openDirectMessage() async throws {
        let channels = #"{"fake":{"token":"good","dmPolicy":"open"}}"#
        try await ChannelHarness.with(channels: channels, extra: #""session":{"dmScope":"per-channel-peer"}"#, fallback: OpenAIScript.text(["hi alice"])) {
            harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("Alice", "hello there"))
            let typing = try await harness.events.next { if case .typing = $0 { true } else { false } }
            #expect(typing == .typing(account: "default", target: ChannelTarget(peerId: "Alice", chatType: .direct, replyToMessageId: nil).withReply(typing)))
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "Alice")
            #expect(sent.target.chatType == .direct)
            #expect(sent.text == "hi alice")
            #expect(harness.modelInputs == ["hello there"])
            let socket = try await harness.connect()
            let list = try await socket.call("1", "sessions.list", [:])
            let keys = list["payload"]?["sessions"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
            #expect(keys.contains("agent:main:fake:direct:alice"))
            await socket.close()
        }
    }

    @Test("dmPolicy allowlist drops senders not in allowFrom and answers those in it")
    func allowlist() async throws {
        let channels = #"{"fake":{"token":"good","dmPolicy":"allowlist","allowFrom":["bob"]}}"#
        try await ChannelHarness.with(channels: channels) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("alice", "let me in"))
            await harness.plugin.inject(.dm("bob", "hi"))
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "bob")
            #expect(harness.modelInputs == ["hi"])
        }
    }

    @Test("dmPolicy disabled drops every DM; groupPolicy open with requireMention false answers a group")
    func disabledAndOpenGroup() async throws {
        let channels = ##"{"fake":{"token":"good","dmPolicy":"disabled","groupPolicy":"open","groups":{"*":{"requireMention":false}}}}"##
        try await ChannelHarness.with(channels: channels) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("alice", "dm"))
            await harness.plugin.inject(.group("#any", from: "alice", "group hello", mention: false, thread: "t1"))
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "#any")
            #expect(sent.target.chatType == .group)
            #expect(sent.target.threadId == "t1")
            #expect(harness.modelInputs == ["group hello"])
        }
    }

    @Test("groups: unlisted groups, missing mentions and senders outside the group's allowFrom are dropped")
    func groupGating() async throws {
        let channels = ##"{"fake":{"token":"good","groups":{"#room":{"requireMention":true},"#vip":{"requireMention":false,"allowFrom":["carol"]}}}}"##
        try await ChannelHarness.with(channels: channels) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.group("#other", from: "alice", "unlisted", mention: true))
            await harness.plugin.inject(.group("#room", from: "alice", "no mention", mention: false))
            await harness.plugin.inject(.group("#vip", from: "dave", "not allowed", mention: true))
            await harness.plugin.inject(.group("#room", from: "alice", "with mention", mention: true))
            let first = try await harness.events.nextSent()
            #expect(first.target.peerId == "#room")
            await harness.plugin.inject(.group("#vip", from: "carol", "vip talk", mention: false))
            let second = try await harness.events.nextSent()
            #expect(second.target.peerId == "#vip")
            // The allowed sender's unmentioned line is the mention's context; dropped senders' lines are not.
            #expect(
                harness.modelInputs == [
                    "[Chat messages since your last reply - for context]\nalice: no mention\n\n[Current message - respond to this]\nalice: with mention",
                    "vip talk",
                ])
        }
    }

    @Test("unmentioned group messages become the context of the next mention there, once; historyLimit bounds them and 0 keeps none")
    func groupHistory() async throws {
        let channels = ##"{"fake":{"token":"good","groupPolicy":"open","historyLimit":2}}"##
        try await ChannelHarness.with(channels: channels) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            for text in ["first", "second", "third"] {
                await harness.plugin.inject(.group("#room", from: "alice", text, mention: false))
            }
            await harness.plugin.inject(.group("#other", from: "dave", "elsewhere", mention: false))
            await harness.plugin.inject(.group("#room", from: "bob", "what do you think?", mention: true))
            _ = try await harness.events.nextSent()
            await harness.plugin.inject(.group("#room", from: "bob", "and now?", mention: true))
            _ = try await harness.events.nextSent()
            #expect(
                harness.modelInputs == [
                    "[Chat messages since your last reply - for context]\nalice: second\nalice: third\n\n[Current message - respond to this]\nbob: what do you think?",
                    "and now?",
                ])
        }
        try await ChannelHarness.with(channels: ##"{"fake":{"token":"good","groupPolicy":"open","historyLimit":0}}"##) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.group("#room", from: "alice", "forget me", mention: false))
            await harness.plugin.inject(.group("#room", from: "bob", "hello?", mention: true))
            _ = try await harness.events.nextSent()
            #expect(harness.modelInputs == ["hello?"])
        }
    }

    @Test("an unknown DM sender gets one pairing code; after approval their DMs are answered")
    func pairing() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("alice", "hi", name: "Alice"))
            let reply = try await harness.events.nextSent()
            #expect(reply.target.peerId == "alice")
            #expect(reply.text.contains("Your Fake id: alice"))
            let store = PairingStore(stateDir: harness.stateDir)
            let pending = store.pending(channel: "fake")
            #expect(pending.count == 1)
            let code = try #require(pending.first?.code)
            #expect(code.count == 8)
            #expect(code.allSatisfy { PairingStore.codeAlphabet.contains($0) })
            #expect(reply.text.contains("Pairing code: \(code)"))
            #expect(reply.text.contains("openclaw pairing approve fake \(code)"))
            // A second message while the request is pending gets no second code and no run.
            await harness.plugin.inject(.dm("alice", "hello?"))
            #expect(try store.approve(channel: "fake", code: code.lowercased())?.id == "alice")
            #expect(store.approved(channel: "fake") == ["alice"])
            #expect(store.pending(channel: "fake").isEmpty)
            await harness.plugin.inject(.dm("alice", "now?"))
            let answer = try await harness.events.nextSent()
            #expect(answer.text == "ok")
            #expect(harness.modelInputs == ["now?"])
        }
    }

    @Test(
        "a long reply is sent in order as pieces within the limit: the channel's, or the account's textChunkLimit instead",
        arguments: [(#"{"fake":{"token":"good","dmPolicy":"open"}}"#, 20, 20), (#"{"fake":{"token":"good","dmPolicy":"open","textChunkLimit":12}}"#, 4000, 12)]
    )
    func chunking(channels: String, channelLimit: Int, expectedLimit: Int) async throws {
        let long = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
        try await ChannelHarness.with(channels: channels, fallback: OpenAIScript.text([long]), chunkLimit: channelLimit) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("bob", "long please"))
            var pieces: [String] = []
            while pieces.joined(separator: " ").count < long.count {
                pieces.append(try await harness.events.nextSent().text)
            }
            #expect(pieces.count >= long.count / expectedLimit)
            #expect(pieces.allSatisfy { $0.count <= expectedLimit }, "\(pieces)")
            #expect(pieces.joined(separator: " ") == long)
        }
    }
}

extension ChannelTarget {
    /// The same target with the reply id of `event`'s target (ids are random per message).
    fileprivate func withReply(_ event: FakeChannelPlugin.Event) -> ChannelTarget {
        guard case .typing(_, let target) = event else { return self }
        var copy = self
        copy.replyToMessageId = target.replyToMessageId
        return copy
    }
}

@Suite("Channel group allowlist")
struct ChannelGroupAllowlistTests {
    @Test("without groups, groupAllowFrom alone lets its senders trigger the bot in any group")
    func groupAllowFromOnly() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good","groupAllowFrom":["me"]}}"#) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.group("#g", from: "other", "hey bot", mention: true))
            await harness.plugin.inject(.group("#g", from: "me", "no mention", mention: false))
            await harness.plugin.inject(.group("#g", from: "me", "hey bot", mention: true))
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "#g")
            #expect(
                harness.modelInputs == [
                    "[Chat messages since your last reply - for context]\nme: no mention\n\n[Current message - respond to this]\nme: hey bot"
                ])
        }
    }
}
