// Sources/Runtime/Logging/GatewayLogging.swift - logging for `gateway run`, set up before anything logs

import Foundation
import Generated

/// Start-up glue: the config is read here (leniently; `GatewayStartup` reports a bad config) so the very first
/// log lines already go to the right file at the right level with the secrets known so far hidden.
public enum GatewayLogging {
    public static func bootstrap(flagLevel: String?, verbose: Bool, secrets: [String?], environment: [String: String]) throws(LogSettingsError) {
        let paths = StatePaths.resolve(environment: environment)
        let config = (try? ConfigLoader(environment: environment).load(path: paths.configPath))?.config ?? OpenClawConfig()
        var settings = try LogSettings.resolve(config: config, flagLevel: flagLevel, verbose: verbose, environment: environment)
        let fromEnvironment = [EnvironmentVariable.gatewayToken, EnvironmentVariable.gatewayPassword, "CLAWDBOT_GATEWAY_TOKEN", "CLAWDBOT_GATEWAY_PASSWORD"].map
        { environment[$0] }
        settings.redactor.add(secrets: (secrets + fromEnvironment).compactMap { $0 })
        LogSystem.bootstrap(settings)
    }

    /// Hides the secret the server resolved (it may have been generated at start-up).
    public static func hide(_ auth: AuthPolicy) {
        switch auth {
        case .token(let secret), .password(let secret): LogSystem.addSecrets([secret])
        case .none, .trustedProxy: break
        }
    }
}
