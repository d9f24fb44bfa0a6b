// Sources/Runtime/Channels/Telegram/TelegramChunker.swift - split long replies under Telegram's message limit

import Foundation

/// Splits text into messages of at most `limit` UTF-16 code units (Telegram counts its 4096
/// limit in UTF-16, like its entity offsets). Splits at the last paragraph break that fits,
/// else the last line break, else the last space, else between characters; never inside a
/// character. A fenced code block cut in two is closed at the end of one chunk and reopened
/// (with its language) at the start of the next, so each chunk renders on its own.
public enum TelegramChunker {
    /// Telegram's hard limit for one message's text.
    public static let maxMessageLength = 4096

    public static func chunks(_ text: String, limit: Int = maxMessageLength) -> [String] {
        let limit = max(limit, 16)
        var result: [String] = []
        var rest = Substring(text)
        var reopen: String? = nil
        while !rest.isEmpty {
            let prefix = reopen.map { "```\($0)\n" } ?? ""
            var piece: Substring
            if prefix.utf16.count + rest.utf16.count <= limit {
                piece = rest
                rest = rest[rest.endIndex...]
            } else {
                var cut = cutIndex(rest, budget: limit - prefix.utf16.count)
                // A fence left open needs room for the closing "\n```".
                if openFence(in: prefix + rest[..<cut]) != nil { cut = cutIndex(rest, budget: limit - prefix.utf16.count - 4) }
                piece = rest[..<cut]
                rest = rest[cut...]
                // The separator the cut happened at does not start the next message.
                while let first = rest.first, first == "\n" || first == " " { rest = rest.dropFirst() }
            }
            var chunk = prefix + piece
            let open = openFence(in: chunk)
            if let open, !rest.isEmpty {
                while chunk.hasSuffix("\n") { chunk.removeLast() }
                chunk += "\n```"
                reopen = open
            } else {
                reopen = nil
            }
            while chunk.hasSuffix("\n") || chunk.hasSuffix(" ") { chunk.removeLast() }
            if !chunk.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { result.append(chunk) }
        }
        return result
    }

    /// Where to end a chunk of at most `budget` UTF-16 units: the best boundary in its second half, else the hard cut.
    private static func cutIndex(_ text: Substring, budget: Int) -> Substring.Index {
        var hard = text.startIndex
        var used = 0
        for index in text.indices {
            let width = text[index].utf16.count
            if used + width > budget { break }
            used += width
            hard = text.index(after: index)
        }
        if hard == text.startIndex { return text.index(after: text.startIndex) }
        let window = text[..<hard]
        let floor = window.index(window.startIndex, offsetBy: window.count / 2)
        for separator in ["\n\n", "\n", " "] {
            if let range = window.range(of: separator, options: .backwards), range.lowerBound > floor {
                return range.lowerBound
            }
        }
        return hard
    }

    /// The language of a code fence left open at the end of `text` ("" for a bare fence), nil when all are closed.
    static func openFence(in text: String) -> String? {
        var open: String? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { continue }
            open = open == nil ? String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces) : nil
        }
        return open
    }
}
