// Sources/Runtime/HTTP/OpenAI/ResponsesResource.swift - the Response object and its output items, in OpenAI's shape

import Foundation
import Generated
import ProtocolSupport

/// Builds the `response` resource and its items. The field set follows the official SDK's models
/// (openai-python `types/responses/response.py`): `parallel_tool_calls`, `tool_choice` and `tools`
/// are required there, and `usage` needs its token detail objects.
struct ResponsesResource: Sendable {
    let id: String
    let createdAt: Int
    let model: String
    let request: ResponsesRequest

    init(request: ResponsesRequest, createdAt: Int = Int(Date().timeIntervalSince1970)) {
        self.id = "resp_" + UUID().uuidString.lowercased()
        self.createdAt = createdAt
        self.model = request.model ?? "openclaw"
        self.request = request
    }

    /// The resource with `status` (`in_progress`, `completed`, `failed`).
    func object(status: String, output: [JSONValue], usage: ChatUsage? = nil, error: JSONValue? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "object": "response", "created_at": .int(createdAt), "status": .string(status),
            "model": .string(model), "output": .array(output), "parallel_tool_calls": true,
            "tool_choice": toolChoice, "tools": .array(request.tools.map(Self.tool)), "metadata": [:],
            "error": error ?? .null, "incomplete_details": .null, "temperature": .null, "top_p": .null,
            "instructions": request.instructions.map(JSONValue.string) ?? .null,
            "previous_response_id": request.previousResponseId.map(JSONValue.string) ?? .null,
            "max_output_tokens": request.maxOutputTokens.map(JSONValue.int) ?? .null,
            "usage": usage.map(Self.usage) ?? .null,
        ]
        if let user = request.user { object["user"] = .string(user) }
        return .object(object)
    }

    private var toolChoice: JSONValue {
        switch request.toolChoice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .function(let name): ["type": "function", "name": .string(name)]
        }
    }

    static func tool(_ tool: ModelTool) -> JSONValue {
        ["type": "function", "name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters, "strict": false]
    }

    static func usage(_ usage: ChatUsage) -> JSONValue {
        [
            "input_tokens": .int(usage.input), "output_tokens": .int(usage.output), "total_tokens": .int(usage.totalTokens),
            "input_tokens_details": ["cached_tokens": 0, "cache_write_tokens": 0], "output_tokens_details": ["reasoning_tokens": 0],
        ]
    }

    static func newItemId(_ prefix: String) -> String { prefix + "_" + UUID().uuidString.lowercased() }

    /// An assistant message item with one `output_text` part (none while it is only announced).
    static func message(id: String, text: String?, status: String) -> JSONValue {
        [
            "type": "message", "id": .string(id), "status": .string(status), "role": "assistant",
            "content": .array(text.map { [outputText($0)] } ?? []),
        ]
    }

    static func outputText(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": []]
    }

    /// A call to a client tool: `id` is this item's, `call_id` the runtime's, which the client echoes back.
    static func functionCall(id: String, call: ModelToolCall, status: String) -> JSONValue {
        [
            "type": "function_call", "id": .string(id), "call_id": .string(call.id), "name": .string(call.name),
            "arguments": .string(call.arguments.isEmpty ? "{}" : call.arguments), "status": .string(status),
        ]
    }

    /// The resource's `error` for a failed run (`code` is one of the SDK's literals; `type` the OpenAI error type).
    static func error(_ failure: ResponsesFailure) -> JSONValue {
        ["code": .string(failure.code), "message": .string(failure.message), "type": .string(failure.type)]
    }
}

/// How a failed run is reported: HTTP status and OpenAI error words.
struct ResponsesFailure: Sendable, Equatable {
    var status: Int
    var type: String
    var code: String
    var message: String

    /// Provider failures map as chat completions does: rate limit 429, timeout 504, anything else 502.
    init(_ failure: RunFailure?) {
        switch failure?.kind {
        case .rateLimit?:
            self.init(status: 429, type: "rate_limit_error", code: "rate_limit_exceeded", message: "upstream provider rate limit")
        case .timeout?:
            self.init(status: 504, type: "api_error", code: "server_error", message: "upstream provider timeout")
        case .contextLength?:
            self.init(status: 400, type: "invalid_request_error", code: "invalid_prompt", message: failure?.message ?? "context length exceeded")
        default:
            self.init(status: 502, type: "api_error", code: "server_error", message: "upstream provider error")
        }
    }

    init(status: Int, type: String, code: String, message: String) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
    }
}
