// Sources/Runtime/Agents/Providers/SSEParser.swift - incremental server-sent-events parser

/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, `nil` when the server sent none (the default type `message`).
    public var event: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Feeds on arbitrary byte chunks (a line, a UTF-8 character or a `\r\n` may be split anywhere)
/// and returns the events completed so far, following the WHATWG event-stream rules.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var eventType: String?
    private var data: [String] = []
    private var hasData = false
    private var lastId: String?

    public init() {}

    /// Consumes `bytes` and returns every event whose terminating blank line arrived.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                lastWasCR = true
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Called at end of stream: an event without its final blank line is still dispatched.
    public mutating func finish() -> SSEEvent? {
        if !line.isEmpty, let event = endLine() { return event }
        return endLine()
    }

    private mutating func endLine() -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "event": eventType = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        case "id": if !value.contains("\0") { lastId = String(value) }
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            eventType = nil
            data.removeAll()
            hasData = false
        }
        guard hasData else { return nil }
        return SSEEvent(event: eventType, data: data.joined(separator: "\n"), id: lastId)
    }
}
