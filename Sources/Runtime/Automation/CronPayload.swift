// Sources/Runtime/Automation/CronPayload.swift - what a job does when it runs, and where its answer goes

import ProtocolSupport

/// What a job does: `{"kind":"systemEvent","text":…}` (text into the main session) or
/// `{"kind":"agentTurn","message":…}` (an isolated agent turn). Unknown members are kept, as in `CronJob`.
public enum CronPayload: Sendable, Hashable, Codable {
    case systemEvent(CronSystemEvent)
    case agentTurn(CronAgentTurn)

    public var kind: String {
        switch self {
        case .systemEvent: "systemEvent"
        case .agentTurn: "agentTurn"
        }
    }

    /// Upstream infers a missing `sessionTarget` from the payload: system events go to `main`, agent turns run
    /// `isolated`.
    public var defaultSessionTarget: CronSessionTarget {
        switch self {
        case .systemEvent: .main
        case .agentTurn: .isolated
        }
    }

    private enum CodingKeys: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "systemEvent": self = .systemEvent(try CronSystemEvent(from: decoder))
        case "agentTurn": self = .agentTurn(try CronAgentTurn(from: decoder))
        case let kind:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown payload kind \"\(kind)\" (expected systemEvent or agentTurn)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .systemEvent(let event): try event.encode(to: encoder)
        case .agentTurn(let turn): try turn.encode(to: encoder)
        }
    }
}

/// The `systemEvent` payload: text enqueued to the agent's main session.
public struct CronSystemEvent: Sendable, Hashable, Codable {
    public var text: String
    public var extra: [String: JSONValue]

    public init(text: String, extra: [String: JSONValue] = [:]) {
        self.text = text
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, text }

    public init(from decoder: any Decoder) throws {
        text = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .text)
        extra = try decoder.unknownMembers(known: CodingKeys.allCases)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try encoder.encodeUnknownMembers(extra, known: CodingKeys.allCases)
    }
}

/// The `agentTurn` payload: a message for a fresh isolated run. `deliver`, `channel`, `to` and `bestEffortDeliver` are
/// upstream's legacy delivery fields, read when the job has no `delivery` object.
public struct CronAgentTurn: Sendable, Hashable, Codable {
    public var message: String
    public var model: String?
    public var thinking: String?
    public var timeoutSeconds: Int?
    public var allowUnsafeExternalContent: Bool?
    public var deliver: Bool?
    public var channel: String?
    public var to: String?
    public var bestEffortDeliver: Bool?
    public var extra: [String: JSONValue]

    public init(
        message: String, model: String? = nil, thinking: String? = nil, timeoutSeconds: Int? = nil, allowUnsafeExternalContent: Bool? = nil,
        deliver: Bool? = nil, channel: String? = nil, to: String? = nil, bestEffortDeliver: Bool? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.message = message
        self.model = model
        self.thinking = thinking
        self.timeoutSeconds = timeoutSeconds
        self.allowUnsafeExternalContent = allowUnsafeExternalContent
        self.deliver = deliver
        self.channel = channel
        self.to = to
        self.bestEffortDeliver = bestEffortDeliver
        self.extra = extra
    }

    /// Upstream's legacy rule: delivery is requested when `deliver` is true, or when it is not false and `to` is set.
    public var legacyDeliveryRequested: Bool {
        deliver == true || (deliver != false && !(to ?? "").isEmpty)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, message, model, thinking, timeoutSeconds, allowUnsafeExternalContent, deliver, channel, to, bestEffortDeliver
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        message = try container.decode(String.self, forKey: .message)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds)
        allowUnsafeExternalContent = try container.decodeIfPresent(Bool.self, forKey: .allowUnsafeExternalContent)
        deliver = try container.decodeIfPresent(Bool.self, forKey: .deliver)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        bestEffortDeliver = try container.decodeIfPresent(Bool.self, forKey: .bestEffortDeliver)
        extra = try decoder.unknownMembers(known: CodingKeys.allCases)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(thinking, forKey: .thinking)
        try container.encodeIfPresent(timeoutSeconds, forKey: .timeoutSeconds)
        try container.encodeIfPresent(allowUnsafeExternalContent, forKey: .allowUnsafeExternalContent)
        try container.encodeIfPresent(deliver, forKey: .deliver)
        try container.encodeIfPresent(channel, forKey: .channel)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encodeIfPresent(bestEffortDeliver, forKey: .bestEffortDeliver)
        try encoder.encodeUnknownMembers(extra, known: CodingKeys.allCases)
    }
}

/// Where an isolated job's answer goes: `{"mode":"announce","channel":"last","to":…}` or `{"mode":"none"}`.
public struct CronDelivery: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case none, announce
    }

    public var mode: Mode
    /// A channel id, or `last` for the main session's last route.
    public var channel: String?
    public var to: String?
    public var accountId: String?
    /// A failed delivery leaves the run ok instead of making it an error.
    public var bestEffort: Bool?
    public var extra: [String: JSONValue]

    public init(mode: Mode, channel: String? = nil, to: String? = nil, accountId: String? = nil, bestEffort: Bool? = nil, extra: [String: JSONValue] = [:]) {
        self.mode = mode
        self.channel = channel
        self.to = to
        self.accountId = accountId
        self.bestEffort = bestEffort
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case mode, channel, to, accountId, bestEffort }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decode(Mode.self, forKey: .mode)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        accountId = try container.decodeIfPresent(String.self, forKey: .accountId)
        bestEffort = try container.decodeIfPresent(Bool.self, forKey: .bestEffort)
        extra = try decoder.unknownMembers(known: CodingKeys.allCases)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encodeIfPresent(channel, forKey: .channel)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encodeIfPresent(accountId, forKey: .accountId)
        try container.encodeIfPresent(bestEffort, forKey: .bestEffort)
        try encoder.encodeUnknownMembers(extra, known: CodingKeys.allCases)
    }
}
