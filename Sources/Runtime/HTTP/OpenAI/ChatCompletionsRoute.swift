// Sources/Runtime/HTTP/OpenAI/ChatCompletionsRoute.swift - POST /v1/chat/completions: an agent run behind OpenAI's API

import Foundation
import Generated
import HTTPTypes
import Hummingbird

/// OpenAI's Chat Completions endpoint (reference/http.md §1), served only while
/// `gateway.http.endpoints.chatCompletions.enabled` (read per request; otherwise the plain 404).
/// Each request is one agent run in the session `OpenAIAgentTarget` picks, with the client's
/// messages as the model's input; `stream: true` answers with server-sent chunks.
enum ChatCompletionsRoute {
    static let path = "/v1/chat/completions"
    static let bodyLimit = 20 * 1024 * 1024

    /// Registers this route and `/v1/models` (which serves both OpenAI-compatible endpoints).
    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        ModelsRoute.register(on: router, hub: hub)
        router.on(RouterPath(path), method: .post) { request, context in
            guard isEnabled(hub) else { return HTTPJSON.notFound() }
            if let denial = HTTPGatewayAuth(hub: hub).check(request, context: context) { return OpenAIErrorBody.response(denial) }
            do throws(HTTPRouteError) {
                return try await handle(request, hub: hub)
            } catch {
                return OpenAIErrorBody.response(error)
            }
        }
        for method in [HTTPRequest.Method.get, .head, .put, .delete, .patch, .options] {
            router.on(RouterPath(path), method: method) { _, _ in
                let response = isEnabled(hub) ? HTTPJSON.methodNotAllowed(allow: "POST") : HTTPJSON.notFound()
                return method == .head ? response.withoutBody : response
            }
        }
    }

    static func isEnabled(_ hub: GatewayHub) -> Bool {
        hub.config.withLock { $0.config.gateway?.http?.endpoints?.chatCompletions?.enabled } ?? false
    }

    private static func handle(_ request: Request, hub: GatewayHub) async throws(HTTPRouteError) -> Response {
        // Collected into the request (not just read), so a stream can still see the client hang up.
        var request = request
        do {
            _ = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw HTTPRouteError(status: .contentTooLarge, message: "Payload too large", type: "invalid_request_error")
        }
        let body = try await HTTPJSON.object(request, limit: bodyLimit)
        let completion = try ChatCompletionsRequest(body)
        let target = try OpenAIAgentTarget.resolve(
            headers: request.headers, model: completion.modelGiven, user: completion.user, sessionPrefix: "openai", catalog: hub.catalog
        )
        guard let message = completion.conversation.lastUserMessage else { throw .invalid("Missing user message in `messages`.") }
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            throw HTTPRouteError(status: .serviceUnavailable, message: "The gateway is not running agents right now.", type: "api_error")
        }
        let answer = ChatCompletionsResponse(id: "chatcmpl_\(UUID().uuidString.lowercased())", model: completion.model)
        let extraSystemPrompt = [completion.conversation.extraSystemPrompt, completion.toolInstruction].compactMap { $0 }.joined(separator: "\n\n")
        var runRequest = RunRequest(
            runId: answer.id, origin: .http, sessionKey: target.sessionKey, agent: target.agent, message: message, timeout: hub.defaultRunTimeout,
            extraSystemPrompt: extraSystemPrompt.isEmpty ? nil : extraSystemPrompt, toolEventRecipient: nil, spawnedBy: nil,
            acceptedAt: Int(Clock.nowMs)
        )
        runRequest.conversation = completion.conversation.messages
        runRequest.clientTools = completion.offeredTools
        if case .none = completion.toolChoice { runRequest.builtinTools = false }
        runRequest.maxTokens = completion.maxTokens
        if completion.stream {
            return try await ChatCompletionsStream.start(runRequest, completion: completion, answer: answer, runtime: runtime, request: request)
        }
        let run = try await admit(runRequest, runtime: runtime)
        runtime.submit(run)
        let outcome = await HangUpWatch.finished(run, request: request, runtime: runtime)
        return HangUpWatch.closing(respond(outcome, run: run, runtime: runtime, completion: completion, answer: answer))
    }

    /// The whole completion, or the error the run ended with.
    private static func respond(
        _ outcome: RunOutcome?, run: ActiveRun, runtime: AgentRuntime, completion: ChatCompletionsRequest, answer: ChatCompletionsResponse
    ) -> Response {
        guard let outcome else {
            runtime.abort([run], reason: "aborted")
            return OpenAIErrorBody.response(HTTPRouteError(status: .internalServerError, message: "internal error", type: "api_error"))
        }
        if let failure = outcome.failure { return OpenAIErrorBody.response(httpError(failure)) }
        if let unmet = unmet(completion, outcome) { return OpenAIErrorBody.response(unmet) }
        return HTTPJSON.response(answer.completion(outcome))
    }

    /// Accepts the run (stores the user's message); a refusal is the gateway's, not the client's fault.
    static func admit(_ request: RunRequest, runtime: AgentRuntime) async throws(HTTPRouteError) -> ActiveRun {
        do {
            return try await runtime.admit(request)
        } catch {
            throw HTTPRouteError(status: .serviceUnavailable, message: error.shape.message, type: "api_error")
        }
    }

    /// A `required` or pinned `tool_choice` the run did not honour.
    static func unmet(_ completion: ChatCompletionsRequest, _ outcome: RunOutcome) -> HTTPRouteError? {
        guard outcome.status == .ok, !outcome.wasAborted, !completion.isSatisfied(by: outcome.pendingToolCalls) else { return nil }
        return HTTPRouteError(status: .badGateway, message: "The model did not call the tool `tool_choice` requires.", type: "api_error")
    }

    /// A failed run in OpenAI's terms: rate limits 429, timeouts 504, other provider failures 502;
    /// a gateway without a model says how to configure one.
    static func httpError(_ failure: RunFailure) -> HTTPRouteError {
        switch failure.kind {
        case .rateLimit:
            return HTTPRouteError(status: .tooManyRequests, message: "upstream provider rate limit", type: "rate_limit_error")
        case .timeout:
            return HTTPRouteError(status: .gatewayTimeout, message: "upstream provider timeout", type: "api_error")
        default:
            if failure.message.hasPrefix("no model configured") {
                return HTTPRouteError(status: .internalServerError, message: failure.message, type: "api_error")
            }
            return HTTPRouteError(status: .badGateway, message: "upstream provider error", type: "api_error")
        }
    }
}

extension Response {
    /// The same status and headers with no body (the answer to HEAD).
    var withoutBody: Response {
        var response = self
        response.body = .init()
        return response
    }
}
