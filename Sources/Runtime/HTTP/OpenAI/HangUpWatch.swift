// Sources/Runtime/HTTP/OpenAI/HangUpWatch.swift - a non-streaming answer whose client hangs up stops its run

import Hummingbird

/// Waits for a non-streaming answer's run while watching its connection: a client that hangs up
/// (its own timeout, a cancelled request) aborts the run, so the model stops generating for nobody
/// and the session's lane frees up. Streams do the same in `ChatCompletionsStream` and
/// `ResponsesStreaming`. Watching takes over the connection's inbound side, so the answer ends the
/// connection and says `Connection: close` for pooling clients.
enum HangUpWatch {
    /// The body must have been collected into `request` (`collectBody`), not read another way.
    static func finished(_ run: ActiveRun, request: Request, runtime: AgentRuntime) async -> RunOutcome? {
        do {
            return try await request.body.consumeWithInboundCloseHandler { _ in
                await run.finished()
            } onInboundClosed: {
                runtime.abort([run], reason: "aborted")
            }
        } catch {
            return await run.finished()
        }
    }

    /// `response`, ending the watched connection.
    static func closing(_ response: Response) -> Response {
        var response = response
        response.headers[.connection] = "close"
        return response
    }
}
