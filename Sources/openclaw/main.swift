// Sources/openclaw/main.swift - entry point: root profile flags, then the command tree

import ArgumentParser
import Foundation
import Runtime

let arguments: [String]
do {
    arguments = try CLIEnvironment.arguments()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
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
