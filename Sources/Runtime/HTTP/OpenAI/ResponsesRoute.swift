// Sources/Runtime/HTTP/OpenAI/ResponsesRoute.swift - POST /v1/responses: an agent turn in OpenAI's Responses shape

import Foundation
import Generated
import HTTPTypes
import Hummingbird
import NIOCore
import ProtocolSupport

/// `POST /v1/responses` (reference/http.md §2). Served only with
/// `gateway.http.endpoints.responses.enabled` (read per request; otherwise the plain 404), gateway
/// auth on every request, a 20 MB body. One request is one agent run in the session the request
/// names; a call to a client tool ends the run with `function_call` items, and the follow-up request
/// (`previous_response_id` + `function_call_output`) continues that session.
enum ResponsesRoute {
    static let path = "/v1/responses"
    static let bodyLimit = 20 * 1024 * 1024
    static let sessionPrefix = "openresponses"

    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        let sessions = ResponsesSessionMap()
        for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch, .options] {
            router.on(RouterPath(path), method: method) { request, context in
                await handle(request, context: context, hub: hub, sessions: sessions)
            }
        }
    }

    static func isEnabled(_ hub: GatewayHub) -> Bool {
        hub.config.withLock { $0.config.gateway?.http?.endpoints?.responses?.enabled } ?? false
    }

    static func handle(_ request: Request, context: GatewayRequestContext, hub: GatewayHub, sessions: ResponsesSessionMap) async -> Response {
        guard isEnabled(hub) else { return HTTPJSON.notFound() }
        guard request.method == .post else {
            var response = HTTPJSON.methodNotAllowed(allow: "POST")
            if request.method == .head { response.body = .init() }
            return response
        }
        if let denial = HTTPGatewayAuth(hub: hub).check(request, context: context) { return OpenAIErrorBody.response(denial) }
        var request = request
        do {
            let body = try await readBody(&request)
            let parsed = try ResponsesRequest(body)
            let turn = try await start(parsed, request: request, hub: hub, sessions: sessions)
            if parsed.stream { return ResponsesStreaming.response(turn, request: request) }
            return HangUpWatch.closing(respond(turn, outcome: await HangUpWatch.finished(turn.run, request: request, runtime: turn.runtime)))
        } catch {
            return OpenAIErrorBody.response(error)
        }
    }

    /// Collects the body into the request (so the stream can still watch the connection close) and parses it.
    private static func readBody(_ request: inout Request) async throws(HTTPRouteError) -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw HTTPRouteError(status: .contentTooLarge, message: "Payload too large", type: "invalid_request_error")
        }
        return try HTTPJSON.object(parsing: Data(buffer: buffer))
    }

    // MARK: - Starting the run

    /// Resolves agent and session, builds the conversation, admits and submits the run.
    private static func start(
        _ parsed: ResponsesRequest, request: Request, hub: GatewayHub, sessions: ResponsesSessionMap
    ) async throws(HTTPRouteError) -> ResponsesTurn {
        var target = try OpenAIAgentTarget.resolve(
            headers: request.headers, model: parsed.model, user: parsed.user, sessionPrefix: sessionPrefix, catalog: hub.catalog
        )
        let subject = ResponsesSessionMap.subject(authorization: request.headers[.authorization])
        if let previous = parsed.previousResponseId {
            target.sessionKey = try continuedSession(previous, target: target, subject: subject, request: request, sessions: sessions)
        }
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            throw HTTPRouteError(status: .serviceUnavailable, message: error.shape.message, type: "api_error")
        }
        let history: [JSONValue]
        do {
            history = try runtime.store.transcript(key: target.sessionKey, limit: 200).map(\.message)
        } catch {
            throw HTTPRouteError(status: .internalServerError, message: "internal error", type: "api_error")
        }
        let conversation = try ResponsesConversation.build(parsed, history: history)
        let now = Int(Clock.nowMs)
        // A client tool's result goes into the transcript as the answer to the stored call.
        for result in conversation.toolResults {
            let message = TranscriptFormat.toolResult(callId: result.callId, name: result.name, text: result.output, isError: false, at: now)
            _ = try? runtime.store.append(key: target.sessionKey, TranscriptMessage(role: "toolResult", message: message, timestamp: now))
        }
        let timeout = hub.defaultRunTimeout
        var runRequest = RunRequest(
            runId: UUID().uuidString.lowercased(), origin: .http, sessionKey: target.sessionKey, agent: target.agent,
            message: conversation.currentMessage, timeout: timeout, extraSystemPrompt: conversation.extraSystemPrompt,
            toolEventRecipient: nil, spawnedBy: nil, acceptedAt: now
        )
        runRequest.conversation = conversation.messages
        runRequest.clientTools = parsed.offeredTools
        if case .none = parsed.toolChoice { runRequest.builtinTools = false }
        runRequest.maxTokens = parsed.maxOutputTokens
        let (progress, continuation) = AsyncStream.makeStream(of: RunProgress.self, bufferingPolicy: .unbounded)
        if parsed.stream { runRequest.observer = { continuation.yield($0) } }
        let run: ActiveRun
        do {
            run = try await runtime.admit(runRequest)
        } catch {
            throw HTTPRouteError(status: .serviceUnavailable, message: error.shape.message, type: "api_error")
        }
        let resource = ResponsesResource(request: parsed)
        sessions.remember(resource.id, sessionKey: target.sessionKey, agentId: target.agent.id, subject: subject)
        run.onFinish { _ in continuation.finish() }
        runtime.submit(run)
        return ResponsesTurn(resource: resource, run: run, runtime: runtime, progress: progress)
    }

    /// The session `previous_response_id` ran in, if this caller may continue it with this agent and session key.
    private static func continuedSession(
        _ responseId: String, target: OpenAIAgentTarget, subject: String, request: Request, sessions: ResponsesSessionMap
    ) throws(HTTPRouteError) -> String {
        guard let entry = sessions.lookup(responseId), entry.subject == subject, entry.agentId == target.agent.id else {
            throw .invalid("previous_response_id: unknown response \"\(responseId)\"")
        }
        if OpenAIAgentTarget.header(request.headers, "x-openclaw-session-key") != nil, target.sessionKey != entry.sessionKey {
            throw .invalid("previous_response_id: the response belongs to another session")
        }
        return entry.sessionKey
    }

    // MARK: - Non-streaming answer

    private static func respond(_ turn: ResponsesTurn, outcome: RunOutcome?) -> Response {
        guard let outcome else {
            turn.runtime.abort([turn.run], reason: "aborted")
            return OpenAIErrorBody.response(HTTPRouteError(status: .internalServerError, message: "internal error", type: "api_error"))
        }
        var output: [JSONValue] = []
        let calls = outcome.pendingToolCalls
        var text = outcome.text
        if text.isEmpty && calls.isEmpty && outcome.status == .ok && !outcome.wasAborted { text = ResponsesTurn.emptyAnswer }
        if !text.isEmpty || calls.isEmpty {
            output.append(ResponsesResource.message(id: ResponsesResource.newItemId("msg"), text: text, status: "completed"))
        }
        for call in calls {
            output.append(ResponsesResource.functionCall(id: ResponsesResource.newItemId("fc"), call: call, status: "completed"))
        }
        if let failure = turn.failure(outcome) {
            let body = turn.resource.object(status: "failed", output: output, usage: outcome.usage, error: ResponsesResource.error(failure))
            return HTTPJSON.response(body, status: HTTPResponse.Status(code: failure.status))
        }
        return HTTPJSON.response(turn.resource.object(status: "completed", output: output, usage: outcome.usage))
    }
}

