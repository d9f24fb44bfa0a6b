// Sources/Runtime/Logging/LogSystem.swift - the process's logging: console + JSONL file, live settings, redaction

import Foundation
import Generated
import Logging
import Synchronization

/// Owns the settings every handler reads on each record, so a rebuild (new config, a generated token to hide)
/// takes effect without re-bootstrapping swift-log, which can only be bootstrapped once per process.
public enum LogSystem {
    struct Live: Sendable {
        var settings: LogSettings
        var sink: FileLogSink?
    }

    static let live = Mutex<Live?>(nil)

    /// The file location in use, when this process logs to a file.
    public static var location: LogFileLocation? { live.withLock { $0?.sink?.location } }

    /// Installs the handlers (once) and applies `settings`.
    public static func bootstrap(_ settings: LogSettings) {
        let first = live.withLock { $0 == nil }
        reconfigure(settings)
        if first { LoggingSystem.bootstrap { label in OpenClawLogHandler(label: label) } }
    }

    /// Rebuilds the file sink (pruning old daily files) and swaps the settings in.
    public static func reconfigure(_ settings: LogSettings) {
        var settings = settings
        let sink = settings.fileLevel == .silent ? nil : FileLogSink(location: settings.location, maxFileBytes: settings.maxFileBytes)
        live.withLock { live in
            if let previous = live?.settings.redactor.secrets { settings.redactor.add(secrets: previous) }
            live?.sink?.close()
            live = Live(settings: settings, sink: sink)
        }
    }

    /// Hides more secret values from now on (the resolved token or password).
    public static func addSecrets(_ secrets: [String]) {
        live.withLock { $0?.settings.redactor.add(secrets: secrets) }
    }
}

/// The handler behind every `Logger`: filters by the console and file thresholds, redacts, writes both.
struct OpenClawLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    private var fixedLevel: Logger.Level?

    init(label: String) {
        self.label = label
    }

    /// The most verbose of the two thresholds, read live; setting it pins this logger's own level.
    var logLevel: Logger.Level {
        get {
            if let fixedLevel { return fixedLevel }
            return LogSystem.live.withLock { live in
                guard let settings = live?.settings else { return .info }
                let levels = [settings.consoleLevel.leastLevel, live?.sink == nil ? nil : settings.fileLevel.leastLevel].compactMap { $0 }
                return levels.min() ?? .critical
            }
        }
        set { fixedLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard let live = LogSystem.live.withLock({ $0 }) else { return }
        let settings = live.settings
        let toConsole = settings.consoleLevel.allows(event.level)
        let toFile = live.sink != nil && settings.fileLevel.allows(event.level)
        guard toConsole || toFile else { return }
        let redactor = settings.redactor
        let message = redactor.redact(event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.mapValues { Self.redact($0, with: redactor) }
        let time = Date()
        if toConsole {
            ConsoleLogHandler.write(
                ConsoleLogHandler.render(
                    level: event.level, label: label, message: message, metadata: fields, style: settings.consoleStyle,
                    colour: ConsoleLogHandler.stderrIsTerminal, time: time
                )
            )
        }
        if toFile, let sink = live.sink {
            sink.write(FileLogRecord.line(level: event.level.upstreamName, subsystem: label, message: message, fields: fields, time: time))
        }
    }

    static func redact(_ value: Logger.MetadataValue, with redactor: LogRedactor) -> Logger.MetadataValue {
        switch value {
        case .string(let text): .string(redactor.redact(text))
        case .stringConvertible(let convertible): .string(redactor.redact(convertible.description))
        case .array(let values): .array(values.map { redact($0, with: redactor) })
        case .dictionary(let entries): .dictionary(entries.mapValues { redact($0, with: redactor) })
        }
    }
}
