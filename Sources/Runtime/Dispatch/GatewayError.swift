// Sources/Runtime/Dispatch/GatewayError.swift - a handler's failure, answered as an ErrorShape

import Generated
import ProtocolSupport

/// Thrown by method handlers for failures the client should see verbatim.
public struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    public var shape: ErrorShape
    /// A payload sent along with the error (`agent`'s `{runId, status:"error", summary}`).
    public var payload: EncodedJSON?

    /// - Parameter details: `error.details`, typed by the spec (`errors.yaml` says which type each detail code has).
    public init(
        _ code: ErrorCode, _ message: String, details: (any ErrorDetails)? = nil, retryable: Bool? = nil, retryAfterMs: Int? = nil,
        payload: EncodedJSON? = nil
    ) {
        shape = ErrorShape(
            code: code, message: message, details: details.flatMap { ErrorShape.json($0, version: nil) }, retryable: retryable, retryAfterMs: retryAfterMs)
        self.payload = payload
    }

    init(shape: ErrorShape, payload: EncodedJSON?) {
        self.shape = shape
        self.payload = payload
    }

    public var description: String { "\(shape.code.rawValue): \(shape.message)" }

    public static func invalidRequest(_ message: String, details: (any ErrorDetails)? = nil) -> GatewayError {
        GatewayError(.invalidRequest, message, details: details)
    }
}
