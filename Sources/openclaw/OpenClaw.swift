// Sources/openclaw/OpenClaw.swift - the command tree

import ArgumentParser

struct OpenClaw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openclaw",
        abstract: "The OpenClaw Gateway and its operator CLI.",
        discussion: "Root flags (before the command): --dev (isolated state in ~/.openclaw-dev, port 19001), --profile NAME.",
        subcommands: [
            GatewayCommand.self, AgentCommand.self, AgentsCommand.self, ModelsCommand.self, HealthCommand.self, SetupCommand.self, LogsCommand.self,
            StatusCommand.self, DoctorCommand.self, ConfigCommand.self, SessionsCommand.self, DashboardCommand.self, ChannelsCommand.self, PairingCommand.self,
            DevicesCommand.self, MessageCommand.self, CronCommand.self,
        ]
    )
}

/// A command that does its work asynchronously. main.swift calls `execute()` directly: calling `run()`
/// through an existential picks ArgumentParser's synchronous default, which only prints help.
protocol CLICommand: AsyncParsableCommand {
    func execute() async throws
}

extension CLICommand {
    mutating func run() async throws { try await execute() }
}
