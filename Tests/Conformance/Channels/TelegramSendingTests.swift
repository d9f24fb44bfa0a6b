// Tests/Conformance/Channels/TelegramSendingTests.swift - sendMessage chunks, HTML and its plain fallback, 429, typing

import Foundation
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Telegram sending")
struct TelegramSendingTests {
    static let chat: Int64 = 1001

    @Test func longRepliesAreSplitUnder4096Characters() async throws {
        try await TelegramFake.with { fake, api in
            let paragraph = String(repeating: "lorem ipsum dolor sit amet ", count: 40)  // 1080 characters
            let text = Array(repeating: paragraph, count: 9).joined(separator: "\n\n")  // ~9.7k
            let ids = try await TelegramSender(api: api, chunkLimit: 4096).sendText(chatId: Self.chat, text: text)
            let sent = fake.sentMessages
            #expect(ids.count == 3)
            #expect(sent.map(\.messageId) == ids)
            #expect(sent.allSatisfy { $0.visibleText.utf16.count <= 4096 && $0.parseMode == "HTML" })
            // Nothing lost: the pieces are the paragraphs, split only between them.
            let words = { (text: String) in text.split(whereSeparator: \.isWhitespace) }
            #expect(words(sent.map(\.visibleText).joined(separator: " ")) == words(text))
            #expect(sent.allSatisfy { $0.visibleText.hasPrefix("lorem") && $0.visibleText.hasSuffix("amet") })
        }
    }

    @Test func upstreamDefaultChunkLimitIs4000() async throws {
        try await TelegramFake.with { fake, api in
            try await TelegramSender(api: api).sendText(chatId: Self.chat, text: String(repeating: "x", count: 8001))
            #expect(fake.sentMessages.map(\.visibleText.count) == [4000, 4000, 1])
        }
    }

    @Test func markdownGoesOutAsTelegramHTML() async throws {
        try await TelegramFake.with { fake, api in
            try await TelegramSender(api: api).sendText(chatId: Self.chat, text: "**Done**: `a<b` & [docs](https://docs.openclaw.ai)")
            let sent = try #require(fake.sentMessages.first)
            #expect(sent.parseMode == "HTML")
            #expect(sent.text == "<b>Done</b>: <code>a&lt;b</code> &amp; <a href=\"https://docs.openclaw.ai\">docs</a>")
            #expect(sent.visibleText == "Done: a<b & docs")
        }
    }

    @Test func refusedHTMLIsResentAsPlainText() async throws {
        try await TelegramFake.with { fake, api in
            fake.inject(.cantParseEntities, method: "sendMessage")
            let ids = try await TelegramSender(api: api).sendText(chatId: Self.chat, text: "**bold** <tag>", replyTo: 7)
            let calls = fake.calls("sendMessage")
            #expect(calls.count == 2)
            #expect(calls[0].errorCode == 400 && calls[0].params["parse_mode"] == "HTML")
            #expect(calls[1].params["parse_mode"] == nil)
            let sent = try #require(fake.sentMessages.first)
            #expect(ids == [sent.messageId])
            #expect(sent.text == "**bold** <tag>")
            #expect(sent.replyToMessageId == 7)
        }
    }

    @Test func tooManyRequestsWaitsAndResends() async throws {
        try await TelegramFake.with { fake, api in
            fake.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage")
            let started = ContinuousClock.now
            try await TelegramSender(api: api).sendText(chatId: Self.chat, text: "patience")
            #expect(ContinuousClock.now - started >= .milliseconds(950))
            #expect(fake.calls("sendMessage").map(\.errorCode) == [429, nil])
            #expect(fake.sentMessages.map(\.visibleText) == ["patience"])
        }
    }

    @Test func aGroupUpgradedToASupergroupGetsTheReplyAtItsNewId() async throws {
        try await TelegramFake.with { fake, api in
            fake.inject(.migrated(to: -100_777), method: "sendMessage")
            try await TelegramSender(api: api).sendText(chatId: -777, text: "still here", replyTo: 5)
            #expect(fake.calls("sendMessage").map { $0.params["chat_id"]?.intValue } == [-777, -100_777])
            #expect(fake.sentMessages.map(\.chatId) == [-100_777])
            #expect(fake.sentMessages.first?.replyToMessageId == nil)
        }
    }

    @Test func otherRefusalsAreReported() async throws {
        try await TelegramFake.with { fake, api in
            fake.inject(.badRequest("chat not found"), method: "sendMessage")
            await #expect {
                try await TelegramSender(api: api).sendText(chatId: 42, text: "hi")
            } throws: { error in
                (error as? TelegramAPIError)?.kind == .rejected && "\(error)".contains("chat not found")
            }
        }
    }

    @Test func repliesKeepTheThreadAndShowTyping() async throws {
        try await TelegramFake.with { fake, api in
            let sender = TelegramSender(api: api, chunkLimit: 20)
            await sender.typing(chatId: -100_5, threadId: 9)
            try await sender.sendText(chatId: -100_5, text: "first part here. second part here.", replyTo: 3, threadId: 9)
            let action = try #require(fake.calls("sendChatAction").first)
            #expect(action.params["action"] == "typing")
            #expect(action.params["message_thread_id"] == 9)
            let sent = fake.sentMessages
            #expect(sent.count == 2)
            #expect(sent.map(\.threadId) == [9, 9])
            // Only the first chunk is a reply.
            #expect(sent.map(\.replyToMessageId) == [3, nil])
        }
    }
}
