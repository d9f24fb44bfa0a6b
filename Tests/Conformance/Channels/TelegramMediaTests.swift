// Tests/Conformance/Channels/TelegramMediaTests.swift - attachments reach the agent as upstream's placeholders

import Foundation
import Runtime
import Testing

@Suite("Telegram attachments")
struct TelegramMediaTests {
    private let bot = try! JSONDecoder().decode(TelegramUser.self, from: Data(#"{"id":99,"is_bot":true,"first_name":"Claw","username":"claw_bot"}"#.utf8))

    private func inbound(_ message: String) throws -> TelegramInbound? {
        let update = try JSONDecoder().decode(TelegramUpdate.self, from: Data(#"{"update_id":1,"message":\#(message)}"#.utf8))
        return TelegramInbound(update, bot: bot)
    }

    private let head = #""message_id":7,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Ada"}"#

    @Test func aPhotoWithoutCaptionBecomesAPlaceholder() throws {
        let photo = try #require(try inbound(#"{\#(head),"photo":[{"file_id":"a","file_unique_id":"b","width":90,"height":90}]}"#))
        #expect(photo.text == "<media:image>")
        let voice = try #require(try inbound(#"{\#(head),"voice":{"file_id":"v","file_unique_id":"w","duration":3}}"#))
        #expect(voice.text == "<media:audio>")
    }

    @Test func aCaptionFollowsItsPlaceholderAndStillMentionsTheBot() throws {
        let caption = "@claw_bot what is this?"
        let document = try #require(
            try inbound(
                #"{\#(head),"document":{"file_id":"d","file_unique_id":"e"},"caption":"\#(caption)","caption_entities":[{"type":"mention","offset":0,"length":9}]}"#
            )
        )
        #expect(document.text == "<media:document> " + caption)
        #expect(document.mentionsBot)
    }

    @Test func updatesWithNeitherTextNorAttachmentAreSkipped() throws {
        #expect(try inbound(#"{\#(head),"new_chat_members":[]}"#) == nil)
        #expect(try inbound(#"{\#(head),"text":"plain"}"#)?.text == "plain")
    }
}
