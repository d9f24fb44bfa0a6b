// Tests/RuntimeTests/OTelSettingsTests.swift - `diagnostics.otel.*` read, checked and turned into export URLs

import Foundation
import Generated
import Logging
import Testing

@testable import Runtime

@Suite("OpenTelemetry settings")
struct OTelSettingsTests {
    private func config(_ text: String) throws -> OpenClawConfig {
        try ConfigLoader(environment: [:]).parse(Data(text.utf8), path: "/tmp/openclaw.json").config
    }

    private func resolve(_ text: String) throws -> OTelSettings? {
        try OTelSettings.resolve(config(text))
    }

    @Test func offUnlessEnabled() throws {
        #expect(try resolve("{}") == nil)
        #expect(try resolve(#"{"diagnostics": {"otel": {"endpoint": "http://c:4318"}}}"#) == nil)
        #expect(try resolve(#"{"diagnostics": {"enabled": false, "otel": {"enabled": true}}}"#) == nil)
        #expect(try resolve(#"{"diagnostics": {"otel": {"enabled": true, "traces": false}}}"#) == nil)
    }

    @Test func defaultsFollowUpstream() throws {
        let settings = try #require(try resolve(#"{"diagnostics": {"otel": {"enabled": true}}}"#))
        #expect(settings.tracesURL == "http://localhost:4318/v1/traces")
        #expect(settings.logsURL == nil)
        #expect(settings.json == false)
        #expect(settings.serviceName == "openclaw")
        #expect(settings.sampleRate == 1)
        #expect(settings.flushInterval == .seconds(5))
    }

    @Test func signalURLsAndLogLevel() throws {
        let text = #"""
            {diagnostics: {flags: ["telegram.*"], otel: {enabled: true, endpoint: "https://c.example:4318/", logs: true, protocol: "http/json",
             tracesEndpoint: "http://t:1/custom", sampleRate: 0.25, headers: {"x-tenant": "acme"}, captureContent: false}},
             logging: {level: "warn"}}
            """#
        let settings = try #require(try resolve(text))
        #expect(settings.tracesURL == "http://t:1/custom")
        #expect(settings.logsURL == "https://c.example:4318/v1/logs")
        #expect(settings.json)
        #expect(settings.sampleRate == 0.25)
        #expect(settings.headers == ["x-tenant": "acme"])
        #expect(settings.logLevel == .warning)
    }

    @Test func unusableEndpointNamesTheKey() throws {
        #expect(throws: OTelSettingsError.self) { try resolve(#"{"diagnostics": {"otel": {"enabled": true, "endpoint": "collector:4318"}}}"#) }
        do {
            _ = try resolve(#"{"diagnostics": {"otel": {"enabled": true, "logs": true, "logsEndpoint": "ftp://c/v1/logs"}}}"#)
            Issue.record("expected an error")
        } catch let error as OTelSettingsError {
            #expect(
                error.description
                    == #"diagnostics.otel.logsEndpoint: "ftp://c/v1/logs" is not an http:// or https:// URL; OpenTelemetry export is off until it is fixed"#)
        }
    }

    @Test(arguments: [
        (#"{"diagnostics": {"otel": {"sampleRate": 1.5}}}"#, "diagnostics.otel.sampleRate: must be <= 1"),
        (#"{"diagnostics": {"otel": {"sampleRate": "all"}}}"#, "diagnostics.otel.sampleRate: must be number"),
        (#"{"diagnostics": {"otel": {"protocol": "grpc"}}}"#, "diagnostics.otel.protocol: must be equal to constant; must match a schema in anyOf"),
        (#"{"diagnostics": {"otel": {"headers": {"a": 1}}}}"#, "diagnostics.otel.headers.a: must be string"),
    ])
    func badValuesAreRefusedAtLoad(_ text: String, _ issue: String) {
        do {
            _ = try config(text)
            Issue.record("expected an error for \(text)")
        } catch let error as ConfigError {
            #expect(error.issues == [issue])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func headerValuesAreSecrets() throws {
        let loaded = try config(#"{"diagnostics": {"otel": {"headers": {"authorization": "Bearer collector-secret-1234"}}}}"#)
        #expect(LogRedactor.configSecrets(loaded).contains("Bearer collector-secret-1234"))
    }
}

@Suite("OTLP log handler")
struct OTLPLogHandlerTests {
    /// Keeps what it is given.
    final class Capture: @unchecked Sendable {
        // Only touched from the test's own task, one log call at a time.
        var events: [LogEvent] = []
    }

    struct CapturingHandler: LogHandler {
        let capture: Capture
        var logLevel: Logger.Level
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { capture.events.append(event) }
    }

    @Test func recordsAreRedactedBeforeExportAndLevelsApplyPerSide() {
        let console = Capture()
        let exported = Capture()
        let handler = OTLPLogHandler(
            base: CapturingHandler(capture: console, logLevel: .warning), exporter: CapturingHandler(capture: exported, logLevel: .info),
            secrets: ["gateway-secret-token-0123"]
        )
        let logger = Logger(label: "t") { _ in handler }
        logger.info("connect with gateway-secret-token-0123", metadata: ["header": "Authorization: Bearer abcdefghijklmnop"])
        logger.warning("plain")
        #expect(console.events.map(\.message.description) == ["plain"])
        #expect(exported.events.count == 2)
        let first = exported.events.first
        #expect(first?.message.description.contains("gateway-secret-token-0123") == false)
        #expect(first?.message.description == "connect with gatewa…0123")
        #expect(first?.metadata?["header"]?.description.contains("abcdefghijklmnop") == false)
    }
}
