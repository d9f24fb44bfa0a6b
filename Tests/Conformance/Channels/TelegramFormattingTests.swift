// Tests/Conformance/Channels/TelegramFormattingTests.swift - chunking and Markdown → Telegram HTML, without a server

import Foundation
import Runtime
import TestUpstream
import Testing

@Suite("Telegram formatting")
struct TelegramFormattingTests {
    @Test func shortTextIsOneChunk() {
        #expect(TelegramChunker.chunks("hello") == ["hello"])
        #expect(TelegramChunker.chunks("") == [])
    }

    @Test func splitsAtParagraphsThenLinesThenWords() {
        let paragraph = String(repeating: "word ", count: 150).trimmingCharacters(in: .whitespaces)  // 749 chars
        let text = [paragraph, paragraph, paragraph].joined(separator: "\n\n")
        let chunks = TelegramChunker.chunks(text, limit: 1600)
        #expect(chunks.count == 2)
        #expect(chunks[0] == paragraph + "\n\n" + paragraph)
        #expect(chunks[1] == paragraph)

        let words = TelegramChunker.chunks(String(repeating: "abcd ", count: 100), limit: 64)
        #expect(words.allSatisfy { $0.utf16.count <= 64 && !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
        #expect(words.joined(separator: " ") == String(repeating: "abcd ", count: 100).trimmingCharacters(in: .whitespaces))
    }

    @Test func neverExceedsTheLimitNorSplitsACharacter() {
        let text = String(repeating: "😀", count: 3000)  // 6000 UTF-16 units, no separators
        let chunks = TelegramChunker.chunks(text)
        #expect(chunks.count == 2)
        #expect(chunks.allSatisfy { $0.utf16.count <= TelegramChunker.maxMessageLength })
        #expect(chunks.joined() == text)
    }

    @Test func aCodeBlockCutInTwoIsClosedAndReopened() {
        let code = (1...200).map { "let value\($0) = \($0)" }.joined(separator: "\n")
        let chunks = TelegramChunker.chunks("Here:\n```swift\n" + code + "\n```\nDone.", limit: 1000)
        #expect(chunks.count > 2)
        #expect(chunks.allSatisfy { $0.utf16.count <= 1000 })
        for chunk in chunks {
            let fences = chunk.split(separator: "\n").filter { $0.hasPrefix("```") }.count
            #expect(fences % 2 == 0, "unbalanced fences in \(chunk.prefix(40))")
        }
        #expect(chunks[1].hasPrefix("```swift\n"))
    }

    @Test func rendersMarkdownAsTelegramHTML() {
        #expect(TelegramHTML.render("**bold** and *italic* and __also bold__ and _it_") == "<b>bold</b> and <i>italic</i> and <b>also bold</b> and <i>it</i>")
        #expect(TelegramHTML.render("`a < b && c > d`") == "<code>a &lt; b &amp;&amp; c &gt; d</code>")
        #expect(
            TelegramHTML.render("see [the docs](https://docs.openclaw.ai/?a=1&b=\"2\")")
                == "see <a href=\"https://docs.openclaw.ai/?a=1&amp;b=&quot;2&quot;\">the docs</a>")
        #expect(TelegramHTML.render("~~gone~~") == "<s>gone</s>")
        #expect(TelegramHTML.render("# Title\n- one\n- two") == "<b>Title</b>\n• one\n• two")
        #expect(
            TelegramHTML.render("```python\nif a < 1:\n    print('x')\n```") == "<pre><code class=\"language-python\">if a &lt; 1:\n    print('x')</code></pre>"
        )
        #expect(TelegramHTML.render("> quoted\n> more\nafter") == "<blockquote>quoted\nmore</blockquote>\nafter")
    }

    @Test func leavesWhatIsNotMarkupAlone() {
        #expect(TelegramHTML.render("snake_case_name and 2 * 3 * 4") == "snake_case_name and 2 * 3 * 4")
        #expect(TelegramHTML.render("<script>alert(1)</script> & co") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
        #expect(TelegramHTML.render("**unclosed and `unclosed") == "**unclosed and `unclosed")
        #expect(TelegramHTML.render("[not a link](javascript:alert(1))") == "[not a link](javascript:alert(1))")
        #expect(TelegramHTML.render(#"\*literal\*"#) == "*literal*")
    }

    /// Whatever the model writes, the HTML must parse as Telegram parses it (checked by the fake's parser).
    @Test func everyRenderingParses() {
        let samples = [
            "**a *b* c**", "*a **b** c*", "__x__y__", "`code` **`bold code`**", "[**bold link**](https://x.y)",
            "a < b > c & d", "```\nunclosed fence <b>", "> **quote** with `code`", "1. *item*\n2. _item_",
            "mixed **bold _nested italic_ bold**", "** spaced **", "_a_b_", "[x](https://a.b/c_(d))",
        ]
        for sample in samples {
            let html = TelegramHTML.render(sample)
            if case .failure(let problem) = FakeTelegramServer.parseHTML(html) {
                Issue.record("\(sample.debugDescription) → \(html.debugDescription): \(problem.message)")
            }
        }
    }
}
