// Sources/Runtime/Sessions/TranscriptText.swift - the plain text of a message, for titles and previews

import ProtocolSupport

/// Plain text out of upstream message objects, shortened for `derivedTitle` and `lastMessagePreview`.
enum TranscriptText {
    static let previewLength = 120
    static let titleLength = 60

    /// The text parts of `content` (a string, or `[{type: "text", text}]`) as written, joined with
    /// `separator`; empty when there are none. What a model is given back.
    static func rawText(of message: JSONValue, separator: String = "") -> String {
        switch message["content"] {
        case .string(let text)?: text
        case .array(let parts)?: parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: separator)
        default: message["text"]?.stringValue ?? ""
        }
    }

    /// The text parts, whitespace collapsed: for titles and previews.
    static func text(of message: JSONValue) -> String {
        rawText(of: message, separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// At most `length` characters, the last one an ellipsis when something was cut.
    static func shorten(_ text: String, to length: Int) -> String {
        guard text.count > length else { return text }
        return String(text.prefix(length - 1)) + "…"
    }
}
