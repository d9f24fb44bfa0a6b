// Sources/Runtime/Automation/Heartbeat/HeartbeatReply.swift - what a heartbeat answer means

import Foundation

/// Upstream's `HEARTBEAT_OK` rules (`auto-reply/heartbeat.ts`): the model answers the token when
/// nothing needs attention. The token counts only at the start or the end of the reply (a token in
/// the middle is text), markup around it is ignored, and a reply that keeps at most `ackMaxChars`
/// characters beside it is still an acknowledgement, not an alert.
enum HeartbeatReply {
    static let token = "HEARTBEAT_OK"

    /// What a reply is.
    enum Kind: Equatable, Sendable {
        /// No text at all.
        case empty
        /// Only the token, or the token with little enough beside it.
        case ack
        /// Something to deliver (the token stripped).
        case alert(String)
    }

    static func classify(_ reply: String, ackMaxChars: Int) -> Kind {
        let trimmed = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .empty }
        let (rest, hadToken) = strip(trimmed)
        guard hadToken else { return .alert(trimmed) }
        if rest.isEmpty || rest.count <= ackMaxChars { return .ack }
        return .alert(rest)
    }

    /// The reply without leading or trailing tokens, and whether there was one.
    static func strip(_ text: String) -> (String, Bool) {
        var rest = normalize(text)
        var found = false
        while true {
            if rest.hasPrefix(token) {
                rest = String(rest.dropFirst(token.count)).trimmingCharacters(in: .whitespacesAndNewlines)
                found = true
                continue
            }
            if let range = trailingToken(in: rest) {
                rest = String(rest[..<range.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
                found = true
                continue
            }
            break
        }
        return (found ? rest : text.trimmingCharacters(in: .whitespacesAndNewlines), found)
    }

    /// HTML tags and `&nbsp;` removed, and `*` `` ` `` `~` `_` trimmed at the edges (markdown emphasis around the token).
    private static func normalize(_ text: String) -> String {
        var out = text.replacingOccurrences(of: "&nbsp;", with: " ", options: .caseInsensitive)
        out = out.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        let edges = CharacterSet(charactersIn: "*`~_").union(.whitespacesAndNewlines)
        return out.trimmingCharacters(in: edges)
    }

    /// The token at the end of `text`, followed by at most four non-word characters (`HEARTBEAT_OK.`, `HEARTBEAT_OK!!`).
    private static func trailingToken(in text: String) -> Range<String.Index>? {
        guard let range = text.range(of: token, options: .backwards) else { return nil }
        let tail = text[range.upperBound...]
        guard tail.count <= 4, tail.allSatisfy({ !($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        return range.lowerBound..<text.endIndex
    }
}

/// `HEARTBEAT.md` with only blank lines, ATX headings and empty list items asks for nothing: the
/// beat is skipped without calling the model. A missing file still beats.
enum HeartbeatFile {
    static let name = "HEARTBEAT.md"

    static func isEffectivelyEmpty(_ text: String) -> Bool {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let hashes = line.prefix { $0 == "#" }
                let after = line.dropFirst(hashes.count)
                if hashes.count <= 6, after.isEmpty || after.first == " " { continue }
                return false
            }
            if ["-", "*", "+", "- [ ]", "* [ ]", "+ [ ]", "- [x]", "- []"].contains(line) { continue }
            return false
        }
        return true
    }
}
