// Sources/Runtime/Channels/ChannelTextChunker.swift - splitting replies to a channel's message size

import Foundation

/// Splits text into pieces of at most `limit` characters, preferring paragraph breaks, then line
/// breaks, then spaces, and cutting mid-word only when a word alone is longer than the limit.
enum ChannelTextChunker {
    static func chunks(_ text: String, limit: Int) -> [String] {
        let limit = max(1, limit)
        var rest = Substring(text)
        var out: [String] = []
        while rest.count > limit {
            let window = rest.prefix(limit)
            let cut = breakPoint(in: window)
            let piece = rest[..<cut].trimmingTrailingWhitespace()
            if !piece.isEmpty { out.append(String(piece)) }
            rest = rest[cut...].drop { $0 == " " || $0 == "\n" }
        }
        let last = rest.trimmingTrailingWhitespace()
        if !last.isEmpty || out.isEmpty { out.append(String(last)) }
        return out
    }

    /// Where to end a piece inside `window` (which is `limit` long): after the last separator found
    /// past a third of the window, else the window's end.
    private static func breakPoint(in window: Substring) -> Substring.Index {
        let minimum = window.index(window.startIndex, offsetBy: window.count / 3)
        for separator in ["\n\n", "\n", " "] {
            if let range = window.range(of: separator, options: .backwards), range.lowerBound > minimum { return range.lowerBound }
        }
        return window.endIndex
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, let previous = Optional(index(before: end)), self[previous].isWhitespace { end = previous }
        return self[startIndex..<end]
    }
}
