// Sources/Runtime/Channels/IRC/IRCMessage.swift - one IRC protocol line, parsed and serialized (RFC 1459/2812)

/// One line of the IRC protocol: `[@tags] [:prefix] COMMAND params… [:trailing]`.
///
/// IRCv3 message tags are skipped on parse (this client negotiates no capabilities, so a server
/// only sends them unasked); the command is upper-cased so numerics and words compare directly.
public struct IRCMessage: Sendable, Equatable {
    public var prefix: String?
    public var command: String
    public var params: [String]

    public init(prefix: String? = nil, command: String, params: [String] = []) {
        self.prefix = prefix
        self.command = command
        self.params = params
    }

    /// Parses a line without its CR/LF; nil for a blank line or one without a command.
    public static func parse(_ line: some StringProtocol) -> IRCMessage? {
        var rest = Substring(line)
        func nextWord() -> Substring {
            while rest.first == " " { rest.removeFirst() }
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            let word = rest[..<end]
            rest = rest[end...]
            return word
        }
        while rest.first == " " { rest.removeFirst() }
        if rest.first == "@" { _ = nextWord() }
        while rest.first == " " { rest.removeFirst() }
        var prefix: String?
        if rest.first == ":" { prefix = String(nextWord().dropFirst()) }
        let command = nextWord()
        guard !command.isEmpty else { return nil }
        var params: [String] = []
        while true {
            while rest.first == " " { rest.removeFirst() }
            if rest.isEmpty { break }
            if rest.first == ":" {
                params.append(String(rest.dropFirst()))
                break
            }
            params.append(String(nextWord()))
        }
        return IRCMessage(prefix: prefix, command: command.uppercased(), params: params)
    }

    /// The wire form without CR/LF; the last parameter is sent as trailing when it needs to be.
    public var serialized: String {
        var line = prefix.map { ":\($0) " } ?? ""
        line += command
        for (index, param) in params.enumerated() {
            let isLast = index == params.count - 1
            if isLast && (param.isEmpty || param.contains(" ") || param.hasPrefix(":")) {
                line += " :" + param
            } else {
                line += " " + param
            }
        }
        return line
    }

    /// The sender's nick (`nick` of `nick!user@host`), or the server name for server messages.
    public var sourceNick: String? {
        guard let prefix else { return nil }
        return String(prefix.prefix { $0 != "!" && $0 != "@" })
    }

    /// The parameter at `index`, if present.
    public func param(_ index: Int) -> String? { params.indices.contains(index) ? params[index] : nil }
}
