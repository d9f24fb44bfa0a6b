// Tests/Conformance/Channels/TelegramGatewayTests.swift - a gateway serving a Telegram bot end to end (fake Bot API + fake model)

import Foundation
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Telegram channel through the gateway")
struct TelegramGatewayTests {
    static let plugin = TelegramChannelPlugin(pollTimeout: 1, backoff: ChannelBackoff(initial: .milliseconds(50), maximum: .milliseconds(200), jitter: 0))
    static let group: Int64 = -1_001_234_567_890

    /// A fake Bot API and a gateway whose `channels.telegram` points at it (`settings` are more keys of that section).
    static func with(_ settings: String, _ body: (FakeTelegramServer, ChannelHarness) async throws -> Void) async throws {
        let fake = FakeTelegramServer()
        let root = await fake.start()
        do {
            let channels = #"{"telegram":{"botToken":"\#(fake.token)","apiRoot":"\#(root)"\#(settings.isEmpty ? "" : "," + settings)}}"#
            try await ChannelHarness.with(channels: channels, setup: ChannelSetup(plugins: [plugin])) { harness in
                try await body(fake, harness)
            }
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test("a DM from an allowed user gets the agent's answer, after a typing action")
    func allowedDM() async throws {
        try await Self.with(#""allowFrom":["tg:1001"]"#) { fake, harness in
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "hello agent")
            let sent = try #require(await fake.waitForMessages(1)).first
            #expect(sent?.chatId == TelegramFake.alice.id)
            #expect(sent?.visibleText == "ok")
            #expect(sent?.parseMode == "HTML")
            #expect(harness.modelInputs == ["hello agent"])
            let typing = try #require(fake.calls("sendChatAction").first)
            #expect(typing.params["chat_id"]?.intValue == 1001 && typing.params["action"] == "typing")
            #expect(typing.at <= fake.calls("sendMessage")[0].at)
        }
    }

    @Test("an unknown user gets a pairing code; once approved, their DMs are answered")
    func pairing() async throws {
        try await Self.with(#""allowFrom":["1001"]"#) { fake, harness in
            fake.pushMessage(chatId: TelegramFake.bob.id, from: TelegramFake.bob, text: "who are you?")
            let reply = try #require(await fake.waitForMessages(1)?.first)
            let store = PairingStore(stateDir: harness.stateDir)
            let code = try #require(store.pending(channel: "telegram").first?.code)
            #expect(reply.chatId == TelegramFake.bob.id)
            #expect(reply.visibleText.contains("Your Telegram id: 1002"))
            #expect(reply.visibleText.contains("openclaw pairing approve telegram \(code)"))
            #expect(harness.modelInputs.isEmpty)
            #expect(try store.approve(channel: "telegram", code: code)?.id == "1002")
            fake.pushMessage(chatId: TelegramFake.bob.id, from: TelegramFake.bob, text: "now?")
            let answer = try #require(await fake.waitForMessages(2)?.last)
            #expect(answer.visibleText == "ok")
            #expect(harness.modelInputs == ["now?"])
        }
    }

    @Test("in a group with requireMention, only messages that mention the bot or reply to it are answered")
    func groupMentions() async throws {
        try await Self.with(#""allowFrom":["1001"],"groups":{"*":{"requireMention":true}}"#) { fake, harness in
            fake.pushMessage(chatId: Self.group, chatType: .supergroup, from: TelegramFake.alice, text: "no mention here")
            fake.pushMessage(chatId: Self.group, chatType: .supergroup, from: TelegramFake.alice, text: "@openclaw_test_bot status?")
            let first = try #require(await fake.waitForMessages(1)?.first)
            #expect(first.chatId == Self.group)
            #expect(first.replyToMessageId != nil)
            fake.pushMessage(chatId: Self.group, chatType: .supergroup, from: TelegramFake.alice, text: "and this?", replyToBot: true)
            _ = try #require(await fake.waitForMessages(2))
            #expect(
                harness.modelInputs == [
                    "[Chat messages since your last reply - for context]\nAlice: no mention here\n\n[Current message - respond to this]\nAlice: @openclaw_test_bot status?",
                    "and this?",
                ])
            #expect(fake.sentMessages.allSatisfy { $0.chatId == Self.group })
        }
    }
}
