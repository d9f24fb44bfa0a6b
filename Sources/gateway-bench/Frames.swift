// Sources/gateway-bench/Frames.swift - the request frames the bench sends, built from the generated types

import Generated

/// Request frames as JSON text. Those sent once are encoded from the generated types, so a spec
/// change that breaks them fails the build; `health`, sent in a hot loop, is spliced by hand.
enum Frames {
    /// The id of every `connect` request.
    static let connectId = "c1"

    /// The `connect` of a local `gateway-client` holding the shared token (trusted with its scopes).
    /// Mode `backend` is tracked in presence; mode `cli` is not, but still receives broadcasts.
    static func connect(token: String, mode: ClientMode = .backend) throws -> String {
        let params = ConnectParams(
            minProtocol: ProtocolVersion.current, maxProtocol: ProtocolVersion.current,
            client: ConnectClient(id: .gatewayClient, version: "bench", platform: platform, mode: mode),
            role: "operator", scopes: ["operator.admin"], auth: ConnectAuth(token: token)
        )
        return try request(id: connectId, method: .connect, params: params)
    }

    /// A `health` request without params.
    static func health(id: Int) -> String {
        #"{"type":"req","id":"\#(id)","method":"\#(GatewayMethod.health.rawValue)"}"#
    }

    /// A `health` request with `probe`, which refreshes the summary and broadcasts `health` to every client.
    static func healthProbe(id: String) throws -> String {
        try request(id: id, method: .health, params: HealthParams(probe: true))
    }

    /// An `agent` request: one run of `message` on `sessionKey`, its run id being `id` as well.
    static func agent(id: String, sessionKey: String, message: String) throws -> String {
        try request(id: id, method: .agent, params: AgentParams(message: message, idempotencyKey: id, sessionKey: sessionKey))
    }

    private static func request(id: String, method: GatewayMethod, params: some Encodable) throws -> String {
        let json = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(params))
        return String(decoding: try WireJSON.encode(RequestFrame(id: id, method: method.rawValue, params: DeferredJSON(json))), as: UTF8.self)
    }

    private static var platform: String {
        #if os(Linux)
        "linux"
        #else
        "darwin"
        #endif
    }
}
