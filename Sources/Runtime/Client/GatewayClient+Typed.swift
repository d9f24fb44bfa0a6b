// Sources/Runtime/Client/GatewayClient+Typed.swift - calls with the generated params and result types

import Foundation
import Generated

extension GatewayClient {
    /// Calls `method` with generated `params` and decodes the generated result, so a caller never builds
    /// or reads JSON by hand.
    public func call<Params: Encodable, Result: Decodable>(
        _ method: GatewayMethod, _ params: Params, as type: Result.Type, timeoutMs: Int? = nil
    ) async throws -> Result {
        let json = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(params))
        return try await request(method.rawValue, params: json, as: Result.self, timeoutMs: timeoutMs)
    }

    /// Calls a method that takes no params and decodes the generated result.
    public func call<Result: Decodable>(_ method: GatewayMethod, as type: Result.Type, timeoutMs: Int? = nil) async throws -> Result {
        try await request(method.rawValue, params: nil, as: Result.self, timeoutMs: timeoutMs)
    }
}
