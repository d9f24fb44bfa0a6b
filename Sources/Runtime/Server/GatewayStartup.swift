// Sources/Runtime/Server/GatewayStartup.swift - flags + env + config → settings, with upstream's refusals in order

import Foundation
import Generated
import Logging

/// What `openclaw gateway` was asked to do.
public struct GatewayRunRequest: Sendable {
    /// Options given on the command line, by spec name (`port`, `bind`, `auth`, `token`, `password`, `password-file`).
    public var flags: [String: String]
    public var allowUnconfigured: Bool
    public var environment: [String: String]

    public init(flags: [String: String], allowUnconfigured: Bool, environment: [String: String]) {
        self.flags = flags
        self.allowUnconfigured = allowUnconfigured
        self.environment = environment
    }
}

/// Resolves settings through the generated precedence chains and applies the start-up guards of reference/ops.md §5.
public struct GatewayStartup {
    let request: GatewayRunRequest
    let logger: Logger

    public init(request: GatewayRunRequest, logger: Logger) {
        self.request = request
        self.logger = logger
    }

    /// Rows 1 and 3–8 of the refusal table, then the token bootstrap.
    public func prepare() throws(StartupRefusal) -> GatewaySettings {
        var flags = request.flags
        if let bind = flags["bind"], GatewayBind(rawValue: bind) == nil { throw .invalidBind }
        if let auth = flags["auth"], GatewayAuthMode(rawValue: auth) == nil { throw .invalidAuth }
        if flags["password"] != nil && flags["password-file"] != nil { throw .passwordTwice }
        if let file = flags["password-file"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .failed("cannot read --password-file \(file)")
            }
            flags["password"] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        let paths = StatePaths.resolve(environment: request.environment)
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader(environment: request.environment).load(path: paths.configPath)
        } catch {
            throw .failed(error.description)
        }
        let inputs = precedenceInputs(flags: flags, config: loaded.config)
        let port: Resolved<Int>
        do {
            guard let resolved = try Precedence.port.resolve(inputs), (1...65535).contains(resolved.value) else { throw StartupRefusal.invalidPort }
            port = resolved
        } catch {
            throw .invalidPort
        }

        let auditPath = paths.stateDir + "/logs/config-audit.jsonl"
        if !request.allowUnconfigured {
            guard loaded.exists else { throw .missingConfig }
            guard let mode = loaded.config.gateway?.mode else { throw .missingMode(auditPath: auditPath) }
            guard mode == .local else { throw .wrongMode(mode.rawValue, auditPath: auditPath) }
        }

        let bind = (try? Precedence.bind.resolve(inputs)) ?? Resolved(value: "loopback", source: .defaultValue("loopback"))
        let token = (try? Precedence.serverToken.resolve(inputs))?.value
        let password = (try? Precedence.serverPassword.resolve(inputs))?.value
        let mode = (try? Precedence.authMode.resolve(inputs))?.value ?? "token"

        var auth: AuthPolicy
        switch mode {
        case "none":
            auth = .none
            logger.warning("Gateway auth mode=none explicitly configured; all gateway connections are unauthenticated.")
        case "password":
            guard let password else { throw .passwordMissing }
            auth = .password(password)
        case "trusted-proxy":
            auth = .trustedProxy
        default:
            auth = token.map(AuthPolicy.token) ?? .token("")
        }

        if bind.value != "loopback", case .none = auth {
            var hints: [String] = []
            if case .object(let gateway)? = loaded.tree["gateway"], gateway["token"] != nil {
                hints.append("Found \"gateway.token\" in config. Use \"\(ConfigPath.gatewayAuthToken)\" instead.")
            }
            if loaded.config.gateway?.remote?.token != nil {
                hints.append("\"\(ConfigPath.gatewayRemoteToken)\" is for remote CLI calls; it does not enable local gateway auth.")
            }
            throw .refusingBind(bind.value, hints: hints)
        }

