// Sources/Runtime/HTTP/OpenAI/ResponsesStreaming.swift - a run streamed as Responses SSE events

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ProtocolSupport

/// The `stream: true` answer: headers at once, then the event sequence of reference/http.md §2
/// (created, in_progress, the message item with its text deltas, one function_call item per pending
/// client tool call, then completed or failed) and `data: [DONE]`. A client that goes away aborts the run.
enum ResponsesStreaming {
    static func response(_ turn: ResponsesTurn, request: Request) -> Response {
        // Watching for the client going away (below) ends the connection with the stream: say so,
        // so pooling clients open a new one instead of failing on a closed socket.
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .connection: "close"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                do {
                    try await request.body.consumeWithInboundCloseHandler { _ in
                        try await stream(turn, to: &writer)
                    } onInboundClosed: {
                        turn.runtime.abort([turn.run], reason: "aborted")
                    }
                } catch {
                    // The client went away mid-write: nobody is left to answer.
                    turn.runtime.abort([turn.run], reason: "aborted")
                    throw error
                }
                try await writer.finish(nil)
            })
    }

    private static func stream(_ turn: ResponsesTurn, to writer: inout any ResponseBodyWriter) async throws {
        var events = ResponsesEventWriter(resource: turn.resource)
        let messageId = ResponsesResource.newItemId("msg")
        try await writer.write(events.created())
        try await writer.write(events.inProgress())
        try await writer.write(events.itemAdded(ResponsesResource.message(id: messageId, text: nil, status: "in_progress"), index: 0))
        try await writer.write(events.partAdded(itemId: messageId, index: 0))
        var text = ""
        var newTurn = false
        for await progress in turn.progress {
            switch progress {
            case .turnStarted(let iteration):
                newTurn = iteration > 1
            case .textDelta(let delta):
                guard !delta.isEmpty else { continue }
                // After a tool round trip the text continues as the run's does: a blank line between turns.
                let piece = newTurn && !text.isEmpty ? "\n\n" + delta : delta
                newTurn = false
                text += piece
                try await writer.write(events.textDelta(piece, itemId: messageId, index: 0))
            }
        }
        guard let outcome = await turn.run.finished() else { return }
        let calls = outcome.pendingToolCalls
        if text.isEmpty {
            // Nothing streamed (or nothing said): the whole text as one delta.
            let saidNothing = calls.isEmpty && outcome.status == .ok && !outcome.wasAborted
            let whole = !outcome.text.isEmpty ? outcome.text : (saidNothing ? ResponsesTurn.emptyAnswer : "")
            if !whole.isEmpty {
                text = whole
                try await writer.write(events.textDelta(whole, itemId: messageId, index: 0))
            }
        }
        for buffer in events.textDone(text, itemId: messageId, index: 0) { try await writer.write(buffer) }
        let message = ResponsesResource.message(id: messageId, text: text, status: "completed")
        try await writer.write(events.itemDone(message, index: 0))
        var output = [message]
        for (offset, call) in calls.enumerated() {
            let itemId = ResponsesResource.newItemId("fc")
            for buffer in events.functionCall(call, itemId: itemId, index: offset + 1) { try await writer.write(buffer) }
            output.append(ResponsesResource.functionCall(id: itemId, call: call, status: "completed"))
        }
        if let failure = turn.failure(outcome) {
            try await writer.write(events.failed(output: output, usage: outcome.usage, failure: failure))
        } else {
            try await writer.write(events.completed(output: output, usage: outcome.usage))
        }
        try await writer.write(ResponsesEventWriter.done)
    }
}
