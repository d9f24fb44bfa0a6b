// Sources/Runtime/HTTP/ToolsInvokeError.swift - the error shape of POST /tools/invoke

import HTTPTypes
import Hummingbird
import ProtocolSupport

/// `{ok:false,error:{type,message}}`, the shape every `/tools/invoke` refusal uses (auth included).
struct ToolsInvokeError: Error, Sendable {
    var status: HTTPResponse.Status
    var type: String
    var message: String
    var headers: HTTPFields = [:]

    static func invalid(_ message: String) -> ToolsInvokeError { ToolsInvokeError(status: .badRequest, type: "invalid_request", message: message) }

    static func notAvailable(_ name: String) -> ToolsInvokeError {
        ToolsInvokeError(status: .notFound, type: "not_found", message: "Tool not available: \(name)")
    }

    init(status: HTTPResponse.Status, type: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.message = message
        self.headers = headers
    }

    init(_ denial: HTTPAuthDenial) {
        var headers: HTTPFields = [:]
        if let retryAfter = denial.retryAfter { headers[.retryAfter] = String(retryAfter) }
        self.init(status: denial.status, type: denial.type, message: denial.message, headers: headers)
    }

    /// A body the shared reader refused: 413 too large, 400 not a JSON object.
    init(_ error: HTTPRouteError) {
        let type = error.status == .contentTooLarge ? "payload_too_large" : "invalid_request"
        self.init(status: error.status, type: type, message: error.message, headers: error.headers)
    }

    var response: Response {
        let body: JSONValue = ["ok": false, "error": ["type": .string(type), "message": .string(message)]]
        return HTTPJSON.response(body, status: status, headers: headers)
    }
}
