// Sources/Runtime/Server/GatewayRunner.swift - `gateway run`'s loop: serve, reload config, restart (ops.md §4.4)

import Foundation
import Generated
import Logging
import Synchronization
import UnixSignals

/// Runs the CLI's gateway with its config reloader, and restarts it when asked (a restart-class config change,
/// `config.apply`, SIGUSR1): drain, `shutdown {reason:"gateway restarting"}`, 1012 closes, listeners stop, lock
/// released; then exit 0 when a supervisor (systemd/launchd) will start us again, else restart in process:
/// settings are resolved again from the new config and a new gateway binds (possibly on a new port).
/// Upstream (REF) spawned a detached child with the same argv when unsupervised; we always restart in
/// process there (its `OPENCLAW_NO_RESPAWN` behaviour), which keeps the PID and the terminal.
public struct GatewayRunner: Sendable {
    let request: GatewayRunRequest
    let logger: Logger
    let logOptions: LogOptions
    /// `--force`: free the port before the first start.
    let force: Bool

    public init(request: GatewayRunRequest, logger: Logger, logOptions: LogOptions, force: Bool) {
        self.request = request
        self.logger = logger
        self.logOptions = logOptions
        self.force = force
    }

    /// Serves until a stop (SIGTERM/SIGINT) or a supervised restart. Throws `StartupRefusal` when the first start fails.
    public func run() async throws {
        let current = Mutex<Gateway?>(nil)
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigusr1) {
                logger.info("signal SIGUSR1 received")
                logger.info("received SIGUSR1; restarting")
                if let gateway = current.withLock({ $0 }) {
                    gateway.hub.restart.request(RestartController.Request(reason: "SIGUSR1"))
                } else {
                    wake.yield()
                }
            }
        }
        defer { signals.cancel() }
        var wakeIterator = wakeups.makeAsyncIterator()
        var first = true
        while true {
            let settings: GatewaySettings
            do {
                settings = try GatewayStartup(request: request, logger: logger).prepare()
            } catch {
                if first { throw error }
                // Upstream keeps the process alive after a failed in-process restart; SIGUSR1 retries.
                logger.error("gateway startup failed: \(error.description). Process will stay alive; fix the issue and restart.")
                guard await wakeIterator.next() != nil else { return }
                continue
            }
            GatewayLogging.hide(settings.auth)
            if first && force {
                do {
                    for host in settings.hosts { try await PortGuard.free(port: settings.port.value, host: host, logger: logger) }
                } catch {
                    throw StartupRefusal(["Force: \(error)"])
                }
            }
            let gateway = Gateway(settings: settings, logger: logger)
            current.withLock { $0 = gateway }
            let restarting = Mutex(false)
            let restarter = Task {
                for await request in gateway.hub.restart.requests {
                    if request.delayMs > 0 { try? await Task.sleep(for: .milliseconds(request.delayMs)) }
                    if !request.paths.isEmpty {
                        logger.info("[reload] config change requires gateway restart (\(request.paths.joined(separator: ", ")))")
                    }
                    restarting.withLock { $0 = true }
                    gateway.hub.restart.beginDraining()
                    await gateway.hub.stopRuns()
                    gateway.hub.shutdown(reason: "gateway restarting", restartExpectedMs: 1500)
                    await gateway.stop()
                    return
                }
            }
            let configReloader = ConfigReloader(hub: gateway.hub, logOptions: logOptions, environment: request.environment)
            let reloader = Task {
                _ = await gateway.waitUntilListening()
                await configReloader.run()
            }
            do {
                try await gateway.run(handleSignals: true, lock: true)
            } catch let error as StartupRefusal {
                configReloader.stop()
                reloader.cancel()
                restarter.cancel()
                current.withLock { $0 = nil }
                if first { throw error }
                logger.error("gateway startup failed: \(error.description). Process will stay alive; fix the issue and restart.")
                guard await wakeIterator.next() != nil else { return }
                continue
            }
            configReloader.stop()
            reloader.cancel()
            restarter.cancel()
            await reloader.value
            current.withLock { $0 = nil }
            guard restarting.withLock({ $0 }) else { return }
            if let supervisor = Self.supervisor(request.environment) {
                logger.info("restart mode: full process restart (supervisor restart)", metadata: ["supervisor": "\(supervisor)"])
                return
            }
            logger.info("restart mode: in-process restart")
            first = false
        }
    }

    /// The supervisor this process runs under, from its environment markers (upstream's detection).
    public static func supervisor(_ environment: [String: String]) -> String? {
        func set(_ key: String) -> Bool { !(environment[key] ?? "").isEmpty }
        if set("LAUNCH_JOB_LABEL") || set("LAUNCH_JOB_NAME") || set(EnvironmentVariable.launchdLabel) { return "launchd" }
        if let xpc = environment["XPC_SERVICE_NAME"], !xpc.isEmpty, xpc != "0" { return "launchd" }
        if [EnvironmentVariable.systemdUnit, "INVOCATION_ID", "SYSTEMD_EXEC_PID", "JOURNAL_STREAM"].contains(where: set) { return "systemd" }
        return nil
    }
}
