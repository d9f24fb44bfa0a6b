// Sources/gateway-stress/SpawnedGateway.swift - an `openclaw gateway run` child: posix_spawn, wait, kill, /proc figures

import Foundation
import Runtime
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One gateway process started with `posix_spawn` (Foundation's `Process` crashes intermittently on this
/// toolchain, and `ChildProcess` is going away). Its output goes to `gateway.log` in the state dir; a thread
/// blocked in `waitpid` records the exit, so `kill -9` and a normal stop are both observed, never polled.
final class SpawnedGateway: Sendable {
    let pid: pid_t
    let port: Int
    let token: String
    let stateDir: String
    var url: String { "ws://127.0.0.1:\(port)" }
    var logPath: String { stateDir + "/gateway.log" }

    private let exit = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    private init(pid: pid_t, port: Int, token: String, stateDir: String) {
        self.pid = pid
        self.port = port
        self.token = token
        self.stateDir = stateDir
    }

    /// Starts `<executable> gateway run --allow-unconfigured --port PORT --token TOKEN` with `stateDir` as its
    /// `HOME` and `OPENCLAW_STATE_DIR` (so its config is `<stateDir>/openclaw.json`) and no other OpenClaw settings.
    static func launch(executable: String, stateDir: String, port: Int, token: String) throws -> SpawnedGateway {
        let arguments = [executable, "gateway", "run", "--allow-unconfigured", "--port", String(port), "--token", token]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OPENCLAW_") && !$0.key.hasPrefix("CLAWDBOT_") }
        environment["HOME"] = stateDir
        environment["OPENCLAW_STATE_DIR"] = stateDir
        // Each gateway's lock lives under its own TMPDIR, so a killed gateway's lock is reclaimed by its successor
        // and never confused with a developer's own gateway.
        environment["TMPDIR"] = stateDir + "/tmp"
        try FileManager.default.createDirectory(atPath: stateDir + "/tmp", withIntermediateDirectories: true)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stateDir + "/gateway.log", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw StressError("cannot start \(executable): \(String(cString: strerror(result)))") }
        let gateway = SpawnedGateway(pid: pid, port: port, token: token, stateDir: stateDir)
        ChildRegistry.shared.add(gateway)
        let child = pid
        let reaper = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            gateway.exited(status)
        }
        reaper.name = "gateway-reaper-\(pid)"
        reaper.start()
        return gateway
    }

    /// The raw wait status once the process has ended.
    var waitStatus: Int32? { exit.withLock { $0.status } }
    var isRunning: Bool { waitStatus == nil }

    /// Waits until the process has ended; returns the raw wait status.
    @discardableResult
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = exit.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// `kill -9`, then waits for the exit.
    func killHard() async {
        if isRunning { kill(pid, SIGKILL) }
        await waitForExit()
    }

    /// SIGTERM, SIGKILL after `grace`; returns whether it ended on its own.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Bool {
        guard isRunning else { return true }
        kill(pid, SIGTERM)
        let killer = Task {
            try await Task.sleep(for: grace)
            kill(pid, SIGKILL)
        }
        let status = await waitForExit()
        killer.cancel()
        return !(status & 0x7F != 0 && status & 0x7F == SIGKILL)
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

    private func exited(_ status: Int32) {
        ChildRegistry.shared.remove(pid)
        let waiters = exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
            state.status = status
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }
}
