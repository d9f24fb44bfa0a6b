// Tests/CLITests/OpenClawProcess.swift - runs the real `openclaw` binary with its own HOME and state dir

import Foundation
import Runtime
import Synchronization
import TestSupport
import TestUpstream

/// One `openclaw` process with a private state directory; its output (stdout and stderr together) is collected.
final class OpenClawProcess: Sendable {
    let process: SpawnedProcess
    private let output = OutputBuffer()
    /// Finishes when the output pipe reaches end of file (every writer, grandchildren too, is gone).
    private let drained: AsyncStream<Void>

    /// The built binary, next to the test bundle.
    static let binary: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("openclaw"), bundle.appendingPathComponent("../openclaw").standardized]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    init(_ arguments: [String], environment: [String: String]) async throws {
        let pipe = Pipe()
        let (drained, drainedSink) = AsyncStream.makeStream(of: Void.self)
        self.drained = drained
        let output = self.output
        process = try await SpawnedProcess.start(Self.binary.path, arguments, environment: environment, output: .pipe(pipe), error: .pipe(pipe))
        PipeReader.drain(pipe.fileHandleForReading, onChunk: { output.append(String(decoding: $0, as: UTF8.self)) }, onEnd: { drainedSink.finish() })
    }

    var text: String { output.text }
    var pid: Int32 { process.pid }
    var isRunning: Bool { process.isRunning }

    /// Waits for the process to exit (killing it after `timeout`) and returns its status as the shell reports it
    /// (128 + the signal when one ended it).
    func wait(timeout: Duration = .seconds(20)) async -> Int32 {
        let status = await process.exited(within: timeout).status
        // The last lines: read to end of file, unless a grandchild (a started service) keeps the pipe open.
        let drained = self.drained
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in drained {} }
            group.addTask { try? await Task.sleep(for: .seconds(2)) }
            await group.next()
            group.cancelAll()
        }
        return status
    }

    /// Waits until the output contains `marker` (or the process exits, or the timeout passes).
    func waitForOutput(_ marker: String, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if text.contains(marker) { return true }
            if !process.isRunning { return text.contains(marker) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func signal(_ signal: Int32) { process.signal(signal) }

    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        _ = await wait(timeout: .seconds(10))
    }
}

/// A private HOME / state dir for one test, removed afterwards.
struct Sandbox {
    let home: String
    var stateDir: String { home + "/.openclaw" }
    var configPath: String { stateDir + "/openclaw.json" }

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ["HOME": home, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// `environment` for a gateway on `port` with a TMPDIR of its own (so its lock file is private).
    func isolatedEnvironment(port: Int) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: home + "/tmp", withIntermediateDirectories: true)
        return environment(["TMPDIR": home + "/tmp", "OPENCLAW_GATEWAY_PORT": String(port)])
    }

    func writeConfig(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: home) }

    /// A port nothing listens on right now (outside the ephemeral range, see `UnusedPort`).
    static func freePort() -> Int { UnusedPort.next() }
}

/// Everything a process printed so far.
final class OutputBuffer: Sendable {
    private let storage = Mutex("")
    func append(_ text: String) { storage.withLock { $0 += text } }
    var text: String { storage.withLock { $0 } }
}
