// Sources/openclaw/CronCommand.swift - `openclaw cron …`: scheduled jobs through the running gateway's `cron.*` methods

import ArgumentParser
import Foundation
import Generated
import Runtime

/// Every subcommand sends one `cron.*` method's generated params and prints its generated result: as JSON
/// (upstream prints JSON for everything but `list`), or for `list` the table of `CronTable`.
struct CronCommand: AsyncParsableCommand {
    static let configuration = CronOptions.configuration(
        subcommands: [List.self, Status.self, Add.self, Edit.self, Remove.self, Enable.self, Disable.self, Run.self, Runs.self]
    )

    static var nowMs: Int { Int((Date().timeIntervalSince1970 * 1000).rounded()) }

    struct List: CLICommand {
        static let configuration = CronListOptions.configuration()

        @OptionGroup var options: CronListOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let params = CronListParams(includeDisabled: options.all ? true : nil)
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.cronList(params, timeoutMs: connection.timeout)
            }
            print(connection.json ? try JSONOutput.render(result, pretty: true) : CronTable.render(result.jobs, now: CronCommand.nowMs))
        }
    }

    struct Status: CLICommand {
        static let configuration = CronStatusOptions.configuration()

        @OptionGroup var options: CronStatusOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in try await client.cronStatus(timeoutMs: connection.timeout) }
            print(try JSONOutput.render(result, pretty: true))
        }
    }

    struct Add: CLICommand {
        static let configuration = CronAddOptions.configuration()

        @OptionGroup var options: CronAddOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let params = try CronCommand.checked { try options.input.addParams(now: CronCommand.nowMs) }
            let job = try await CLIConnection.withClient(connection) { client in try await client.cronAdd(params, timeoutMs: connection.timeout) }
            print(try JSONOutput.render(job, pretty: true))
        }
    }

    struct Edit: CLICommand {
        static let configuration = CronEditOptions.configuration()

        @OptionGroup var options: CronEditOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let patch = try CronCommand.checked { try options.input.patch(now: CronCommand.nowMs) }
            try await CronCommand.update(options.id, patch, connection)
        }
    }

    struct Remove: CLICommand {
        static let configuration = CronRmOptions.configuration()

        @OptionGroup var options: CronRmOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.cronRemove(CronJobRef(id: options.id), timeoutMs: connection.timeout)
            }
            print(try JSONOutput.render(result, pretty: true))
        }
    }

    struct Enable: CLICommand {
        static let configuration = CronEnableOptions.configuration()

        @OptionGroup var options: CronEnableOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws { try await CronCommand.update(options.id, CronJobPatch(enabled: true), connection) }
    }

    struct Disable: CLICommand {
        static let configuration = CronDisableOptions.configuration()

        @OptionGroup var options: CronDisableOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws { try await CronCommand.update(options.id, CronJobPatch(enabled: false), connection) }
    }

    struct Run: CLICommand {
        static let configuration = CronRunOptions.configuration()

        @OptionGroup var options: CronRunOptions
        @OptionGroup var connection: ConnectionOptions

        /// Exits 1 unless the gateway started the run (`ok` and `ran` or `enqueued`), as upstream does.
        func execute() async throws {
            let params = CronRunParams(id: options.id, mode: options.due ? .due : .force)
            let result = try await CLIConnection.withClient(connection) { client in try await client.cronRun(params, timeoutMs: connection.timeout) }
            print(try JSONOutput.render(result, pretty: true))
            guard result.ok, result.ran == true || result.enqueued == true else { throw ExitCode(1) }
        }
    }

    struct Runs: CLICommand {
        static let configuration = CronRunsOptions.configuration()

        @OptionGroup var options: CronRunsOptions
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard options.id?.isEmpty == false else { throw ValidationError("--id is required") }
            guard (1...5000).contains(options.limit) else { throw ValidationError("--limit must be between 1 and 5000") }
        }

        func execute() async throws {
            let params = CronRunsParams(id: options.id, limit: options.limit)
            let result = try await CLIConnection.withClient(connection) { client in try await client.cronRuns(params, timeoutMs: connection.timeout) }
            print(try JSONOutput.render(result, pretty: true))
        }
    }

    /// `cron.update` with `patch`; prints the changed job.
    static func update(_ id: String, _ patch: CronJobPatch, _ connection: ConnectionOptions) async throws {
        let job = try await CLIConnection.withClient(connection) { client in
            try await client.cronUpdate(CronUpdateParams(id: id, patch: patch), timeoutMs: connection.timeout)
        }
        print(try JSONOutput.render(job, pretty: true))
    }

    /// Runs `build`; a refused flag combination is a usage error (exit 64 with the message, as a bad flag is).
    static func checked<T>(_ build: () throws -> T) throws -> T {
        do {
            return try build()
        } catch let invalid as CronJobInput.Invalid {
            throw ValidationError(invalid.description)
        }
    }
}

/// The flags `cron add` and `cron edit` share (their generated option structs have the same names and types).
protocol CronJobFlags {
    var name: String? { get }
    var description: String? { get }
    var agent: String? { get }
    var session: String? { get }
    var at: String? { get }
    var every: String? { get }
    var cron: String? { get }
    var tz: String? { get }
    var systemEvent: String? { get }
    var message: String? { get }
    var model: String? { get }
    var thinking: String? { get }
    var timeoutSeconds: Int? { get }
    var deleteAfterRun: Bool { get }
    var keepAfterRun: Bool { get }
    var announce: Bool { get }
    var deliver: Bool { get }
    var noDeliver: Bool { get }
    var channel: String? { get }
    var to: String? { get }
    var account: String? { get }
    var bestEffortDeliver: Bool { get }
}

extension CronJobFlags {
    /// The shared flags as the CLI-independent input (Runtime/Client/CronJobInput.swift checks and converts them).
    var sharedInput: CronJobInput {
        var input = CronJobInput()
        input.name = name
        input.description = description
        input.agent = agent
        input.session = session
        input.at = at
        input.every = every
        input.cron = cron
        input.tz = tz
        input.systemEvent = systemEvent
        input.message = message
        input.model = model
        input.thinking = thinking
        input.timeoutSeconds = timeoutSeconds
        input.deleteAfterRun = deleteAfterRun
        input.keepAfterRun = keepAfterRun
        input.announce = announce || deliver
        input.noDeliver = noDeliver
        input.channel = channel
        input.to = to
        input.account = account
        input.bestEffortDeliver = bestEffortDeliver
        return input
    }
}

extension CronAddOptions: CronJobFlags {
    var input: CronJobInput {
        var input = sharedInput
        input.wake = wake
        input.disabled = disabled
        return input
    }
}

extension CronEditOptions: CronJobFlags {
    var input: CronJobInput {
        var input = sharedInput
        input.wake = wake
        input.clearAgent = clearAgent
        input.enable = enable
        input.disable = disable
        return input
    }
}
