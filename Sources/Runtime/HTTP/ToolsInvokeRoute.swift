// Sources/Runtime/HTTP/ToolsInvokeRoute.swift - POST /tools/invoke: one built-in tool call over HTTP

import Foundation
import Generated
import HTTPTypes
import Hummingbird
import ProtocolSupport

/// Upstream's direct tool call (reference/http.md §3): always served, behind gateway auth, 2 MB
/// bodies. It runs one of the gateway's built-in tools in a session's context without a model
/// turn; unknown and denied tools are the same 404 so the deny list does not leak.
enum ToolsInvokeRoute {
    static let path = "/tools/invoke"
    static let maxBodyBytes = 2 * 1024 * 1024

    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        router.on(RouterPath(path), method: .post) { request, context in
            do throws(ToolsInvokeError) {
                return try await invoke(request, context: context, hub: hub)
            } catch {
                return error.response
            }
        }
        for method in [HTTPRequest.Method.get, .head, .put, .delete, .patch, .options] {
            router.on(RouterPath(path), method: method) { _, _ in HTTPJSON.methodNotAllowed(allow: "POST") }
        }
    }

    static func invoke(_ request: Request, context: GatewayRequestContext, hub: GatewayHub) async throws(ToolsInvokeError) -> Response {
        if let denial = HTTPGatewayAuth(hub: hub).check(request, context: context) { throw ToolsInvokeError(denial) }
        let body: JSONValue
        do {
            body = try await HTTPJSON.object(request, limit: maxBodyBytes, emptyIsObject: true)
        } catch {
            throw ToolsInvokeError(error)
        }
        let call = try ToolsInvokeRequest(body)
        guard let tool = ToolsInvokePolicy(config: hub.config.withLock { $0.config }).tool(named: call.tool) else {
            throw .notAvailable(call.tool)
        }
        let sessionKey = try call.sessionKey(catalog: hub.catalog)
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            throw ToolsInvokeError(status: .serviceUnavailable, type: "unavailable", message: "the gateway is not ready to run tools")
        }
        let arguments = call.arguments(for: tool)
        let result: EncodedJSON
        do {
            result = try await tool.call(
                BuiltinTools(), arguments: .standalone(arguments),
                context: ToolContext(store: runtime.store, sessionKey: sessionKey, now: Date())
            )
        } catch let error as InvalidParams {
            throw .invalid(error.description)
        } catch let error as ToolFailure {
            throw .invalid(error.description)
        } catch {
            hub.logger.warning("[tools-invoke] \(tool.rawValue) failed: \(error)")
            throw ToolsInvokeError(status: .internalServerError, type: "tool_error", message: "tool execution failed")
        }
        let text = String(decoding: result.bytes, as: UTF8.self)
        let details = (try? WireJSON.decode(JSONValue.self, from: Data(result.bytes))) ?? .null
        let answer: JSONValue = ["ok": true, "result": ["content": [["type": "text", "text": .string(text)]], "details": details]]
        return HTTPJSON.response(answer)
    }
}
