// Sources/Runtime/Channels/IRC/IRCTextSplitter.swift - long text → PRIVMSG lines that fit 512 bytes

import Foundation

/// Splits outbound text into pieces whose whole protocol line fits the 512-byte IRC limit.
///
/// The budget counts everything the *recipient* receives: the server relays our line with our
/// source prefix (`:nick!user@host `) in front, so that is reserved too, plus `PRIVMSG target :`
/// and CRLF. Newlines become separate messages (IRC lines cannot hold them); pieces end at the last
/// space that fits, else at a character boundary, never inside a UTF-8 sequence or a grapheme.
public enum IRCTextSplitter {
    /// The RFC 1459 line limit, CRLF included.
    public static let lineLimit = 512

    /// The payload bytes left for the text of one line.
    /// - Parameters:
    ///   - command: `PRIVMSG` or `NOTICE`.
    ///   - target: the channel or nick.
    ///   - sourcePrefixBytes: bytes of `:nick!user@host ` the server will put in front when relaying.
    public static func textBudget(command: String = "PRIVMSG", target: String, sourcePrefixBytes: Int) -> Int {
        let overhead = sourcePrefixBytes + command.utf8.count + 1 + target.utf8.count + 2 + 2
        return max(lineLimit - overhead, 16)
    }

    /// The pieces of `text`, each at most `budget` UTF-8 bytes; blank lines are dropped.
    public static func split(_ text: String, budget: Int) -> [String] {
        var pieces: [String] = []
        let cleaned = text.replacingControlCharacters()
        for line in cleaned.split(separator: "\n", omittingEmptySubsequences: true) {
            var rest = Substring(line)
            while !rest.isEmpty {
                if rest.utf8.count <= budget {
                    pieces.append(String(rest))
                    break
                }
                let (piece, remainder) = cut(rest, budget: budget)
                let trimmed = piece.trimmingTrailingSpaces()
                if !trimmed.isEmpty { pieces.append(String(trimmed)) }
                rest = remainder.drop { $0 == " " }
            }
        }
        return pieces.filter { !$0.allSatisfy { $0 == " " } }
    }

    /// The longest prefix within `budget` bytes, preferring to end at a space.
    private static func cut(_ text: Substring, budget: Int) -> (Substring, Substring) {
        var bytes = 0
        var end = text.startIndex
        var lastSpace: Substring.Index?
        for index in text.indices {
            let size = text[index].utf8.count
            if bytes + size > budget { break }
            bytes += size
            if text[index] == " " { lastSpace = index }
            end = text.index(after: index)
        }
        if end == text.startIndex {
            // One grapheme larger than the budget (long combining sequence): cut by scalars.
            var scalarBytes = 0
            var scalarEnd = text.unicodeScalars.startIndex
            for index in text.unicodeScalars.indices {
                let size = text.unicodeScalars[index].utf8.count
                if scalarBytes + size > budget { break }
                scalarBytes += size
                scalarEnd = text.unicodeScalars.index(after: index)
            }
            if scalarEnd == text.unicodeScalars.startIndex { scalarEnd = text.unicodeScalars.index(after: scalarEnd) }
            return (text[..<scalarEnd], text[scalarEnd...])
        }
        if let lastSpace, lastSpace > text.startIndex, end < text.endIndex, text[end] != " " {
            return (text[..<lastSpace], text[lastSpace...])
        }
        return (text[..<end], text[end...])
    }
}

extension String {
    /// CR/LF variants become LF; NUL and other C0 controls except IRC formatting codes go.
    fileprivate func replacingControlCharacters() -> String {
        let normalized = replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let kept: Set<UInt32> = [0x02, 0x03, 0x0F, 0x11, 0x16, 0x1D, 0x1E, 0x1F, 0x0A]
        return String(
            String.UnicodeScalarView(
                normalized.unicodeScalars.filter {
                    $0.value >= 0x20 && $0.value != 0x7F || kept.contains($0.value) || $0 == "\t"
                }.map { $0 == "\t" ? " " : $0 }))
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
