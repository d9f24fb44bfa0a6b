// Sources/Runtime/Diagnostics/OTel/OTelSettings.swift - `diagnostics.otel.*` resolved into what the exporters need

import Foundation
import Generated
import Logging

/// What `diagnostics.otel` asks for, checked: full export URLs per signal, or nil when that signal is off.
struct OTelSettings: Sendable, Equatable {
    /// Where spans go (`tracesEndpoint`, else `endpoint` + `/v1/traces`); nil when traces are off.
    var tracesURL: String?
    /// Where log records go (`logsEndpoint`, else `endpoint` + `/v1/logs`); nil when logs are off.
    var logsURL: String?
    var json: Bool
    var headers: [String: String]
    var serviceName: String
    var sampleRate: Double
    var flushInterval: Duration
    /// The least severe record exported: the file log's level (`logging.level`).
    var logLevel: Logger.Level

    /// Nil when export is off (`diagnostics.otel.enabled` false, `diagnostics.enabled` false, or every signal off).
    /// - Throws: a `OTelSettingsError` naming the key whose value cannot be used.
    static func resolve(_ config: OpenClawConfig) throws(OTelSettingsError) -> OTelSettings? {
        guard config.diagnostics?.enabled ?? ConfigDefaults.diagnosticsEnabled, let otel = config.diagnostics?.otel,
            otel.enabled ?? ConfigDefaults.diagnosticsOtelEnabled
        else { return nil }
        let base = otel.endpoint ?? ConfigDefaults.diagnosticsOtelEndpoint
        let traces = otel.traces ?? ConfigDefaults.diagnosticsOtelTraces
        let fileLevel = config.logging?.level.flatMap { LogThreshold(rawValue: $0.rawValue) } ?? .info
        let logLevel = (otel.logs ?? ConfigDefaults.diagnosticsOtelLogs) ? fileLevel.leastLevel : nil
        guard traces || logLevel != nil else { return nil }
        var settings = OTelSettings(
            tracesURL: nil, logsURL: nil, json: otel.protocol == .httpJson, headers: otel.headers ?? [:],
            serviceName: otel.serviceName ?? ConfigDefaults.diagnosticsOtelServiceName,
            sampleRate: otel.sampleRate ?? ConfigDefaults.diagnosticsOtelSampleRate,
            flushInterval: .milliseconds(otel.flushIntervalMs ?? ConfigDefaults.diagnosticsOtelFlushIntervalMs),
            logLevel: logLevel ?? .info
        )
        if traces {
            settings.tracesURL = try url(otel.tracesEndpoint, key: ConfigPath.diagnosticsOtelTracesEndpoint, base: base, signal: "traces")
        }
        if logLevel != nil {
            settings.logsURL = try url(otel.logsEndpoint, key: ConfigPath.diagnosticsOtelLogsEndpoint, base: base, signal: "logs")
        }
        for name in settings.headers.keys where name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            throw OTelSettingsError(key: ConfigPath.diagnosticsOtelHeaders, value: name, problem: "is not an HTTP header name")
        }
        for (name, value) in settings.headers where value.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw OTelSettingsError(key: "\(ConfigPath.diagnosticsOtelHeaders).\(name)", value: "…", problem: "contains a line break")
        }
        return settings
    }

    /// The signal's own endpoint when set, else the base endpoint + `/v1/<signal>`; either must be usable.
    private static func url(_ own: String?, key: String, base: String, signal: String) throws(OTelSettingsError) -> String {
        if let own { return try checked(own, key: key) }
        return try checked(base, key: ConfigPath.diagnosticsOtelEndpoint).appendingSignal(signal)
    }

    /// An absolute `http`/`https` URL with a host, else the error the operator sees.
    private static func checked(_ text: String, key: String) throws(OTelSettingsError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else { throw OTelSettingsError(key: key, value: text, problem: "is not an http:// or https:// URL") }
        return text
    }
}

extension String {
    /// `http://host:4318` → `http://host:4318/v1/traces` (one slash, whatever the base ends with).
    fileprivate func appendingSignal(_ signal: String) -> String {
        (hasSuffix("/") ? String(dropLast()) : self) + "/v1/" + signal
    }
}

/// A `diagnostics.otel` value the exporters cannot use; export stays off and this is logged at start-up.
struct OTelSettingsError: Error, CustomStringConvertible, Sendable {
    var key: String
    var value: String
    var problem: String

    var description: String {
        "\(key): \"\(value)\" \(problem); OpenTelemetry export is off until it is fixed"
    }
}
