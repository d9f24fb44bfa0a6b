// Sources/Runtime/HTTP/OpenAI/ModelsRoute.swift - GET /v1/models and /v1/models/{id}: the agent targets as OpenAI models

import Foundation
import HTTPTypes
import Hummingbird
import ProtocolSupport

/// The "models" an OpenAI client may pick are the gateway's agent targets: `openclaw`,
/// `openclaw/default` and `openclaw/<agentId>` for each configured agent (no provider models).
/// Served while Chat Completions or Responses is enabled (reference/http.md §0 stage 2).
enum ModelsRoute {
    static let path = "/v1/models"

    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        router.on(RouterPath(path), method: .get) { request, context in
            guarded(request, context: context, hub: hub) {
                HTTPJSON.response(["object": "list", "data": .array(ids(hub.catalog).map(model))] as JSONValue)
            }
        }
        router.on(RouterPath(path + "/**"), method: .get) { request, context in
            guarded(request, context: context, hub: hub) {
                // Ids carry a slash: taken from the raw path so `openclaw%2Fmain` and `openclaw/main` both work.
                let raw = request.uri.path.dropFirst(path.count + 1)
                let id = String(raw).removingPercentEncoding ?? String(raw)
                guard ids(hub.catalog).contains(id) else {
                    return OpenAIErrorBody.response(
                        HTTPRouteError(status: .notFound, message: "The model `\(id)` does not exist.", type: "invalid_request_error"))
                }
                return HTTPJSON.response(model(id))
            }
        }
        for route in [path, path + "/**"] {
            for method in [HTTPRequest.Method.post, .put, .delete, .patch, .head, .options] {
                router.on(RouterPath(route), method: method) { _, _ in
                    let response = isEnabled(hub) ? HTTPJSON.methodNotAllowed(allow: "GET") : HTTPJSON.notFound()
                    return method == .head ? response.withoutBody : response
                }
            }
        }
    }

    static func isEnabled(_ hub: GatewayHub) -> Bool {
        let endpoints = hub.config.withLock { $0.config.gateway?.http?.endpoints }
        return endpoints?.chatCompletions?.enabled == true || endpoints?.responses?.enabled == true
    }

    /// The answer when the route is on and the caller authenticated, else the 404 or the auth error.
    private static func guarded(_ request: Request, context: GatewayRequestContext, hub: GatewayHub, _ answer: () -> Response) -> Response {
        guard isEnabled(hub) else { return HTTPJSON.notFound() }
        if let denial = HTTPGatewayAuth(hub: hub).check(request, context: context) { return OpenAIErrorBody.response(denial) }
        return answer()
    }

    static func ids(_ catalog: AgentCatalog) -> [String] {
        ["openclaw", "openclaw/default"] + catalog.agents.map { "openclaw/\($0.id)" }
    }

    static func model(_ id: String) -> JSONValue {
        ["id": .string(id), "object": "model", "created": 0, "owned_by": "openclaw", "permission": []]
    }
}
