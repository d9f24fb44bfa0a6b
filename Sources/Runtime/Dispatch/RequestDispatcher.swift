// Sources/Runtime/Dispatch/RequestDispatcher.swift - req → scope check → generated method table → res

import Foundation
import Generated

/// What a method handler knows about its caller.
struct MethodContext: Sendable {
    let connection: Connection
    let client: ConnectedClient
    /// The request's `id`, for methods that answer more than once (`agent`).
    let requestId: String
    /// The request's idempotency key, for methods the spec gives one (`agent`, `chat.send`, `send`).
    var idempotency: IdempotencyClaim? = nil
}

/// Thrown by a handler that already sent its response itself (so that frames it sends next, like
/// a run's events, cannot overtake it); the dispatcher then sends nothing.
struct ResponseAlreadySent: Error {}

/// Answers requests after the handshake. Invalid frames, unknown methods and a second `connect`
/// get an error response and the socket stays open, as upstream.
struct RequestDispatcher: Sendable {
    let hub: GatewayHub
    let handler: SystemMethods

    func handle(_ message: [UInt8], on connection: Connection, client: ConnectedClient) async {
        let request: RequestFrame
        switch InboundFrame.parse(message) {
        case .notJSON:
            hub.logger.debug("ignoring non-JSON frame", metadata: ["connId": "\(connection.id)"])
            return
        case .notUnicode(_, escaped: false):
            // RFC 6455 §8.1: text that is not UTF-8 fails the connection.
            connection.close(CloseCodes.invalidPayload)
            connection.hardCloseLater()
            return
        case .notUnicode(let id, escaped: true):
            let issue = "strings must not contain a lone surrogate (\\ud800–\\udfff without its pair)"
            connection.respond(
                id: id ?? "invalid", ok: false, payload: nil, error: ErrorShape(code: .invalidRequest, message: "invalid request frame: \(issue)"))
            return
        case .nestedTooDeeply(let id):
            // Answered by id when it can be read; otherwise no answer could reach the caller, so the socket closes.
            guard let id else {
                connection.close(CloseCodes.policyViolation, reason: "invalid request frame")
                connection.hardCloseLater()
                return
            }
            let issue = "nested deeper than \(JSONValue.maxParseDepth) levels"
            connection.respond(id: id, ok: false, payload: nil, error: ErrorShape(code: .invalidRequest, message: "invalid request frame: \(issue)"))
            return
        case .invalid(let id, let issue):
            connection.respond(
                id: id ?? "invalid", ok: false, payload: nil, error: ErrorShape(code: .invalidRequest, message: "invalid request frame: \(issue)"))
            return
        case .request(let frame):
            request = frame
        }
        hub.logger.debug("ws ← req", metadata: ["connId": "\(connection.id)", "id": "\(request.id)", "method": "\(request.method)"])
        let started = ContinuousClock.now
        var ok = false
        var errorCode: ErrorCode?
        let span = hub.tracer.start(GatewaySpans.webSocketRequest(method: request.method), kind: .server)
        GatewaySpans.startRequest(span, method: request.method, connectionId: connection.id)
        defer {
            hub.metrics.request(method: request.method, ok: ok, duration: .now - started)
            GatewaySpans.finishRequest(span, errorCode: ok ? nil : (errorCode ?? .unavailable).rawValue)
            span.end()
        }
        do {
            let payload = try await span.run { try await call(request, message: message, connection: connection, client: client) }
            hub.logger.debug("ws → res", metadata: ["connId": "\(connection.id)", "id": "\(request.id)", "ok": "true", "bytes": "\(payload.bytes.count)"])
            connection.respond(id: request.id, ok: true, payload: payload)
            ok = true
        } catch let error as GatewayError {
            hub.logger.debug("ws → res", metadata: ["connId": "\(connection.id)", "id": "\(request.id)", "ok": "false", "error": "\(error)"])
            errorCode = error.shape.code
            connection.respond(id: request.id, ok: false, payload: error.payload, error: error.shape)
        } catch is ResponseAlreadySent {
            ok = true
            return
        } catch let error as InvalidParams {
            errorCode = .invalidRequest
            connection.respond(id: request.id, ok: false, payload: nil, error: ErrorShape(code: .invalidRequest, message: error.description))
        } catch {
            hub.logger.error("method failed", metadata: ["method": "\(request.method)", "error": "\(error)"])
            connection.respond(id: request.id, ok: false, payload: nil, error: ErrorShape(code: .unavailable, message: "\(error)"))
        }
    }

    private func call(_ request: RequestFrame, message: [UInt8], connection: Connection, client: ConnectedClient) async throws -> EncodedJSON {
        if request.method == GatewayMethod.connect.rawValue {
            throw GatewayError.invalidRequest("connect is only valid as the first request")
        }
        if let denial = client.grant.authorize(method: request.method) {
            throw GatewayError.invalidRequest(denial)
        }
        // A restart is draining: new work is refused with a retryable error; `health` still answers.
        if hub.restart.isDraining, request.method != GatewayMethod.health.rawValue {
            throw GatewayError(.unavailable, "gateway restarting; retry shortly", retryable: true, retryAfterMs: 500)
        }
        guard let method = GatewayMethod(rawValue: request.method) else {
            throw GatewayError.invalidRequest("unknown method: \(request.method)")
        }
        guard method.versions.contains(client.protocolVersion) else {
            throw GatewayError.invalidRequest("unknown method: \(request.method)")
        }
        let params = RequestParams(message: Data(message), isPresent: request.params != nil, protocolVersion: client.protocolVersion)
        return try await method.call(handler, params: params, context: MethodContext(connection: connection, client: client, requestId: request.id))
    }
}
