// Sources/gateway-stress/SpawnedGateway.swift - an `openclaw gateway run` child: posix_spawn, wait, kill, /proc figures

import Foundation
import Generated
import Runtime
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `openclaw gateway run` child, owned through TestSupport's `SpawnedProcess` (swift-subprocess: the child
/// closes every descriptor this command holds, its exit is awaited, not polled). Its output goes to `gateway.log` in
/// the state dir.
final class SpawnedGateway: Sendable {
    let process: SpawnedProcess
    let port: Int
    let token: String
    let stateDir: String
    var pid: pid_t { process.pid }
    var url: String { "ws://127.0.0.1:\(port)" }
    var logPath: String { stateDir + "/gateway.log" }
    var isRunning: Bool { process.isRunning }

    private init(process: SpawnedProcess, port: Int, token: String, stateDir: String) {
        self.process = process
        self.port = port
        self.token = token
        self.stateDir = stateDir
    }

    /// Starts `<executable> gateway run --allow-unconfigured --port PORT --token TOKEN` with `stateDir` as its
    /// `HOME` and `OPENCLAW_STATE_DIR` (so its config is `<stateDir>/openclaw.json`) and no other OpenClaw settings.
    static func launch(executable: String, stateDir: String, port: Int, token: String) async throws -> SpawnedGateway {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OPENCLAW_") && !$0.key.hasPrefix("CLAWDBOT_") }
        environment["HOME"] = stateDir
        environment[EnvironmentVariable.stateDir] = stateDir
        // Each gateway's lock lives under its own TMPDIR, so a killed gateway's lock is reclaimed by its successor
        // and never confused with a developer's own gateway.
        environment["TMPDIR"] = stateDir + "/tmp"
        try FileManager.default.createDirectory(atPath: stateDir + "/tmp", withIntermediateDirectories: true)
        let fd = open(stateDir + "/gateway.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StressError("cannot open \(stateDir)/gateway.log: errno \(errno)") }
        let log = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        defer { try? log.close() }
        let process: SpawnedProcess
        do {
            process = try await SpawnedProcess.start(
                executable, ["gateway", "run", "--allow-unconfigured", "--port", String(port), "--token", token],
                environment: environment, output: .file(log), error: .file(log)
            )
        } catch {
            throw StressError("cannot start \(executable): \(error)")
        }
        let gateway = SpawnedGateway(process: process, port: port, token: token, stateDir: stateDir)
        ChildRegistry.shared.add(gateway)
        return gateway
    }

    /// `kill -9`, then waits for the exit.
    func killHard() async {
        process.signal(SIGKILL)
        await process.exited()
    }

    /// SIGTERM, SIGKILL after `grace`; returns whether it ended on its own.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Bool {
        guard isRunning else { return true }
        return await process.stop(grace: grace) != .signaled(SIGKILL)
    }

    /// Connects an operator client, retrying while the gateway is still starting (up to `timeout`).
    func connect(timeout: Duration = .seconds(60), configure: (inout GatewayClientOptions) -> Void = { _ in }) async throws -> GatewayClient {
        var options = GatewayClientOptions(url: url, token: token)
        // A local backend client holding the shared secret keeps its scopes without a device (upstream's trust path).
        options.clientId = .gatewayClient
        options.clientMode = .backend
        options.displayName = "gateway-stress"
        options.scopes = ["operator.admin", "operator.read", "operator.write", "operator.pairing"]
        options.requestTimeoutMs = 60_000
        configure(&options)
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                return try await GatewayClient.connect(options, logger: StressLog.quiet)
            } catch {
                guard isRunning else { throw StressError("gateway (pid \(pid)) exited while starting:\n\(logTail())") }
                guard case .unreachable = error, ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Resident memory in KiB and open descriptors, from `/proc/<pid>`.
    func resources() -> (rssKiB: Int, fds: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kiB = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) }),
            let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return (kiB, fds.count)
    }

    /// The last lines of the gateway's output, for error messages.
    func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