        // The Control UI on a non-loopback address needs explicit browser origins (upstream refuses to start).
        let hosts = BindHosts.resolve(mode: bind.value, customHost: loaded.config.gateway?.customBindHost, port: port.value)
        if bind.value == "tailnet", hosts == ["127.0.0.1"] {
            logger.warning(
                "bind=tailnet: no tailnet address (100.64.0.0/10 or fd7a:115c:a1e0::/48) on any interface; listening on 127.0.0.1 instead (is Tailscale up?)")
        }
        let controlUi = loaded.config.gateway?.controlUi
        let origins = (controlUi?.allowedOrigins ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if !hosts.allSatisfy({ $0 == "::1" || $0.hasPrefix("127.") }), controlUi?.enabled ?? true, origins.isEmpty,
            controlUi?.dangerouslyAllowHostHeaderOriginFallback != true
        {
            throw .controlUiNeedsOrigins
        }

        if case .token("") = auth {
            let generated = TokenGenerator.newToken()
            do {
                try ConfigWriter().set(.string(generated), at: ConfigPath.gatewayAuthToken, in: paths.configPath)
            } catch {
                throw .failed("could not save the generated token to \(paths.configPath): \(error)")
            }
            logger.info("Gateway auth token was missing. Generated a new token and saved it to config (\(ConfigPath.gatewayAuthToken)).")
            auth = .token(generated)
        }

        let handshake = (try? Precedence.handshakeTimeoutMs.resolve(inputs))?.value ?? ProtocolLimits.handshakeTimeoutMs
        var policy = ProtocolPolicy()
        policy.handshakeTimeoutMs = min(max(handshake, ProtocolLimits.handshakeTimeoutMinMs), ProtocolLimits.handshakeTimeoutMaxMs)

        var settings = GatewaySettings(
            paths: paths, config: loaded, port: port, bind: bind,
            hosts: hosts, auth: auth,
            rateLimit: AuthRateLimit(loaded.config.gateway?.auth?.rateLimit), policy: policy
        )
        settings.environment = request.environment
        settings.tls = try loadTLS(loaded.config.gateway?.tls, paths: paths)
        return settings
    }

    /// `gateway.tls`: the certificate pair, generated once when missing; its fingerprint is logged for pinning.
    private func loadTLS(_ config: GatewayTlsConfig?, paths: StatePaths) throws(StartupRefusal) -> GatewayTLSIdentity? {
        guard config?.enabled == true else { return nil }
        let identity: GatewayTLSIdentity
        do {
            identity = try GatewayTLSIdentity.load(
                certPath: config?.certPath, keyPath: config?.keyPath, caPath: config?.caPath, autoGenerate: config?.autoGenerate ?? true,
                stateDir: paths.stateDir, home: StatePaths.homeDirectory(environment: request.environment)
            )
        } catch {
            throw .failed(error.description)
        }
        if identity.generated { logger.info("gateway tls: generated a self-signed certificate at \(identity.certPath)") }
        logger.info("gateway tls: enabled (TLS 1.2+); certificate SHA-256 fingerprint \(identity.fingerprint)")
        return identity
    }

    private func precedenceInputs(flags: [String: String], config: OpenClawConfig) -> PrecedenceInputs {
        let passwordSet: @Sendable () -> String? = { [flags, environment = request.environment] in
            let inputs = PrecedenceInputs(flags: flags, environment: environment, config: { config.scalarValue(atPath: $0) })
            return (try? Precedence.serverPassword.resolve(inputs)) != nil ? "password" : nil
        }
        return PrecedenceInputs(
            flags: flags, environment: request.environment, config: { config.scalarValue(atPath: $0) },
            rules: ["passwordIfSet": passwordSet]
        )
    }
}

/// New shared secrets.
enum TokenGenerator {
    /// 24 random bytes as 48 hex characters, like upstream's generated tokens.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
