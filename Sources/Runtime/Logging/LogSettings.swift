// Sources/Runtime/Logging/LogSettings.swift - levels, file, style and redaction resolved from flags, env and `logging.*`

import Foundation
import Generated

/// What the logger does, resolved once at (re)build.
public struct LogSettings: Sendable {
    public var fileLevel: LogThreshold
    public var consoleLevel: LogThreshold
    /// Nil picks by terminal: `pretty` either way, coloured only on a TTY.
    public var consoleStyle: LoggingConsoleStyle?
    public var location: LogFileLocation
    public var maxFileBytes: Int
    public var redactor: LogRedactor

    public init(
        fileLevel: LogThreshold = .info, consoleLevel: LogThreshold = .info, consoleStyle: LoggingConsoleStyle? = nil,
        location: LogFileLocation = .rolling(directory: LogFileLocation.defaultDirectory),
        maxFileBytes: Int = ConfigDefaults.loggingMaxFileBytes, redactor: LogRedactor = LogRedactor()
    ) {
        self.fileLevel = fileLevel
        self.consoleLevel = consoleLevel
        self.consoleStyle = consoleStyle
        self.location = location
        self.maxFileBytes = maxFileBytes
        self.redactor = redactor
    }

    /// `--log-level` → `OPENCLAW_LOG_LEVEL` → `logging.level` / `logging.consoleLevel` → `info` (reference/ops.md §9).
    /// `--verbose` raises the console to `debug` at least and never touches the file level.
    public static func resolve(
        config: OpenClawConfig, flagLevel: String?, verbose: Bool, environment: [String: String]
    ) throws(LogSettingsError) -> LogSettings {
        let logging = config.logging
        var override: LogThreshold?
        if let flagLevel {
            guard let level = LogThreshold(name: flagLevel) else { throw LogSettingsError(flagLevel) }
            override = level
        } else if let value = environment[EnvironmentVariable.logLevel], !value.isEmpty {
            override = LogThreshold(name: value)
        }
        let fileLevel = override ?? logging?.level.flatMap { LogThreshold(rawValue: $0.rawValue) } ?? .info
        var consoleLevel = override ?? logging?.consoleLevel.flatMap { LogThreshold(rawValue: $0.rawValue) } ?? .info
        if verbose { consoleLevel = max(consoleLevel, .debug) }
        return LogSettings(
            fileLevel: fileLevel, consoleLevel: consoleLevel, consoleStyle: logging?.consoleStyle,
            location: LogFileLocation(logging: logging, environment: environment),
            maxFileBytes: logging?.maxFileBytes ?? ConfigDefaults.loggingMaxFileBytes,
            redactor: LogRedactor(
                secrets: LogRedactor.configSecrets(config), mode: logging?.redactSensitive ?? ConfigDefaults.loggingRedactSensitive,
                patterns: logging?.redactPatterns
            )
        )
    }
}

/// A `--log-level` that names no level; the text follows upstream's other `Invalid --x` messages.
public struct LogSettingsError: Error, CustomStringConvertible, Sendable {
    public let value: String
    init(_ value: String) { self.value = value }
    public var description: String {
        #"Invalid --log-level (use "silent", "fatal", "error", "warn", "info", "debug", or "trace")"#
    }
}
