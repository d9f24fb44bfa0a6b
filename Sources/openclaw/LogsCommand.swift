// Sources/openclaw/LogsCommand.swift - `openclaw logs`: tail the gateway's file log over `logs.tail`, or the local file

import ArgumentParser
import Foundation
import Generated
import Runtime

struct LogsCommand: CLICommand {
    static let configuration = LogsOptions.configuration()

    @OptionGroup var logs: LogsOptions
    @OptionGroup var connection: ConnectionOptions

    /// Reconnect attempts while following before giving up on the gateway (reference/ops.md §6.2).
    static let reconnectAttempts = 8
    static let maxBackoffMs = 30_000

    func execute() async throws {
        guard (1...LogTail.maxLimit).contains(logs.limit) else { throw ValidationError("--limit must be between 1 and \(LogTail.maxLimit)") }
        guard (1...LogTail.maxMaxBytes).contains(logs.maxBytes) else { throw ValidationError("--max-bytes must be between 1 and \(LogTail.maxMaxBytes)") }
        let environment = CLIEnvironment.current
        let printer = LogsPrinter(json: connection.json, plain: logs.plain, colour: !logs.noColor && isatty(STDOUT_FILENO) != 0)
        let target: ClientTarget
        do {
            target = try ClientTarget.resolve(url: connection.url, token: connection.token, password: connection.password, environment: environment)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }

        var source: Source
        do {
            source = .gateway(try await GatewayClient.connect(target: target, timeoutMs: connection.timeout))
        } catch {
            source = try fallback(after: error, target: target, printer: printer, environment: environment)
        }
        var cursor: Int?
        var file: String?
        while true {
            var result: LogsTailResult
            do {
                result = try await fetch(from: source, cursor: cursor)
            } catch {
                guard logs.follow, case .gateway(let client) = source else { return try fail(error) }
                await client.close()
                source = try await reconnect(target: target, after: error, printer: printer, environment: environment)
                continue
            }
            // A new day's file (or another gateway's): read it from its start rather than at the old offset.
            if let file, file != result.file, cursor != nil {
                cursor = 0
                result = (try? await fetch(from: source, cursor: 0)) ?? result
            }
            printer.print(result, first: file == nil || file != result.file)
            file = result.file
            cursor = result.cursor
            guard logs.follow else { break }
            try await Task.sleep(for: .milliseconds(max(logs.interval, 10)))
        }
        if case .gateway(let client) = source { await client.close() }
    }

    enum Source {
        case gateway(GatewayClient)
        /// The location, not a path, so a following reader moves on to the next day's file.
        case local(LogFileLocation)
    }

    private func fetch(from source: Source, cursor: Int?) async throws -> LogsTailResult {
        switch source {
        case .gateway(let client):
            return try await client.logsTail(LogsTailParams(cursor: cursor, limit: logs.limit, maxBytes: logs.maxBytes), timeoutMs: connection.timeout)
        case .local(let location):
            return LogTail.read(path: location.path(), cursor: cursor, limit: logs.limit, maxBytes: logs.maxBytes)
        }
    }

    /// Falls back to reading the file this machine's config points at, only for the implicit local gateway
    /// (never with `--url`, `OPENCLAW_GATEWAY_URL` or a remote-mode URL).
    private func fallback(after error: any Error, target: ClientTarget, printer: LogsPrinter, environment: [String: String]) throws -> Source {
        guard target.isImplicitLocal, Self.isUnreachable(error) else { return try fail(error) }
        let paths = StatePaths.resolve(environment: environment)
        let config = (try? ConfigLoader(environment: environment).load(path: paths.configPath))?.config ?? OpenClawConfig()
        let location = LogFileLocation(logging: config.logging, environment: environment)
        printer.notice("Gateway not reachable (\(error)); reading the local log file \(location.path()).")
        return .local(location)
    }

    /// Backoff 500 ms, 1 s, 2 s … capped at 30 s, for up to 8 tries; then the local file (or an error with `--url`).
    private func reconnect(target: ClientTarget, after error: any Error, printer: LogsPrinter, environment: [String: String]) async throws -> Source {
        printer.notice("Lost the gateway (\(error)); reconnecting.")
        var lastError = error
        for attempt in 0..<Self.reconnectAttempts {
            try await Task.sleep(for: .milliseconds(min(500 << attempt, Self.maxBackoffMs)))
            do {
                let client = try await GatewayClient.connect(target: target, timeoutMs: connection.timeout)
                printer.notice("Reconnected to the gateway.")
                return .gateway(client)
            } catch {
                lastError = error
            }
        }
        return try fallback(after: lastError, target: target, printer: printer, environment: environment)
    }

    private func fail<T>(_ error: any Error) throws -> T {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }

    /// Down, gone, silent, or (as upstream) refusing this device until it is paired.
    static func isUnreachable(_ error: any Error) -> Bool {
        if case .pairingRequired = error as? DevicePairingError { return true }
        return switch error as? GatewayClientError {
        case .unreachable, .closed, .timeout: true
        case .rejected(_, let shape, _):
            shape.details?["code"]?.stringValue.map { $0 == "PAIRING_REQUIRED" || $0.hasPrefix("DEVICE_") } ?? false
        default: false
        }
    }
}
