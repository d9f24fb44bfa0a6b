// Sources/Runtime/HTTP/Hooks/HooksResponse.swift - the answers of the hooks routes

import HTTPTypes
import Hummingbird
import ProtocolSupport

/// Early refusals (query token, method, auth) are plain text like upstream's; refusals after
/// the body is read are `{ok:false,error:"…"}` with the error as a sentence.
struct HookError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var runId: String? = nil

    static func invalid(_ message: String) -> HookError { HookError(status: .badRequest, message: message) }

    var response: Response {
        var body: [String: JSONValue] = ["ok": false, "error": .string(message)]
        if let runId { body["runId"] = .string(runId) }
        return HTTPJSON.response(JSONValue.object(body), status: status)
    }
}

enum HooksResponse {
    static let queryToken = HTTPJSON.text(
        "Hook token must be sent in the Authorization: Bearer header or the X-OpenClaw-Token header, never in the URL query.", status: .badRequest
    )
    static let unauthorized = HTTPJSON.text("Unauthorized", status: .unauthorized)

    static func tooManyRequests(retryAfterMs: Int) -> Response {
        HTTPJSON.text("Too Many Requests", status: .tooManyRequests, headers: [.retryAfter: String(max(1, (retryAfterMs + 999) / 1000))])
    }
}
