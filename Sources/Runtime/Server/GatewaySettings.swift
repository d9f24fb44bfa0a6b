// Sources/Runtime/Server/GatewaySettings.swift - everything `gateway run` resolved before it binds

import Foundation
import Generated

/// How clients authenticate.
public enum AuthPolicy: Sendable, Equatable {
    case none
    case token(String)
    case password(String)
    /// Identity from a trusted proxy's headers (not served yet; refuses every connect).
    case trustedProxy

    public var mode: AuthMode {
        switch self {
        case .none: .none
        case .token: .token
        case .password: .password
        case .trustedProxy: .trustedProxy
        }
    }
}

/// Limits of the failed-auth limiter (`gateway.auth.rateLimit.*`).
public struct AuthRateLimit: Sendable, Equatable {
    public var maxAttempts: Int
    public var windowMs: Int
    public var lockoutMs: Int
    public var exemptLoopback: Bool

    public static let defaults = AuthRateLimit(
        maxAttempts: ConfigDefaults.gatewayAuthRateLimitMaxAttempts, windowMs: ConfigDefaults.gatewayAuthRateLimitWindowMs,
        lockoutMs: ConfigDefaults.gatewayAuthRateLimitLockoutMs, exemptLoopback: ConfigDefaults.gatewayAuthRateLimitExemptLoopback
    )

    init(maxAttempts: Int, windowMs: Int, lockoutMs: Int, exemptLoopback: Bool) {
        self.maxAttempts = maxAttempts
        self.windowMs = windowMs
        self.lockoutMs = lockoutMs
        self.exemptLoopback = exemptLoopback
    }

    init(_ config: GatewayAuthRateLimitConfig?) {
        let defaults = Self.defaults
        self.init(
            maxAttempts: config?.maxAttempts ?? defaults.maxAttempts, windowMs: config?.windowMs ?? defaults.windowMs,
            lockoutMs: config?.lockoutMs ?? defaults.lockoutMs, exemptLoopback: config?.exemptLoopback ?? defaults.exemptLoopback
        )
    }
}

/// Limits of the protocol; the spec's values unless a test or benchmark narrows them.
public struct ProtocolPolicy: Sendable, Equatable {
    public var maxPayload = ProtocolLimits.maxPayload
    public var maxPreauthPayload = ProtocolLimits.maxPreauthPayload
    public var maxBufferedBytes = ProtocolLimits.maxBufferedBytes
    public var maxInFlightRequests = ProtocolLimits.maxInFlightRequests
    public var tickIntervalMs = ProtocolLimits.tickIntervalMs
    public var healthRefreshMs = ProtocolLimits.healthRefreshMs
    public var handshakeTimeoutMs = ProtocolLimits.handshakeTimeoutMs

    public init() {}
}

/// The settings a gateway runs with.
public struct GatewaySettings: Sendable {
    public var paths: StatePaths
    public var config: LoadedConfig
    public var port: Resolved<Int>
    public var bind: Resolved<String>
    /// Addresses to listen on, e.g. `["127.0.0.1", "::1"]`.
    public var hosts: [String]
    public var auth: AuthPolicy
    public var rateLimit: AuthRateLimit
    public var policy: ProtocolPolicy
    /// Timeouts and size limits of the HTTP/1 server (`gateway.http.timeouts.*`).
    public var http: HTTPServerLimits
    public var version: String
    /// The certificate to serve TLS with (`gateway.tls.enabled`); nil serves plain HTTP/WebSocket.
    var tls: GatewayTLSIdentity?
    /// Extra channel plugins and health-monitor timings (tests); the CLI's gateway keeps the defaults.
    public var channelSetup = ChannelSetup()
    /// The wall clock of the heartbeat and cron schedulers; tests pass a `ManualAutomationClock` and move time.
    public var automationClock: any AutomationClock = SystemAutomationClock()
    /// The environment the gateway resolves `${VAR}`s, provider keys and channel tokens from: the CLI's, with its
    /// flags applied (`--token`), handed over as a value rather than written into the process with `setenv`.
    public var environment = ProcessInfo.processInfo.environment

    public init(
        paths: StatePaths, config: LoadedConfig, port: Resolved<Int>, bind: Resolved<String>, hosts: [String], auth: AuthPolicy,
        rateLimit: AuthRateLimit = .defaults, policy: ProtocolPolicy = ProtocolPolicy(), version: String = GatewayVersion.current
    ) {
        self.paths = paths
        self.config = config
        self.port = port
        self.bind = bind
        self.hosts = hosts
        self.auth = auth
        self.rateLimit = rateLimit
        self.policy = policy
        self.http = HTTPServerLimits(config.config.gateway?.http)
        self.version = version
    }

    /// `wss` with TLS, else `ws` (and `https`/`http` for HTTP URLs).
    public var webSocketScheme: String { tls == nil ? "ws" : "wss" }

    /// Settings for a gateway started in-process (tests, benchmarks): loopback, the given port (0 picks one).
    public static func inProcess(
        port: Int = 0, auth: AuthPolicy, stateDir: String = NSTemporaryDirectory() + "openclaw-inprocess", policy: ProtocolPolicy = ProtocolPolicy(),
        rateLimit: AuthRateLimit = .defaults, config: OpenClawConfig? = nil
    ) -> GatewaySettings {
        let path = stateDir + "/openclaw.json"
        return GatewaySettings(
            paths: StatePaths(stateDir: stateDir, configPath: path),
            config: config.map {
                LoadedConfig(path: path, exists: false, tree: (try? WireJSON.decode(JSONValue.self, from: WireJSON.encode($0))) ?? .object([:]), config: $0)
            } ?? .missing(at: path), port: Resolved(value: port, source: .flag("port")),
            bind: Resolved(value: "loopback", source: .defaultValue("loopback")), hosts: ["127.0.0.1"], auth: auth, rateLimit: rateLimit,
            policy: policy
        )
    }
}

/// The version this build reports in `hello-ok.server.version`.
public enum GatewayVersion {
    /// `OPENCLAW_VERSION`, else `OPENCLAW_SERVICE_VERSION`, else this build's version (as upstream resolves it).
    public static let current: String = {
        let environment = ProcessInfo.processInfo.environment
        for key in [EnvironmentVariable.version, EnvironmentVariable.serviceVersion] {
            if let value = environment[key], !value.isEmpty { return value }
        }
        return build
    }()

    /// CalVer of this implementation's release line.
    public static let build = "2026.11.25"
}
