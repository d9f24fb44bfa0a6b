// Sources/Runtime/HTTP/OpenAI/ResponsesEventWriter.swift - the SSE events of a streamed response, numbered in order

import Foundation
import Generated
import Hummingbird
import NIOCore
import ProtocolSupport

/// Writes OpenAI Responses stream events (`event: <type>` + `data: <json>`), each with its `type`
/// and a `sequence_number` counting from 0, in the order the SDK's stream accumulator expects:
/// lifecycle, then per item `output_item.added` … `output_item.done`, then `completed`/`failed`.
struct ResponsesEventWriter {
    private(set) var sequence = 0
    let resource: ResponsesResource

    init(resource: ResponsesResource) {
        self.resource = resource
    }

    /// One event's bytes; `fields` must not contain `type` or `sequence_number`.
    mutating func event(_ type: String, _ fields: [String: JSONValue]) -> ByteBuffer {
        var object = fields
        object["type"] = .string(type)
        object["sequence_number"] = .int(sequence)
        sequence += 1
        let json = (try? WireJSON.encode(JSONValue.object(object))) ?? Array("{}".utf8)
        var buffer = ByteBuffer(string: "event: \(type)\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    mutating func created() -> ByteBuffer {
        event("response.created", ["response": resource.object(status: "in_progress", output: [])])
    }

    mutating func inProgress() -> ByteBuffer {
        event("response.in_progress", ["response": resource.object(status: "in_progress", output: [])])
    }

    mutating func itemAdded(_ item: JSONValue, index: Int) -> ByteBuffer {
        event("response.output_item.added", ["output_index": .int(index), "item": item])
    }

    mutating func itemDone(_ item: JSONValue, index: Int) -> ByteBuffer {
        event("response.output_item.done", ["output_index": .int(index), "item": item])
    }

    mutating func partAdded(itemId: String, index: Int) -> ByteBuffer {
        event(
            "response.content_part.added",
            ["item_id": .string(itemId), "output_index": .int(index), "content_index": 0, "part": ResponsesResource.outputText("")]
        )
    }

    mutating func textDelta(_ delta: String, itemId: String, index: Int) -> ByteBuffer {
        event(
            "response.output_text.delta",
            ["item_id": .string(itemId), "output_index": .int(index), "content_index": 0, "delta": .string(delta), "logprobs": []]
        )
    }

    /// `output_text.done` then `content_part.done` for the finished text.
    mutating func textDone(_ text: String, itemId: String, index: Int) -> [ByteBuffer] {
        [
            event(
                "response.output_text.done",
                ["item_id": .string(itemId), "output_index": .int(index), "content_index": 0, "text": .string(text), "logprobs": []]
            ),
            event(
                "response.content_part.done",
                ["item_id": .string(itemId), "output_index": .int(index), "content_index": 0, "part": ResponsesResource.outputText(text)]
            ),
        ]
    }

    /// A whole function call item: added (empty arguments), the arguments as one delta, their done, item done.
    mutating func functionCall(_ call: ModelToolCall, itemId: String, index: Int) -> [ByteBuffer] {
        let done = ResponsesResource.functionCall(id: itemId, call: call, status: "completed")
        let arguments = done["arguments"]?.stringValue ?? "{}"
        let added: JSONValue = [
            "type": "function_call", "id": .string(itemId), "call_id": .string(call.id), "name": .string(call.name), "arguments": "",
            "status": "in_progress",
        ]
        return [
            itemAdded(added, index: index),
            event("response.function_call_arguments.delta", ["item_id": .string(itemId), "output_index": .int(index), "delta": .string(arguments)]),
            event(
                "response.function_call_arguments.done",
                ["item_id": .string(itemId), "output_index": .int(index), "arguments": .string(arguments), "name": .string(call.name)]
            ),
            itemDone(done, index: index),
        ]
    }

    mutating func completed(output: [JSONValue], usage: ChatUsage?) -> ByteBuffer {
        event("response.completed", ["response": resource.object(status: "completed", output: output, usage: usage)])
    }

    mutating func failed(output: [JSONValue], usage: ChatUsage?, failure: ResponsesFailure) -> ByteBuffer {
        event(
            "response.failed",
            ["response": resource.object(status: "failed", output: output, usage: usage, error: ResponsesResource.error(failure))]
        )
    }

    /// The terminator upstream sends after the last event (the SDK stops reading at it).
    static let done = ByteBuffer(string: "data: [DONE]\n\n")
}
