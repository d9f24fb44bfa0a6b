// Sources/gateway-stress/StressSupport.swift - errors, progress lines, the executable and state directories

import Foundation
import Logging
import TestUpstream

/// A failure in words; the commands print it and exit 1.
struct StressError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum StressLog {
    /// The operator clients' own logging stays off: their reconnect chatter is not the result.
    static let quiet = Logger(label: "gateway-stress", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A result line on stdout, written at once (not through `print`'s buffer, which a file or pipe fills in
    /// blocks): a run that dies (a fuzz crash, a kill) keeps every line it printed.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A progress line on stderr (results go to stdout).
    static func say(_ text: String) {
        FileHandle.standardError.write(Data(("gateway-stress: " + text + "\n").utf8))
    }
}

enum StressPaths {
    /// A loopback port below the ephemeral range that nothing holds now (see `UnusedPort`).
    static func unusedPort() throws -> Int {
        let port = UnusedPort.next()
        guard port > 0 else { throw StressError("no unused loopback port") }
        return port
    }

    /// `--openclaw`, else the `openclaw` built next to this binary.
    static func openclaw(_ given: String?) throws -> String {
        let path =
            given
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("openclaw").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw StressError("no openclaw executable at \(path); build it (swift build [-c release] --product openclaw) or pass --openclaw")
        }
        return path
    }

    /// A fresh state directory under the temporary directory.
    static func stateDir(_ kind: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-\(kind)-\(UUID().uuidString.lowercased().prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func randomToken() -> String {
        (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
    }
}
