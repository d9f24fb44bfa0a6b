// Sources/Runtime/HTTP/OpenAI/ChatCompletionsStream.swift - `stream: true`: the run's answer as server-sent chunks

import HTTPTypes
import Hummingbird
import NIOCore
import ProtocolSupport

/// Streams a run as `chat.completion.chunk` frames (`data: <json>\n\n`, no `event:` lines): the
/// role, each text delta as the model produces it, client tool calls, an empty-delta chunk carrying
/// `finish_reason` (always sent, so clients that wait for it stop), usage on request, `[DONE]`.
///
/// A client that hangs up (seen on the request's inbound side, even while the model is quiet) or
/// whose socket fails a write aborts the run: nobody is left to read the answer.
enum ChatCompletionsStream {
    private enum Signal: Sendable {
        case delta(String)
        case finished(RunOutcome?)
    }

    /// Admits and submits the run, and returns the response whose body follows it.
    static func start(
        _ runRequest: RunRequest, completion: ChatCompletionsRequest, answer: ChatCompletionsResponse, runtime: AgentRuntime, request: Request
    ) async throws(HTTPRouteError) -> Response {
        var runRequest = runRequest
        let (signals, sink) = AsyncStream.makeStream(of: Signal.self)
        runRequest.observer = { progress in
            if case .textDelta(let text) = progress, !text.isEmpty { sink.yield(.delta(text)) }
        }
        let run = try await ChatCompletionsRoute.admit(runRequest, runtime: runtime)
        run.onFinish { outcome in
            sink.yield(.finished(outcome))
            sink.finish()
        }
        runtime.submit(run)
        // Watching for the client going away (below) ends the connection with the stream: say so,
        // so pooling clients open a new one instead of failing on a closed socket.
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .connection: "close"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                do {
                    try await request.body.consumeWithInboundCloseHandler { _ in
                        try await stream(signals, to: &writer, completion: completion, answer: answer)
                    } onInboundClosed: {
                        runtime.abort([run], reason: "aborted")
                    }
                } catch {
                    runtime.abort([run], reason: "aborted")
                    throw error
                }
                try await writer.finish(nil)
            })
    }

    private static func stream(
        _ signals: AsyncStream<Signal>, to writer: inout any ResponseBodyWriter, completion: ChatCompletionsRequest, answer: ChatCompletionsResponse
    ) async throws {
        try await writer.write(frame(answer.chunk(delta: ["role": "assistant"])))
        var streamed = false
        for await signal in signals {
            switch signal {
            case .delta(let text):
                streamed = true
                try await writer.write(frame(answer.chunk(delta: ["content": .string(text)])))
            case .finished(let outcome):
                let frames = closing(outcome, streamed: streamed, completion: completion, answer: answer)
                try await writer.write(contentsOf: frames.map(frame) + [ByteBuffer(string: "data: [DONE]\n\n")])
                return
            }
        }
    }

    /// The frames after the last delta: what was not streamed, tool calls, the finish, usage.
    private static func closing(_ outcome: RunOutcome?, streamed: Bool, completion: ChatCompletionsRequest, answer: ChatCompletionsResponse) -> [JSONValue] {
        var frames: [JSONValue] = []
        guard let outcome, outcome.failure == nil, ChatCompletionsRoute.unmet(completion, outcome) == nil else {
            frames.append(answer.chunk(delta: ["content": .string(ChatCompletionsResponse.streamError)], finishReason: "stop"))
            if completion.includeUsage { frames.append(answer.usageChunk(outcome?.usage)) }
            return frames
        }
        let calls = outcome.pendingToolCalls
        if !streamed {
            // The agent produced no deltas (or none reached us): the whole answer as one chunk.
            let text = outcome.text.isEmpty && calls.isEmpty ? ChatCompletionsResponse.emptyAnswer : outcome.text
            if !text.isEmpty { frames.append(answer.chunk(delta: ["content": .string(text)])) }
        }
        if !calls.isEmpty {
            let deltas = calls.enumerated().map { index, call in ChatCompletionsResponse.toolCall(call, index: index) }
            frames.append(answer.chunk(delta: ["tool_calls": .array(deltas)]))
        }
        frames.append(answer.chunk(delta: .object([:]), finishReason: calls.isEmpty ? "stop" : "tool_calls"))
        if completion.includeUsage { frames.append(answer.usageChunk(outcome.usage)) }
        return frames
    }

    private static func frame(_ value: JSONValue) -> ByteBuffer {
        let json = (try? WireJSON.encode(value)) ?? Array("{}".utf8)
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }
}
