// Sources/TestUpstream/FakeTelegramHTML.swift - Telegram's HTML parse mode as the fake Bot API checks it

/// Why Telegram would refuse a `parse_mode: HTML` text ("can't parse entities: …").
public struct FakeTelegramHTMLProblem: Error, Sendable {
    public var message: String
}

extension FakeTelegramServer {
    /// Telegram's tags; anything else is "Unsupported start tag".
    static let htmlTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
    ]

    /// The text a user would see (tags removed, entities decoded), or why the markup is refused:
    /// unknown tags, unbalanced tags, a `<` that opens no tag, unknown named entities.
    public static func parseHTML(_ html: String) -> Result<String, FakeTelegramHTMLProblem> {
        var visible = ""
        var open: [String] = []
        var rest = Substring(html)
        while let character = rest.first {
            if character == "<" {
                guard let close = rest.firstIndex(of: ">") else {
                    return .failure(.init(message: "Unclosed start tag at byte offset \(html.utf8.count - rest.utf8.count)"))
                }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if inside.hasPrefix("/") {
                    let name = inside.dropFirst().lowercased()
                    guard open.last == name else {
                        return .failure(.init(message: "Can't find end tag corresponding to start tag \"\(open.last ?? name)\""))
                    }
                    open.removeLast()
                } else {
                    let name = String(inside.prefix { $0 != " " && $0 != "\n" }).lowercased()
                    guard htmlTags.contains(name) else { return .failure(.init(message: "Unsupported start tag \"\(name)\"")) }
                    if name == "a", !inside.contains("href=") { return .failure(.init(message: "Tag \"a\" must have href")) }
                    open.append(name)
                }
            } else if character == "&", let semicolon = rest.prefix(12).firstIndex(of: ";") {
                let name = rest[rest.index(after: rest.startIndex)..<semicolon]
                let decoded: String?
                switch name {
                case "lt": decoded = "<"
                case "gt": decoded = ">"
                case "amp": decoded = "&"
                case "quot": decoded = "\""
                default:
                    if name.hasPrefix("#x"), let code = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                        decoded = String(Character(scalar))
                    } else if name.hasPrefix("#"), let code = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(code) {
                        decoded = String(Character(scalar))
                    } else {
                        decoded = nil
                    }
                }
                guard let decoded else { return .failure(.init(message: "Unsupported HTML entity \"&\(name);\"")) }
                visible += decoded
                rest = rest[rest.index(after: semicolon)...]
            } else {
                visible.append(character)
                rest = rest.dropFirst()
            }
        }
        if let unclosed = open.last { return .failure(.init(message: "Can't find end tag corresponding to start tag \"\(unclosed)\"")) }
        return .success(visible)
    }
}
