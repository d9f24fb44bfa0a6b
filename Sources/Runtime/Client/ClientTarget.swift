// Sources/Runtime/Client/ClientTarget.swift - which gateway a CLI command talks to, with which secret

import Foundation
import Generated

/// A resolved target for CLI calls: URL, credentials and the identity to sign with.
public struct ClientTarget: Sendable {
    public var url: String
    public var token: String?
    public var password: String?
    public var stateDir: String

    /// Explicit `--url` uses only explicit credentials; otherwise local mode resolves env-first
    /// (`OPENCLAW_GATEWAY_TOKEN` → `gateway.auth.token` → `gateway.remote.token`), and a config with
    /// `gateway.mode=remote` targets `gateway.remote.url`.
    public static func resolve(url: String?, token: String?, password: String?, environment: [String: String]) throws -> ClientTarget {
        let paths = StatePaths.resolve(environment: environment)
        if let url {
            guard token != nil || password != nil else {
                throw ClientTargetError(message: "--url needs --token or --password: config and environment credentials are not used with an explicit --url")
            }
            return ClientTarget(url: url, token: token, password: password, stateDir: paths.stateDir)
        }
        let config = (try? ConfigLoader(environment: environment).load(path: paths.configPath).config) ?? OpenClawConfig()
        var flags: [String: String] = [:]
        flags["token"] = token
        flags["password"] = password
        let inputs = PrecedenceInputs(flags: flags, environment: environment, config: { config.scalarValue(atPath: $0) })
        if config.gateway?.mode == .remote, let remote = config.gateway?.remote?.url {
            return ClientTarget(
                url: remote, token: token ?? config.gateway?.remote?.token ?? environment["OPENCLAW_GATEWAY_TOKEN"] ?? config.gateway?.auth?.token,
                password: password ?? environment["OPENCLAW_GATEWAY_PASSWORD"] ?? config.gateway?.remote?.password ?? config.gateway?.auth?.password,
                stateDir: paths.stateDir
            )
        }
        let port = (try? Precedence.port.resolve(PrecedenceInputs(environment: environment, config: { config.scalarValue(atPath: $0) })))?.value
            ?? ConfigDefaults.gatewayPort
        return ClientTarget(
            url: "ws://127.0.0.1:\(port)", token: (try? Precedence.clientToken.resolve(inputs))?.value,
            password: (try? Precedence.clientPassword.resolve(inputs))?.value, stateDir: paths.stateDir
        )
    }

    /// Options for the operator client, signing with this installation's device identity.
    public func clientOptions(timeoutMs: Int) -> GatewayClientOptions {
        var options = GatewayClientOptions(url: url, token: token, password: password, identity: try? DeviceIdentity.loadOrCreate(stateDir: stateDir))
        options.requestTimeoutMs = timeoutMs
        options.challengeTimeoutMs = min(timeoutMs, ProtocolLimits.clientChallengeTimeoutMs)
        return options
    }
}

/// A CLI target that cannot be resolved.
public struct ClientTargetError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
