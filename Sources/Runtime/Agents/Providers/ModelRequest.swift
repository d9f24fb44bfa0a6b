// Sources/Runtime/Agents/Providers/ModelRequest.swift - what a run asks a model, and what streams back

import ProtocolSupport

/// Who said a message in a model conversation.
public enum ModelRole: String, Sendable, Hashable {
    case system, user, assistant, tool
}

/// A tool call the assistant made; `arguments` is the raw JSON text the model produced.
public struct ModelToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// One message of the conversation; assistant messages may carry tool calls, tool messages answer one.
public struct ModelMessage: Sendable, Hashable {
    public var role: ModelRole
    public var content: String
    /// Calls the assistant made in this turn (role `assistant` only).
    public var toolCalls: [ModelToolCall]
    /// The call this message answers (role `tool` only).
    public var toolCallId: String?

    public init(role: ModelRole, content: String, toolCalls: [ModelToolCall] = [], toolCallId: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallId = toolCallId
    }
}

/// A tool the model may call, described by a JSON Schema for its arguments.
public struct ModelTool: Sendable, Hashable {
    public var name: String
    public var description: String
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// One request to a model provider; `model` is the provider's own model id (no `provider/` prefix).
public struct ModelRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ModelMessage]
    public var tools: [ModelTool]
    public var maxTokens: Int?
    public var temperature: Double?

    public init(model: String, messages: [ModelMessage], tools: [ModelTool] = [], maxTokens: Int? = nil, temperature: Double? = nil) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

/// Token counts as the provider reported them.
public struct ModelUsage: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// Why the model stopped, normalised across APIs; unknown reasons are kept verbatim.
public enum ModelStopReason: Sendable, Hashable {
    case endTurn, maxTokens, toolUse, stopSequence, contentFilter
    case other(String)

    /// Maps both APIs' spellings (`stop`/`end_turn`, `length`/`max_tokens`, `tool_calls`/`tool_use`).
    public init(upstream: String) {
        switch upstream {
        case "stop", "end_turn": self = .endTurn
        case "length", "max_tokens": self = .maxTokens
        case "tool_calls", "function_call", "tool_use": self = .toolUse
        case "stop_sequence": self = .stopSequence
        case "content_filter", "refusal": self = .contentFilter
        default: self = .other(upstream)
        }
    }
}

/// What a provider streams back: text and tool-call fragments in order, then usage and one `finish`.
public enum ModelEvent: Sendable, Hashable {
    case textDelta(String)
    case toolCallStarted(id: String, name: String)
    case toolCallArgumentsDelta(id: String, delta: String)
    case toolCallFinished(ModelToolCall)
    case usage(ModelUsage)
    case finish(ModelStopReason)
    /// Which candidate a `FallbackProvider` is trying (before its output), so a run can report who answered.
    case modelSelected(provider: String, model: String)

    /// Text and tool calls are output; usage and finish are bookkeeping.
    var isOutput: Bool {
        switch self {
        case .textDelta, .toolCallStarted, .toolCallArgumentsDelta, .toolCallFinished: true
        case .usage, .finish, .modelSelected: false
        }
    }
}
