// Sources/Runtime/Client/GatewayClient+Typed.swift - the generated typed calls, carried by this client

import Foundation
import Generated

/// Every method of the spec is a typed call on the client (`client.agent(AgentParams(…))`, generated in
/// `Client.swift`); this is the one request they all go through.
extension GatewayClient: GatewayCaller {
    public func callGateway<Params: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: GatewayMethod, params: Params?, as type: Result.Type, twoPhase: Bool, timeoutMs: Int?, onAccepted: (@Sendable (Result) -> Void)?
    ) async throws -> Result {
        let json = try params.map { try WireJSON.decode(JSONValue.self, from: WireJSON.encode($0)) }
        var accepted: (@Sendable (JSONValue) -> Void)?
        if let onAccepted {
            accepted = { payload in
                guard let bytes = try? WireJSON.encode(payload), let decoded = try? WireJSON.decode(Result.self, from: bytes) else { return }
                onAccepted(decoded)
            }
        }
        let payload = try await core.request(
            method.rawValue, params: json, timeoutMs: timeoutMs ?? options.requestTimeoutMs, expectFinal: twoPhase, onAccepted: accepted
        )
        return try WireJSON.decode(Result.self, from: WireJSON.encode(payload))
    }

    /// Typed events: `events` decoded by name into the spec's payload types (`.unknown` for names this build lacks).
    public var typedEvents: AsyncThrowingMapSequence<AsyncStream<EventFrame>, InboundEvent> {
        events.map { try InboundEvent.decode(event: $0.event, payload: $0.payload) }
    }
}
