// Sources/Runtime/Diagnostics/OTel/GatewayTelemetry.swift - one gateway's OTLP exporters: made with it, run and flushed with it

import Generated
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// What `diagnostics.otel` turns on for one gateway: its tracer, the handler its log records are also exported
/// through, and the exporters' background services.
///
/// The backends come from swift-otel's `makeTracingBackend` / `makeLoggingBackend`, which build a tracer and a log
/// handler *without* bootstrapping the process-global `InstrumentationSystem` / `LoggingSystem`; the gateway owns
/// them instead (see `GatewayTracer`). Their services run first in the gateway's `ServiceGroup` (`OTelExporterService`),
/// so on stop they are shut down last, after the listeners: spans and records of the shutdown are flushed too. Export happens in
/// batches on those services' own tasks, so a request only appends to a queue; with the collector down the queue
/// fills, the oldest spans are dropped and the exporters' warnings reach the log at most once a minute.
struct GatewayTelemetry: Sendable {
    let tracer: GatewayTracer
    /// swift-otel's log handler, when `diagnostics.otel.logs` is on.
    let logExporter: (any LogHandler)?
    /// The exporters' background work (`OTelExporterService`), nil when nothing is exported.
    let service: (any Service)?

    static let off = GatewayTelemetry(tracer: .off, logExporter: nil, service: nil)

    /// How long one export (and the final flush on stop) may take before its batch is given up. With the collector
    /// unreachable every export waits this long (the HTTP client keeps retrying the connection until its deadline),
    /// and a stop can meet one export in progress plus the final flush: twice this stays inside the gateway's shutdown
    /// grace (`shutdownGraceMs`, 5 s), after which the process exits without cleaning up.
    static let exportTimeout: Duration = .seconds(2)

    /// Builds the exporters `config` asks for; a value they cannot use is logged (naming the key) and export stays off.
    static func make(config: OpenClawConfig, logger: Logger) -> GatewayTelemetry {
        let settings: OTelSettings
        do {
            guard let resolved = try OTelSettings.resolve(config) else { return .off }
            settings = resolved
        } catch {
            logger.error("[otel] \(error.description)")
            return .off
        }
        var diagnostics = Logger(label: logger.label) { _ in RateLimitedLogHandler(wrapping: logger.handler, interval: .seconds(60)) }
        diagnostics[metadataKey: "exporter"] = "otlp"
        do {
            var tracer = GatewayTracer.off
            var logExporter: (any LogHandler)?
            var services: [any Service] = []
            if let url = settings.tracesURL {
                let backend = try OTel.makeTracingBackend(configuration: settings.configuration(traces: url, diagnostics: diagnostics))
                tracer = GatewayTracer(backend.factory)
                services.append(backend.service)
            }
            if let url = settings.logsURL {
                let backend = try OTel.makeLoggingBackend(configuration: settings.configuration(logs: url, diagnostics: diagnostics))
                logExporter = backend.factory(logger.label)
                services.append(backend.service)
            }
            let signals = [settings.tracesURL.map { "traces → \($0)" }, settings.logsURL.map { "logs → \($0)" }].compactMap { $0 }
            logger.info("[otel] exporting \(signals.joined(separator: ", ")) (\(settings.json ? "http/json" : "http/protobuf"))")
            return GatewayTelemetry(tracer: tracer, logExporter: logExporter, service: OTelExporterService(services: services, logger: diagnostics))
        } catch {
            logger.error("[otel] cannot set up the OTLP exporter: \(error); OpenTelemetry export is off")
            return .off
        }
    }

    /// What exported log records must never show: the gateway's own secret and the config's secret values.
    static func secrets(of settings: GatewaySettings) -> [String] {
        var secrets = LogRedactor.configSecrets(settings.config.config)
        switch settings.auth {
        case .token(let secret), .password(let secret): secrets.append(secret)
        case .none, .trustedProxy: break
        }
        return secrets
    }

    /// `logger`, teeing its records into the OTLP log exporter when there is one.
    func logger(wrapping logger: Logger, secrets: [String]) -> Logger {
        guard let logExporter else { return logger }
        return Logger(label: logger.label) { _ in OTLPLogHandler(base: logger.handler, exporter: logExporter, secrets: secrets) }
    }
}

extension OTelSettings {
    /// swift-otel's configuration for exporting spans to `url`.
    fileprivate func configuration(traces url: String, diagnostics: Logger) -> OTel.Configuration {
        var configuration = common(diagnostics)
        configuration.traces.enabled = true
        configuration.traces.sampler = .parentBasedTraceIDRatio(ratio: sampleRate) ?? .parentBasedAlwaysOn
        configuration.traces.batchSpanProcessor.scheduleDelay = flushInterval
        configuration.traces.batchSpanProcessor.exportTimeout = GatewayTelemetry.exportTimeout
        configuration.traces.otlpExporter = exporter(url)
        return configuration
    }

    /// swift-otel's configuration for exporting log records to `url`.
    fileprivate func configuration(logs url: String, diagnostics: Logger) -> OTel.Configuration {
        var configuration = common(diagnostics)
        configuration.logs.enabled = true
        configuration.logs.level =
            switch logLevel {
            case .trace: .trace
            case .debug: .debug
            case .info, .notice: .info
            case .warning: .warning
            case .error, .critical: .error
            }
        configuration.logs.batchLogRecordProcessor.scheduleDelay = flushInterval
        configuration.logs.batchLogRecordProcessor.exportTimeout = GatewayTelemetry.exportTimeout
        configuration.logs.otlpExporter = exporter(url)
        return configuration
    }

    private func common(_ diagnostics: Logger) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(diagnostics)
        configuration.diagnosticLogLevel = .warning
        configuration.traces.enabled = false
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        return configuration
    }

    private func exporter(_ url: String) -> OTel.Configuration.OTLPExporterConfiguration {
        var exporter = OTel.Configuration.OTLPExporterConfiguration.default
        // Set explicitly, so swift-otel sends to exactly this URL (it appends `/v1/<signal>` only to its default).
        exporter.endpoint = url
        exporter.protocol = json ? .httpJSON : .httpProtobuf
        exporter.headers = headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        exporter.timeout = GatewayTelemetry.exportTimeout
        return exporter
    }
}
