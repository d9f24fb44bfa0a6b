// Sources/TestUpstream/OpenAIScript.swift - ready-made OpenAI chat-completions stream replies

import Foundation

/// Builds the server-sent events an OpenAI-compatible `/v1/chat/completions` stream sends, so a test
/// scripts what the model "says" without writing SSE by hand.
public enum OpenAIScript {
    /// One SSE `data:` event.
    public static func event(_ json: String) -> FakeModelServer.Step { .send("data: \(json)\n\n") }

    public static let done: FakeModelServer.Step = .send("data: [DONE]\n\n")

    /// A text answer streamed in `chunks`, then `finish_reason: stop`, a usage chunk and `[DONE]`.
    public static func text(_ chunks: [String], promptTokens: Int = 10, completionTokens: Int = 5, pauseBetween: Duration? = nil) -> FakeModelServer.Reply {
        var steps: [FakeModelServer.Step] = [event(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#)]
        for chunk in chunks {
            if let pauseBetween { steps.append(.pause(pauseBetween)) }
            steps.append(event(#"{"choices":[{"index":0,"delta":{"content":\#(quoted(chunk))}}]}"#))
        }
        steps.append(event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#))
        steps.append(
            event(
                #"{"choices":[],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#
            ))
        steps.append(done)
        return .sse(steps)
    }

    /// One tool call (arguments split in two deltas), then `finish_reason: tool_calls`.
    public static func toolCall(id: String, name: String, arguments: String) -> FakeModelServer.Reply {
        let half = arguments.index(arguments.startIndex, offsetBy: arguments.count / 2)
        return .sse([
            event(
                #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":\#(quoted(id)),"type":"function","function":{"name":\#(quoted(name)),"arguments":""}}]}}]}"#
            ),
            event(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":\#(quoted(String(arguments[..<half])))}}]}}]}"#),
            event(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":\#(quoted(String(arguments[half...])))}}]}}]}"#),
            event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
            done,
        ])
    }

    /// Text that starts streaming and then never ends (until the client goes away).
    public static func endless(_ first: String) -> FakeModelServer.Reply {
        .sse([event(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":\#(quoted(first))}}]}"#), .hang])
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
