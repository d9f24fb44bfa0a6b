// Tests/Conformance/Channels/TelegramPollingTests.swift - getMe and getUpdates long polling against the fake Bot API

import Foundation
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Telegram polling")
struct TelegramPollingTests {
    @Test func getMeNamesTheBot() async throws {
        try await TelegramFake.with { fake, api in
            let me = try await api.getMe()
            #expect(me.id == fake.bot.id)
            #expect(me.username == "openclaw_test_bot")
            #expect(me.isBot)
        }
    }

    @Test func deliversUpdatesInOrderAndAdvancesTheOffset() async throws {
        try await TelegramFake.with { fake, api in
            for text in ["one", "two", "three"] { fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: text) }
            let recorder = PollRecorder()
            let task = recorder.run(TelegramPoller(api: api, timeout: 1))
            let first = try await recorder.next(3)
            #expect(first.map { $0.message?.text } == ["one", "two", "three"])
            // Pushed while the poller waits in a long poll: it gets them without waiting for the timeout.
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "four")
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "five")
            let second = try await recorder.next(2)
            #expect(second.map { $0.message?.text } == ["four", "five"])
            #expect((first + second).map(\.updateId) == [1, 2, 3, 4, 5])
            // The next poll confirms everything seen so far.
            #expect(await fake.waitForCall("getUpdates") { $0.params["offset"]?.intValue == 6 } != nil)
            task.cancel()
            #expect(await task.value == nil)
            let calls = fake.calls("getUpdates")
            let offsets = calls.map { $0.params["offset"]?.intValue }
            #expect(offsets.first == .some(nil))
            #expect(offsets.dropFirst().allSatisfy { $0 != nil })
            #expect(offsets.compactMap { $0 } == offsets.compactMap { $0 }.sorted())
            #expect(offsets.contains(4) && offsets.contains(6))
            #expect(calls.allSatisfy { $0.params["timeout"]?.intValue == 1 && $0.params["allowed_updates"] == ["message"] })
        }
    }

    @Test func aWrongTokenEndsPollingWithAClearError() async throws {
        try await TelegramFake.with { fake, api in
            let wrong = TelegramBotAPI(token: "999:wrong", apiRoot: api.apiRoot)
            let recorder = PollRecorder()
            let error = try #require(await recorder.run(TelegramPoller(api: wrong, timeout: 1)).value)
            #expect(error.kind == .unauthorized)
            #expect(error.code == 401)
            #expect(error.description.contains("channels.telegram.botToken"))
            #expect(!error.description.contains("999:wrong"))
            await #expect(throws: TelegramAPIError.self) { try await wrong.getMe() }
        }
    }

    @Test func tooManyRequestsWaitsRetryAfter() async throws {
        try await TelegramFake.with { fake, api in
            fake.inject(.tooManyRequests(retryAfter: 1), method: "getUpdates")
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "after the wait")
            let recorder = PollRecorder()
            let task = recorder.run(TelegramPoller(api: api, timeout: 1, backoff: .init(initial: .milliseconds(10))))
            let retry = try #require(try await recorder.retries(1).first)
            #expect(retry.0.kind == .rateLimited)
            #expect(retry.0.retryAfter == 1)
            #expect(retry.1 == .seconds(1))
            #expect(try await recorder.next(1).first?.message?.text == "after the wait")
            task.cancel()
            _ = await task.value
            let calls = fake.calls("getUpdates")
            #expect(calls[0].errorCode == 429)
            #expect(calls[1].at - calls[0].at >= .milliseconds(950))
        }
    }

    @Test func conflictBacksOffAndReports() async throws {
        try await TelegramFake.with { fake, api in
            fake.inject(.conflict, method: "getUpdates", count: 3)
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "finally")
            let recorder = PollRecorder()
            let task = recorder.run(TelegramPoller(api: api, timeout: 1, backoff: .init(initial: .milliseconds(50), max: .milliseconds(150))))
            let retries = try await recorder.retries(3)
            #expect(retries.map(\.0.kind) == [.conflict, .conflict, .conflict])
            #expect(retries.map(\.1) == [.milliseconds(50), .milliseconds(100), .milliseconds(150)])
            #expect(retries[0].0.description.contains("another getUpdates consumer or a webhook"))
            #expect(try await recorder.next(1).first?.message?.text == "finally")
            task.cancel()
            _ = await task.value
        }
    }

    @Test func networkFailuresAreRetried() async throws {
        // Nothing listens on the port of a stopped server.
        let fake = FakeTelegramServer()
        let root = await fake.start()
        await fake.stop()
        let recorder = PollRecorder()
        // async-http-client retries a refused connection until the request's deadline: keep it short.
        let api = TelegramBotAPI(token: fake.token, apiRoot: root, requestTimeout: .milliseconds(300))
        let task = recorder.run(TelegramPoller(api: api, timeout: 0, backoff: .init(initial: .milliseconds(20), max: .milliseconds(40))))
        let retries = try await recorder.retries(3)
        task.cancel()
        #expect(await task.value == nil)
        #expect(retries.allSatisfy { $0.0.kind == .network })
        #expect(retries.map(\.1) == [.milliseconds(20), .milliseconds(40), .milliseconds(40)])
    }

    @Test func groupMessagesCarryMentionInfo() async throws {
        try await TelegramFake.with { fake, api in
            let me = try await api.getMe()
            let group: Int64 = -1_001_234_567_890
            fake.pushMessage(chatId: group, chatType: .supergroup, from: TelegramFake.alice, text: "@openclaw_test_bot what time is it?")
            fake.pushMessage(chatId: group, chatType: .supergroup, from: TelegramFake.alice, text: "just chatting")
            fake.pushMessage(chatId: group, chatType: .supergroup, from: TelegramFake.bob, text: "thanks!", replyToBot: true)
            fake.pushMessage(chatId: group, chatType: .group, from: TelegramFake.bob, text: "ask @someone_else")
            fake.pushMessage(chatId: group, chatType: .supergroup, from: TelegramFake.alice, text: "hey @OpenClaw_Test_Bot", threadId: 42)
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "a DM")
            let updates = try await api.getUpdates(offset: nil, timeout: 0)
            let inbound = updates.compactMap { TelegramInbound($0, bot: me) }
            #expect(inbound.map(\.mentionsBot) == [true, false, true, false, true, false])
            #expect(inbound.map(\.isGroup) == [true, true, true, true, true, false])
            #expect(inbound[0].chatId == group)
            #expect(inbound[0].senderId == TelegramFake.alice.id)
            #expect(inbound[0].senderUsername == "alice")
            #expect(inbound[0].textWithoutMention(of: me) == "what time is it?")
            #expect(inbound[4].threadId == 42)
            #expect(inbound[5].isDirect)
        }
    }
}
