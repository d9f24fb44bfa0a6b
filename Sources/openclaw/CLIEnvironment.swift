// Sources/openclaw/CLIEnvironment.swift - the environment every command resolves from, profile flags applied

import Foundation
import Runtime

/// The root profile flags (`--profile`, `--dev`) resolved once into arguments and an environment value.
///
/// Why a value: the flags used to be applied with `setenv`, so every later read of the process environment saw
/// them. Commands now read `CLIEnvironment.current` instead, and the process environment is never rewritten.
enum CLIEnvironment {
    private static let resolved = Result {
        try ProfileArguments.apply(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
    }

    /// The command line without the root profile flags; throws the flags' usage error.
    static func arguments() throws -> [String] { try resolved.get().arguments }

    /// The process environment with the profile's variables (`OPENCLAW_PROFILE`, `OPENCLAW_STATE_DIR`, …) applied.
    static var current: [String: String] { (try? resolved.get().environment) ?? ProcessInfo.processInfo.environment }
}
