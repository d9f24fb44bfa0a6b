// Tests/Conformance/Harness/TestGateway.swift - the gateway a test talks to: in-process on port 0, or any URL

import Foundation
import Generated
import Logging
import Runtime

/// How a case wants the gateway set up. In-process gateways honour all of it; an external gateway
/// (OPENCLAW_CONFORMANCE_URL) is assumed to run token auth with defaults, and cases needing more are skipped.
struct GatewaySetup: Sendable, Hashable, Codable {
    /// `token` (the default), `password` or `none`.
    var auth: String?
    var handshakeTimeoutMs: Int?
    var tickIntervalMs: Int?
    var maxBufferedBytes: Int?
    var rateLimitMaxAttempts: Int?
    var maxPayload: Int?
    var maxInFlightRequests: Int?
    /// Count loopback sockets against `gateway.http.maxPendingConnectionsPerAddress` (tests connect from 127.0.0.1).
    var countLoopbackPendingConnections: Bool?
    /// Listen addresses other than 127.0.0.1 (e.g. `0.0.0.0`, so tests can connect as a remote peer).
    var hosts: [String]?

    static let standard = GatewaySetup()
    static let token = "conformance-secret-token"
    static let password = "conformance-password"

    var isStandard: Bool { self == .standard }
}

/// A gateway under test.
final class TestGateway: Sendable {
    let url: String
    let token: String?
    let password: String?
    private let gateway: Gateway?
    private let task: Task<Void, any Error>?

    private init(url: String, token: String?, password: String?, gateway: Gateway?, task: Task<Void, any Error>?) {
        self.url = url
        self.token = token
        self.password = password
        self.gateway = gateway
        self.task = task
    }

    /// The URL of an external gateway to judge instead of the in-process one.
    static var externalURL: String? { ProcessInfo.processInfo.environment["OPENCLAW_CONFORMANCE_URL"] }

    /// Starts an in-process gateway for `setup`, or returns the external one.
    static func start(_ setup: GatewaySetup = .standard, config: OpenClawConfig? = nil, stateDir: String? = nil) async throws -> TestGateway {
        if let url = externalURL {
            let environment = ProcessInfo.processInfo.environment
            return TestGateway(url: url, token: environment["OPENCLAW_CONFORMANCE_TOKEN"], password: nil, gateway: nil, task: nil)
        }
        let auth: AuthPolicy
        switch setup.auth ?? "token" {
        case "none": auth = .none
        case "password": auth = .password(GatewaySetup.password)
        default: auth = .token(GatewaySetup.token)
        }
        var policy = ProtocolPolicy()
        if let value = setup.handshakeTimeoutMs { policy.handshakeTimeoutMs = value }
        if let value = setup.tickIntervalMs { policy.tickIntervalMs = value }
        if let value = setup.maxBufferedBytes { policy.maxBufferedBytes = value }
        if let value = setup.maxPayload { policy.maxPayload = value }
        if let value = setup.maxInFlightRequests { policy.maxInFlightRequests = value }
        var rateLimit = AuthRateLimit.defaults
        if let value = setup.rateLimitMaxAttempts {
            rateLimit.maxAttempts = value
            rateLimit.exemptLoopback = false
        }
        let stateDir = stateDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-conformance-\(UUID().uuidString)").path
        var settings = GatewaySettings.inProcess(auth: auth, stateDir: stateDir, policy: policy, rateLimit: rateLimit, config: config)
        if let hosts = setup.hosts { settings.hosts = hosts }
        if setup.countLoopbackPendingConnections == true { settings.http.exemptLoopback = false }
        var logger = Logger(label: "conformance-gateway")
        logger.logLevel = .warning
        let gateway = Gateway(settings: settings, logger: logger)
        let task = Task { try await gateway.run(handleSignals: false) }
        let port = await gateway.waitUntilListening()
        let token: String? = if case .token(let value) = auth { value } else { nil }
        let password: String? = if case .password(let value) = auth { value } else { nil }
        return TestGateway(url: "ws://127.0.0.1:\(port)", token: token, password: password, gateway: gateway, task: task)
    }

    var isExternal: Bool { gateway == nil }

    /// Runs `body` against a fresh gateway and always stops it afterwards.
    static func with(_ setup: GatewaySetup = .standard, _ body: (TestGateway) async throws -> Void) async throws {
        let gateway = try await start(setup)
        do {
            try await body(gateway)
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    /// Stops an in-process gateway and waits for it to finish.
    func stop() async {
        await gateway?.stop()
        _ = try? await task?.value
    }
}
