// Sources/Runtime/Client/ClientTarget.swift - which gateway a CLI command talks to, with which secret

import Foundation
import Generated

/// A resolved target for CLI calls: URL (and where it came from), credentials and the identity to sign with.
public struct ClientTarget: Sendable {
    public var url: String
    /// The link of `Precedence.clientUrl` that gave `url`: `--url`, `env OPENCLAW_GATEWAY_URL`,
    /// `config gateway.remote.url` or `rule localUrl`.
    public var urlSource: SettingSource
    /// `gateway.mode` is `remote`: credentials resolve config-first and the local gateway is never assumed.
    public var remoteMode: Bool
    public var token: String?
    public var password: String?
    public var stateDir: String
    /// The SHA-256 a `wss://` gateway must present (ClientTLSPin's order); nil trusts the system's roots.
    public var tlsFingerprint: String? = nil

    /// Whether the URL is the implicit local gateway (no flag, env or remote URL).
    public var isImplicitLocal: Bool { urlSource == .rule("localUrl") }

    /// The URL comes from `Precedence.clientUrl`: `--url` → `OPENCLAW_GATEWAY_URL` → `gateway.remote.url` (only
    /// when `gateway.mode` is `remote`, which then requires one) → `ws://127.0.0.1:<port>`.
    /// An explicit `--url` uses only explicit credentials; otherwise local mode resolves them env-first
    /// (`Precedence.clientToken`/`clientPassword`) and remote mode config-first (`remoteClientToken`/`remoteClientPassword`).
    public static func resolve(url: String?, token: String?, password: String?, environment: [String: String]) throws -> ClientTarget {
        let paths = StatePaths.resolve(environment: environment)
        let home = StatePaths.homeDirectory(environment: environment)
        let config = (try? ConfigLoader(environment: environment).load(path: paths.configPath).config) ?? OpenClawConfig()
        let remoteMode = config.gateway?.mode == .remote
        if let url {
            guard token != nil || password != nil else {
                throw ClientTargetError(message: "--url needs --token or --password: config and environment credentials are not used with an explicit --url")
            }
            let pin = ClientTLSPin.resolve(explicit: nil, config: config, remote: remoteMode, explicitURL: true, paths: paths, home: home)
            return ClientTarget(
                url: url, urlSource: .flag("url"), remoteMode: false, token: token, password: password, stateDir: paths.stateDir, tlsFingerprint: pin)
        }
        var flags: [String: String] = [:]
        flags["token"] = token
        flags["password"] = password
        let lookup: @Sendable (String) -> String? = { path in
            // `gateway.remote.url` is a link of the URL chain only in remote mode.
            if path == ConfigPath.gatewayRemoteUrl, !remoteMode { return nil }
            return config.scalarValue(atPath: path)
        }
        let port = (try? Precedence.port.resolve(PrecedenceInputs(environment: environment, config: lookup)))?.value ?? ConfigDefaults.gatewayPort
        let inputs = PrecedenceInputs(
            flags: flags, environment: environment, config: lookup,
            rules: ["localUrl": { remoteMode ? nil : "\(ClientTLSPin.localScheme(config))://127.0.0.1:\(port)" }])
        guard let resolved = try? Precedence.clientUrl.resolve(inputs) else {
            throw ClientTargetError(message: "gateway remote mode misconfigured: gateway.remote.url missing")
        }
        let tokenChain = remoteMode ? Precedence.remoteClientToken : Precedence.clientToken
        let passwordChain = remoteMode ? Precedence.remoteClientPassword : Precedence.clientPassword
        return ClientTarget(
            url: resolved.value, urlSource: resolved.source, remoteMode: remoteMode, token: (try? tokenChain.resolve(inputs))?.value,
            password: (try? passwordChain.resolve(inputs))?.value, stateDir: paths.stateDir,
            tlsFingerprint: ClientTLSPin.resolve(explicit: nil, config: config, remote: remoteMode, explicitURL: false, paths: paths, home: home)
        )
    }

    /// Options for the operator client, signing with this installation's device identity and sending the device
    /// token it was given earlier (see `GatewayClient.connect(target:timeoutMs:)`).
    public func clientOptions(timeoutMs: Int) -> GatewayClientOptions {
        let identity = try? DeviceIdentity.loadOrCreate(stateDir: stateDir)
        var options = GatewayClientOptions(url: url, token: token, password: password, identity: identity)
        if let identity { options.deviceToken = deviceAuth.token(deviceId: identity.deviceId, role: options.role)?.token }
        options.tlsFingerprint = tlsFingerprint
        options.requestTimeoutMs = timeoutMs
        options.challengeTimeoutMs = min(timeoutMs, ProtocolLimits.clientChallengeTimeoutMs)
        return options
    }

    /// Where this installation keeps its device tokens.
    public var deviceAuth: DeviceAuthStore { DeviceAuthStore(stateDir: stateDir) }

    /// How `gateway status` names the target: `local` or `remote`, and the source of the URL.
    public var describedSource: String {
        let kind = isImplicitLocal ? "local" : "remote"
        switch urlSource {
        case .flag: return "\(kind), from --url"
        case .env(let name): return "\(kind), from env \(name)"
        case .config(let path): return "\(kind), from config \(path)"
        default: return "\(kind), default"
        }
    }
}

/// A CLI target that cannot be resolved.
public struct ClientTargetError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
