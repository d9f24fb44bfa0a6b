// Sources/openclaw/SessionsCommand.swift - `openclaw sessions list|export`: read the session database directly

import ArgumentParser
import Foundation
import Generated
import Runtime

struct SessionsCommand: AsyncParsableCommand {
    static let configuration = SessionsOptions.configuration(
        subcommands: [List.self, Export.self], defaultSubcommand: List.self
    )

    struct List: CLICommand {
        static let configuration = SessionsListOptions.configuration()

        @OptionGroup var options: SessionsListOptions

        func execute() async throws {
            if let limit = options.limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
            if let active = options.active, active < 1 { throw ValidationError("--active must be at least 1 minute") }
            let store = try SessionsCommand.openStore()
            let now = Int(Date().timeIntervalSince1970 * 1000)
            let query = SessionQuery(limit: options.limit, activeMinutes: options.active, search: options.search, now: now)
            let sessions = try store.list(query)
            if options.json {
                let rows = try sessions.map { entry -> JSONValue in
                    var row = try WireJSON.decode(JSONValue.self, from: WireJSON.encode(entry)).objectValue ?? [:]
                    row["kind"] = .string(entry.kind)
                    return .object(row)
                }
                let summary: JSONValue = .object([
                    "path": .string(store.path), "count": .int(sessions.count),
                    "activeMinutes": options.active.map(JSONValue.int) ?? .null, "sessions": .array(rows),
                ])
                print(try JSONOutput.render(summary, pretty: true))
            } else {
                print(SessionsTable.render(sessions, path: store.path, now: now))
            }
        }
    }

    struct Export: CLICommand {
        static let configuration = SessionsExportOptions.configuration()

        @OptionGroup var options: SessionsExportOptions

        func execute() async throws {
            let store = try SessionsCommand.openStore()
            guard let jsonl = try store.exportJSONL(key: options.key) else {
                try SessionsCommand.fail(SessionStoreError.unknownKey(options.key))
            }
            if let output = options.output {
                try Data(jsonl.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } else {
                FileHandle.standardOutput.write(Data(jsonl.utf8))
            }
        }
    }

    /// The database under this profile's state dir; exit 1 with a sentence when there is none.
    static func openStore() throws -> SessionStore {
        let paths = StatePaths.resolve(environment: CLIEnvironment.current)
        do {
            return try SessionStore.openExisting(path: SessionStore.defaultPath(stateDir: paths.stateDir), cwd: paths.stateDir)
        } catch {
            try fail(error)
        }
    }

    static func fail(_ error: any Error) throws -> Never {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
}
