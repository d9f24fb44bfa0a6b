// Sources/gateway-bench/GatewayProcess.swift - the `openclaw gateway` under test: find, launch, measure, stop

import Foundation
import Generated
import Synchronization
import TestUpstream

/// How a process ended.
enum Termination: Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    var description: String {
        switch self {
        case .exited(let status): "exit status \(status)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }

    /// The shell's convention: the status, or 128 + the signal.
    var code: Int32 {
        switch self {
        case .exited(let status): status
        case .signaled(let signal): 128 + signal
        }
    }
}

/// A gateway subprocess with a throwaway state directory (also its `HOME`), so it touches nothing
/// of the real user's; its output goes to `gateway.log` there.
///
/// `@unchecked Sendable`: `process` is configured and started in `launch` before the instance is
/// shared, and afterwards only read for its pid; the exit is recorded under `exit`'s lock.
final class GatewayProcess: @unchecked Sendable {
    let port: Int
    let token: String
    let stateDir: URL
    /// When `Process.run()` was called.
    let launchedAt: ContinuousClock.Instant
    private let process: Process
    private let exit = Mutex<(termination: Termination?, waiters: [CheckedContinuation<Termination, Never>])>((nil, []))

    private init(process: Process, port: Int, token: String, stateDir: URL, launchedAt: ContinuousClock.Instant) {
        self.process = process
        self.port = port
        self.token = token
        self.stateDir = stateDir
        self.launchedAt = launchedAt
    }

    var pid: Int32 { process.processIdentifier }
    var url: String { "ws://127.0.0.1:\(port)" }
    var logURL: URL { stateDir.appendingPathComponent("gateway.log") }

    /// Starts `openclaw gateway --allow-unconfigured --port PORT --token TOKEN` on a free loopback port,
    /// with `config` (JSON) as `openclaw.json` in the state dir when given.
    /// This bench binary again, as the Hummingbird reference server (`ReferenceServer`), measured like a gateway.
    static func launchReference() throws -> GatewayProcess {
        let bench = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        return try launch(executable: bench, arguments: { port, _ in ["--reference-server", String(port)] })
    }

    static func launch(executable: URL, config: String? = nil) throws -> GatewayProcess {
        try launch(executable: executable, config: config) { port, token in
            ["gateway", "--allow-unconfigured", "--port", String(port), "--token", token]
        }
    }

    private static func launch(executable: URL, config: String? = nil, arguments: (Int, String) -> [String]) throws -> GatewayProcess {
        let port = UnusedPort.next()
        guard port > 0 else { throw BenchError("no unused loopback port") }
        let token = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-bench-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: stateDir, withIntermediateDirectories: true)
        if let config {
            try Data(config.utf8).write(to: stateDir.appendingPathComponent("openclaw.json"))
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments(port, token)
        // Nothing of the caller's OpenClaw settings may leak in: the flags and this state dir decide everything.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OPENCLAW_") && !$0.key.hasPrefix("CLAWDBOT_") }
        environment["HOME"] = stateDir.path
        environment[EnvironmentVariable.stateDir] = stateDir.path
        process.environment = environment
        let logPath = stateDir.appendingPathComponent("gateway.log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw BenchError("cannot create \(logPath)") }
        let logFile = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = logFile
        process.standardError = logFile
        process.standardInput = FileHandle.nullDevice

        let launchedAt = ContinuousClock.now
        let gateway = GatewayProcess(process: process, port: port, token: token, stateDir: stateDir, launchedAt: launchedAt)
        process.terminationHandler = { process in
            gateway.exited(process.terminationReason == .uncaughtSignal ? .signaled(process.terminationStatus) : .exited(process.terminationStatus))
        }
        do {
            try process.run()
        } catch {
            gateway.removeStateDir()
            throw BenchError("cannot start \(executable.path): \(error)")
        }
        return gateway
    }

    /// The exit, once the process has ended.
    var termination: Termination? { exit.withLock { $0.termination } }

    /// A memory figure from `/proc/PID/status` in MiB: `VmRSS` (resident now) or `VmHWM` (peak resident).
    func memoryMB(_ field: String = "VmRSS") throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kB = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) })
        else { throw BenchError("no \(field) in /proc/\(pid)/status") }
        return kB / 1024
    }

    /// CPU time the process has used so far (user + system, from `/proc/PID/stat`), in milliseconds: what a
    /// request costs the gateway, which a noisy machine changes far less than latency or throughput.
    func cpuMilliseconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name (which may contain spaces) start at `state`; utime and stime are fields 14 and 15.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { throw BenchError("unreadable /proc/\(pid)/stat") }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Sends SIGTERM and waits for the exit; SIGKILL after `grace`.
    func stop(grace: Duration) async -> Termination {
        if termination == nil { kill(pid, SIGTERM) }
        let killer = Task {
            try await Task.sleep(for: grace)
            kill(pid, SIGKILL)
        }
        defer { killer.cancel() }
        return await withCheckedContinuation { continuation in
            let done = exit.withLock { state -> Termination? in
                if let termination = state.termination { return termination }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// `stop` for paths that cannot await (signal handlers, the deadline): blocks the calling thread.
    func stopBlocking(grace: Duration) {
        guard termination == nil else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while termination == nil && ContinuousClock.now < deadline { usleep(10_000) }
        if termination == nil { kill(pid, SIGKILL) }
    }

    /// The last lines the gateway printed, for error messages.
    func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Deletes the state directory.
    func removeStateDir() {
        try? FileManager.default.removeItem(at: stateDir)
    }

    private func exited(_ termination: Termination) {
        let waiters = exit.withLock { state -> [CheckedContinuation<Termination, Never>] in
            state.termination = termination
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: termination) }
    }
}

/// Finds the `openclaw` executable next to this one, building it first when the package is at hand.
enum OpenClawExecutable {
    /// - Parameter build: run `swift build --product openclaw` for this binary's scratch path and
    ///   configuration first, so a bench never measures a stale gateway.
    static func locate(build: Bool) throws -> URL {
        let benchURL = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let directory = benchURL.deletingLastPathComponent()
        let executable = directory.appendingPathComponent("openclaw")
        if build, let command = buildCommand(binDirectory: directory) {
            log("building openclaw: swift \(command.joined(separator: " "))")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift"] + command
            process.standardOutput = FileHandle.standardError
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw BenchError("building openclaw failed (exit status \(process.terminationStatus))") }
        }
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchError("no openclaw executable at \(executable.path); build it with `swift build -c release --product openclaw`")
        }
        return executable
    }

    /// `build -c CONFIG --scratch-path SCRATCH --package-path ROOT --product openclaw`, when this binary
    /// sits in `SCRATCH/TRIPLE/CONFIG/` and the package sources it was built from still exist.
    private static func buildCommand(binDirectory: URL) -> [String]? {
        let configuration = binDirectory.lastPathComponent
        guard configuration == "release" || configuration == "debug" else { return nil }
        let scratch = binDirectory.deletingLastPathComponent().deletingLastPathComponent()
        // This file is Sources/gateway-bench/GatewayProcess.swift in the package.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else { return nil }
        return ["build", "-c", configuration, "--scratch-path", scratch.path, "--package-path", root.path, "--product", "openclaw"]
    }
}
