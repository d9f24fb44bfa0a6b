// Sources/Runtime/HTTP/HTTPJSON.swift - reading bounded JSON bodies and writing JSON answers

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ProtocolSupport

/// A request a route refuses, with the status and the words its error shape needs.
struct HTTPRouteError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// OpenAI-style error type (`invalid_request_error`, `api_error` …).
    var type: String
    var headers: HTTPFields = [:]

    static func invalid(_ message: String) -> HTTPRouteError { HTTPRouteError(status: .badRequest, message: message, type: "invalid_request_error") }
}

enum HTTPJSON {
    /// The body, refused with 413 past `limit` bytes.
    static func body(_ request: Request, limit: Int) async throws(HTTPRouteError) -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw HTTPRouteError(status: .contentTooLarge, message: "Payload too large", type: "invalid_request_error")
        }
    }

    /// The body parsed as a JSON object (an empty body is `{}` when `emptyIsObject`).
    static func object(_ request: Request, limit: Int, emptyIsObject: Bool = false) async throws(HTTPRouteError) -> JSONValue {
        let buffer = try await body(request, limit: limit)
        return try object(parsing: Data(buffer: buffer), emptyIsObject: emptyIsObject)
    }

    /// Bytes already read, parsed as `object(_:limit:emptyIsObject:)` does (also what the fuzz targets feed).
    static func object(parsing data: Data, emptyIsObject: Bool = false) throws(HTTPRouteError) -> JSONValue {
        if data.isEmpty && emptyIsObject { return .object([:]) }
        guard let value = try? WireJSON.decode(JSONValue.self, from: data), case .object = value else {
            throw HTTPRouteError.invalid("Invalid JSON body: expected a JSON object")
        }
        return value
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let bytes = (try? WireJSON.encode(value)) ?? Array("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func methodNotAllowed(allow: String) -> Response {
        text("Method Not Allowed", status: .methodNotAllowed, headers: [.allow: allow])
    }

    static func notFound() -> Response { text("Not Found", status: .notFound) }
}

/// OpenAI's error body, `{"error":{"message","type"}}`, used on every `/v1/*` route.
enum OpenAIErrorBody {
    static func response(_ error: HTTPRouteError) -> Response {
        let body: JSONValue = ["error": ["message": .string(error.message), "type": .string(error.type)]]
        return HTTPJSON.response(body, status: error.status, headers: error.headers)
    }

    static func response(_ denial: HTTPAuthDenial) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter = denial.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return response(HTTPRouteError(status: denial.status, message: denial.message, type: denial.type, headers: headers))
    }
}