/// An admitted, submitted run and what its answer needs.
struct ResponsesTurn: Sendable {
    static let emptyAnswer = "No response from OpenClaw."

    let resource: ResponsesResource
    let run: ActiveRun
    let runtime: AgentRuntime
    /// The run's text deltas (streaming only); finishes when the run has ended.
    let progress: AsyncStream<RunProgress>

    /// Why the outcome is a failed response: a run error, an abort, or a required tool call that did not happen.
    func failure(_ outcome: RunOutcome) -> ResponsesFailure? {
        if outcome.status == .error { return ResponsesFailure(outcome.failure) }
        if outcome.wasAborted || outcome.stopReason == "timeout" {
            return ResponsesFailure(status: 500, type: "api_error", code: "server_error", message: "run \(outcome.stopReason)")
        }
        switch resource.request.toolChoice {
        case .required where outcome.pendingToolCalls.isEmpty:
            return ResponsesFailure(
                status: 502, type: "api_error", code: "server_error", message: "the model did not call a tool although tool_choice requires one"
            )
        case .function(let name) where !outcome.pendingToolCalls.contains(where: { $0.name == name }):
            return ResponsesFailure(
                status: 502, type: "api_error", code: "server_error", message: "the model did not call the required tool \"\(name)\""
            )
        default:
            return nil
        }
    }
}
