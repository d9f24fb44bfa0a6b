// Sources/Runtime/Client/GatewayClient.swift - the operator client: challenge → connect → hello-ok, then req/res and events

import Foundation
import Generated
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// How the operator client identifies itself and where it connects.
public struct GatewayClientOptions: Sendable {
    public var url: String
    public var token: String?
    public var password: String?
    /// A device token from an earlier `hello-ok.auth` (sent as `auth.deviceToken`; needs `identity`).
    public var deviceToken: String?
    public var clientId: ClientId = .cli
    public var clientMode: ClientMode = .cli
    public var displayName: String? = "openclaw cli"
    public var role = "operator"
    public var scopes = ["operator.admin", "operator.approvals", "operator.pairing"]
    public var caps: [String] = []
    public var identity: DeviceIdentity?
    public var requestTimeoutMs = ProtocolLimits.clientRequestTimeoutMs
    public var challengeTimeoutMs = ProtocolLimits.clientChallengeTimeoutMs
    /// SHA-256 of the certificate a `wss://` gateway must present (`gateway.remote.tlsFingerprint`, any of
    /// upstream's spellings); nil trusts the system's roots.
    public var tlsFingerprint: String?
    /// The protocol versions offered in `connect` (`minProtocol...maxProtocol`): by default every version this
    /// build speaks, so a gateway that speaks only 3 still accepts it and a newer one answers in 4.
    public var protocolVersions = ProtocolVersion.minimumClient...ProtocolVersion.current

    public init(url: String, token: String? = nil, password: String? = nil, identity: DeviceIdentity? = nil) {
        self.url = url
        self.token = token
        self.password = password
        self.identity = identity
    }
}

/// A connected operator session. Requests are matched to responses by id; events arrive on `events`.
///
/// A watchdog closes the socket with 4000 when neither a tick nor any event arrives for two tick
/// intervals. A gap in `seq` is counted and triggers `onGap`, which refetches health and presence
/// (events are never replayed).
public final class GatewayClient: Sendable {
    public let options: GatewayClientOptions
    public let hello: HelloOk
    public let events: AsyncStream<EventFrame>
    let core: ClientCore
    private let task: Task<Void, Never>

    private init(options: GatewayClientOptions, hello: HelloOk, core: ClientCore, task: Task<Void, Never>) {
        self.options = options
        self.hello = hello
        self.core = core
        self.events = core.events
        self.task = task
    }

    /// Connects and completes the handshake, or fails fast naming the URL and why.
    public static func connect(
        _ options: GatewayClientOptions, logger: Logger = Logger(label: "openclaw.client")
    ) async throws(GatewayClientError) -> GatewayClient {
        let tls = try await ClientTLS.configuration(url: options.url, pin: options.tlsFingerprint)
        let core = ClientCore(options: options)
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = ProtocolLimits.maxPayload
        configuration.closeTimeout = .seconds(2)
        configuration.sniHostname = tls?.sniHostname
        let task = Task {
            do {
                let close = try await WebSocketClient.connect(url: options.url, configuration: configuration, tlsConfiguration: tls?.tls, logger: logger) {
                    inbound, outbound, _ in
                    await core.run(inbound: inbound, outbound: outbound)
                }
                core.finish(closeCode: close.map { UInt16(webSocketErrorCode: $0.closeCode) }, reason: close?.reason, connectError: nil)
            } catch {
                core.finish(closeCode: nil, reason: nil, connectError: Self.describe(error))
            }
        }
        do {
            let hello = try await core.waitForHello()
            return GatewayClient(options: options, hello: hello, core: core, task: task)
        } catch {
            task.cancel()
            throw error
        }
    }

    /// Sends a request and returns its payload (the final one, for two-phase methods with `expectFinal`).
    public func request(
        _ method: String, params: JSONValue? = nil, timeoutMs: Int? = nil, expectFinal: Bool = false
    ) async throws(GatewayClientError) -> JSONValue {
        try await core.request(method, params: params, timeoutMs: timeoutMs ?? options.requestTimeoutMs, expectFinal: expectFinal)
    }

    /// Sends a request and decodes its payload as `T`.
    public func request<T: Decodable>(_ method: String, params: JSONValue? = nil, as type: T.Type, timeoutMs: Int? = nil) async throws -> T {
        let payload = try await request(method, params: params, timeoutMs: timeoutMs)
        return try JSONDecoder().decode(T.self, from: Data(WireJSON.encode(payload)))
    }

    /// How many `seq` gaps were seen.
    public var gapCount: Int { core.gapCount }

    /// Closes the socket normally.
    public func close() async {
        await core.close(code: .normalClosure, reason: nil)
        await task.value
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        if text.contains("connectTimeout") { return "connect timed out" }
        if let error = error as? WebSocketClientError { return "WebSocket upgrade failed (\(error))" }
        return text
    }
}

/// The platform name sent in `client.platform`.
enum Platform {
    static var name: String {
        #if os(macOS)
        "darwin"
        #elseif os(Linux)
        "linux"
        #else
        "unknown"
        #endif
    }
}
