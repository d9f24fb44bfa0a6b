// Sources/Runtime/Logging/ConsoleLogHandler.swift - one readable line per record on stderr

import Foundation
import Generated
import Logging

/// `2026-11-25T19:00:00.000Z info message key=value`, written to stderr in one call so lines never interleave.
/// On a TTY the level is coloured; `compact` drops the timestamp and `json` writes the file's JSONL instead.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(level: Logger.Level) {
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        Self.write(Self.render(level: event.level, label: "", message: event.message.description, metadata: merged, style: nil, colour: false))
    }

    /// Bootstraps swift-log once per process with this handler alone (no file, no redaction).
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(level: level) }
    }

    /// Whether stderr is a terminal, so colour is welcome.
    public static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    /// One console line, without its newline.
    public static func render(
        level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, style: LoggingConsoleStyle?, colour: Bool,
        time: Date = Date()
    ) -> String {
        if style == .json {
            return FileLogRecord.line(level: level.upstreamName, subsystem: label, message: message, fields: metadata, time: time)
        }
        let levelText = colour ? Self.colour(level) + level.rawValue + "\u{1B}[0m" : level.rawValue
        var line = style == .compact ? levelText + " " + message : ISO8601.format(time) + " " + levelText + " " + message
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        return line
    }

    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func colour(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "\u{1B}[90m"
        case .info, .notice: "\u{1B}[32m"
        case .warning: "\u{1B}[33m"
        case .error, .critical: "\u{1B}[31m"
        }
    }
}

enum ISO8601 {
    static func now() -> String { format(Date()) }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
