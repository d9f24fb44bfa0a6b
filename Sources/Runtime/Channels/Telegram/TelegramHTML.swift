// Sources/Runtime/Channels/Telegram/TelegramHTML.swift - the agent's Markdown as Telegram's HTML parse mode

import Foundation

/// Renders the Markdown models write as the HTML subset Telegram accepts (`parse_mode: HTML`):
/// `**b**`/`__b__` → `<b>`, `*i*`/`_i_` → `<i>`, `~~s~~` → `<s>`, `` `c` `` → `<code>`, fenced blocks →
/// `<pre><code class="language-x">`, `[t](url)` → `<a href>`, headings → bold lines, `- ` bullets → `•`,
/// `> ` lines → `<blockquote>`. Everything else is text with `&`, `<`, `>` escaped, so the output
/// always parses; anything unmatched stays literal.
public enum TelegramHTML {
    public static func render(_ markdown: String) -> String {
        var out: [String] = []
        var quote: [String] = []
        var fence: (language: String, lines: [String])? = nil
        func flushQuote() {
            if !quote.isEmpty { out.append("<blockquote>" + quote.joined(separator: "\n") + "</blockquote>") }
            quote = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if let open = fence {
                    out.append(pre(open.lines.joined(separator: "\n"), language: open.language))
                    fence = nil
                } else {
                    flushQuote()
                    fence = (String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces), [])
                }
                continue
            }
            if fence != nil {
                fence!.lines.append(String(line))
                continue
            }
            if trimmed.hasPrefix(">") {
                quote.append(inline(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)))
                continue
            }
            flushQuote()
            out.append(block(String(line)))
        }
        flushQuote()
        // An unclosed fence still renders as code.
        if let open = fence { out.append(pre(open.lines.joined(separator: "\n"), language: open.language)) }
        return out.joined(separator: "\n")
    }

    /// `&`, `<` and `>` as entities (all Telegram requires in text).
    public static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func pre(_ code: String, language: String) -> String {
        let safe = language.filter { $0.isLetter || $0.isNumber || "+-_#.".contains($0) }
        if safe.isEmpty { return "<pre>" + escape(code) + "</pre>" }
        return "<pre><code class=\"language-\(safe)\">" + escape(code) + "</code></pre>"
    }

    /// One line outside code blocks and quotes: headings and bullets, then inline markup.
    private static func block(_ line: String) -> String {
        let trimmed = line.drop { $0 == " " }
        let indent = String(line.prefix(line.count - trimmed.count))
        if let hashes = trimmed.firstIndex(where: { $0 != "#" }), trimmed.startIndex < hashes,
            trimmed.distance(from: trimmed.startIndex, to: hashes) <= 6, trimmed[hashes] == " "
        {
            return "<b>" + inline(trimmed[hashes...].trimmingCharacters(in: .whitespaces)) + "</b>"
        }
        for bullet in ["- ", "* ", "+ "] where trimmed.hasPrefix(bullet) {
            return indent + "• " + inline(String(trimmed.dropFirst(2)))
        }
        return inline(line)
    }

    /// Inline markup of one line.
    static func inline(_ text: String) -> String {
        inline(Array(text))
    }

    private static func inline(_ s: [Character]) -> String {
        var out = ""
        var i = 0
        let n = s.count
        func find(_ marker: [Character], from start: Int) -> Int? {
            var j = start
            while j + marker.count <= n {
                if Array(s[j..<(j + marker.count)]) == marker { return j }
                j += 1
            }
            return nil
        }
        func isWordCharacter(_ index: Int) -> Bool {
            index >= 0 && index < n && (s[index].isLetter || s[index].isNumber)
        }
        while i < n {
            let c = s[i]
            let next: Character? = i + 1 < n ? s[i + 1] : nil
            if c == "\\", let next, next.isPunctuation || next.isSymbol {
                out += escape(String(next))
                i += 2
                continue
            }
            if c == "`", let end = find(["`"], from: i + 1), end > i + 1 {
                out += "<code>" + escape(String(s[(i + 1)..<end])) + "</code>"
                i = end + 1
                continue
            }
            var doubled = false
            for (marker, tag) in [(["*", "*"], "b"), (["_", "_"], "b"), (["~", "~"], "s")] as [([Character], String)]
            where c == marker[0] && next == marker[1] {
                if let end = find(marker, from: i + 2), end > i + 2, s[i + 2] != " ", s[end - 1] != " " {
                    out += "<\(tag)>" + inline(Array(s[(i + 2)..<end])) + "</\(tag)>"
                    i = end + 2
                    doubled = true
                }
                break
            }
            if doubled { continue }
            if c == "*" || c == "_", next != c, next != " ", next != nil, !(c == "_" && isWordCharacter(i - 1)),
                let end = find([c], from: i + 1), end > i + 1, s[end - 1] != " ",
                !(c == "_" && isWordCharacter(end + 1)), !(end + 1 < n && s[end + 1] == c)
            {
                out += "<i>" + inline(Array(s[(i + 1)..<end])) + "</i>"
                i = end + 1
                continue
            }
            if c == "[", let close = find(["]", "("], from: i + 1), let paren = find([")"], from: close + 2) {
                let url = String(s[(close + 2)..<paren]).trimmingCharacters(in: .whitespaces)
                let scheme = url.lowercased()
                if scheme.hasPrefix("http://") || scheme.hasPrefix("https://") || scheme.hasPrefix("tg://") || scheme.hasPrefix("mailto:") {
                    let href = escape(url).replacingOccurrences(of: "\"", with: "&quot;")
                    out += "<a href=\"\(href)\">" + inline(Array(s[(i + 1)..<close])) + "</a>"
                    i = paren + 1
                    continue
                }
            }
            out += escape(String(c))
            i += 1
        }
        return out
    }
}
