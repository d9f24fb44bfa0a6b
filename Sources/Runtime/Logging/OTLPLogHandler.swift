// Sources/Runtime/Logging/OTLPLogHandler.swift - the gateway's log records, redacted, also sent to the OTLP exporter

import Logging

/// A gateway logger's handler while `diagnostics.otel.logs` is on: every record still goes to the handler the
/// gateway was given (console and file), and records at or above the exporter's level also go to swift-otel's
/// batching log handler, which stamps them with the current span's trace id.
///
/// Records leave the machine, so they are masked like the file log first: the process's redactor (the resolved
/// token, config secrets, `logging.redactPatterns`) plus the secrets this gateway knows itself, which matters for
/// in-process gateways whose process never set up `LogSystem`.
struct OTLPLogHandler: LogHandler {
    private var base: any LogHandler
    private var exporter: any LogHandler
    /// This gateway's own secrets (exact values, no patterns).
    private let own: LogRedactor
    /// The default patterns, for a process that never set up `LogSystem` (compiled once, here).
    private let fallback: LogRedactor

    init(base: any LogHandler, exporter: any LogHandler, secrets: [String]) {
        self.base = base
        self.exporter = exporter
        self.own = LogRedactor(secrets: secrets, mode: .off)
        self.fallback = LogRedactor()
    }

    /// The more verbose of the two, so a record either side wants gets through `Logger`'s level check.
    var logLevel: Logger.Level {
        get { min(base.logLevel, exporter.logLevel) }
        set {
            base.logLevel = newValue
            exporter.logLevel = newValue
        }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set {
            base.metadata = newValue
            exporter.metadata = newValue
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set {
            base[metadataKey: key] = newValue
            exporter[metadataKey: key] = newValue
        }
    }

    func log(event: LogEvent) {
        if event.level >= base.logLevel { base.log(event: event) }
        guard event.level >= exporter.logLevel else { return }
        let process = LogSystem.live.withLock { $0?.settings.redactor } ?? fallback
        var redacted = event
        redacted.message = "\(own.redact(process.redact(event.message.description)))"
        redacted.metadata = event.metadata?.mapValues { OpenClawLogHandler.redact(OpenClawLogHandler.redact($0, with: process), with: own) }
        // An error's text can carry a URL with a token; the message and metadata above are what operators need.
        redacted.error = nil
        exporter.log(event: redacted)
    }
}
