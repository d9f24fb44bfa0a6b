// Sources/openclaw/main.swift - entry point: root profile flags, then the command tree

import ArgumentParser
import Foundation
import Runtime

let environment: [String: String]
let arguments: [String]
do {
    (arguments, environment) = try ProfileArguments.apply(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
for (key, value) in environment where ProcessInfo.processInfo.environment[key] != value {
    setenv(key, value, 1)
}
do {
    var command = try await OpenClaw.asyncParseAsRoot(arguments)
    if let command = command as? any CLICommand {
        try await command.execute()
    } else {
        try command.run()
    }
} catch {
    OpenClaw.exit(withError: error)
}
