// Sources/openclaw/ServiceCommands.swift - `openclaw gateway install|uninstall|start|stop|restart`

import ArgumentParser
import Foundation
import Generated
import Runtime

/// Exit codes: 0 done; 1 refused or failed (invalid config, differing unit without --force, not installed, manager
/// error); 3 (`ServiceInstaller.unavailableExitCode`) the service manager cannot be reached (systemd not init, no user
/// bus) — `install` has still written the unit and prints how to enable it.
extension GatewayCommand {
    struct Install: CLICommand {
        static let configuration = ServiceInstallOptions.configuration()

        @OptionGroup var options: ServiceInstallOptions

        func execute() async throws {
            let environment = CLIEnvironment.current
            var report = ServiceReport(action: "install", json: options.json)
            let plan: ServiceInstaller.Plan
            do {
                plan = try ServiceInstaller.plan(.init(environment: environment, port: options.port, token: options.token, system: options.system))
            } catch {
                report.fail(error.lines)
                throw report.finish(status: 1)
            }
            report.describe(plan)
            if !plan.configExists {
                report.say("Note: no config at \(plan.paths.configPath) yet; the service will not start until `openclaw setup` writes one.")
            }
            let written: ServiceInstaller.WriteResult
            do {
                written = try ServiceInstaller.write(plan, force: options.force)
            } catch {
                report.fail(error.lines)
                throw report.finish(status: 1)
            }
            report.fields["file"] = written.rawValue
            report.say(written == .unchanged ? "Service file unchanged: \(plan.path)" : "Installed \(plan.kind.fileKind): \(plan.path)")
            let manager = ServiceManager(kind: plan.kind, identity: plan.identity, environment: environment)
            var outcome = await manager.enableAndStart()
            // A replaced definition only takes effect on a restart of the running service.
            if written == .replaced, case .done = outcome { outcome = await manager.restart() }
            let done = "Enabled and \(written == .replaced ? "restarted" : "started") \(manager.unitLabel)."
            throw report.conclude(outcome, verb: "enable", done: done, hints: manager.enableHints(environment))
        }
    }

    struct Uninstall: CLICommand {
        static let configuration = ServiceUninstallOptions.configuration()

        @OptionGroup var options: ServiceUninstallOptions

        func execute() async throws {
            let environment = CLIEnvironment.current
            var report = ServiceReport(action: "uninstall", json: options.json)
            let manager = ServiceManager.platformDefault(system: options.system, identity: .resolve(environment: environment), environment: environment)
            let path = manager.definitionPath
            report.fields["path"] = path
            report.fields["unit"] = manager.unitLabel
            guard FileManager.default.fileExists(atPath: path) else {
                report.fields["removed"] = false
                report.say("Gateway service not installed (\(path) missing).")
                throw report.finish(status: 0)
            }
            let disabled = await manager.disableAndStop()
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                report.fail(["Could not remove \(path): \(error.localizedDescription)"])
                throw report.finish(status: 1)
            }
            report.fields["removed"] = true
            report.say("Removed \(path)")
            if case .done = disabled { _ = await manager.reload() }
            switch disabled {
            case .done: report.say("Stopped and disabled \(manager.unitLabel).")
            case .unavailable(let reason): report.say("Service manager not reachable (\(reason)); nothing to disable.")
            case .failed(let command, _, let output): report.say("Note: `\(command)` failed: \(output)")
            }
            throw report.finish(status: 0)
        }
    }

    struct Start: CLICommand {
        static let configuration = ServiceStartOptions.configuration()

        @OptionGroup var options: ServiceStartOptions

        func execute() async throws {
            try await ServiceLifecycle(action: "start", json: options.json, system: options.system).perform { await $0.start() }
        }
    }

    struct Restart: CLICommand {
        static let configuration = ServiceRestartOptions.configuration()

        @OptionGroup var options: ServiceRestartOptions

        func execute() async throws {
            try await ServiceLifecycle(action: "restart", json: options.json, system: options.system).perform { await $0.restart() }
        }
    }

    struct Stop: CLICommand {
        static let configuration = ServiceStopOptions.configuration()

        @OptionGroup var options: ServiceStopOptions

        func execute() async throws {
            let environment = CLIEnvironment.current
            var report = ServiceReport(action: "stop", json: options.json)
            let manager = ServiceManager.platformDefault(system: options.system, identity: .resolve(environment: environment), environment: environment)
            let installed = FileManager.default.fileExists(atPath: manager.definitionPath)
            report.fields["path"] = manager.definitionPath
            report.fields["unit"] = manager.unitLabel
            report.fields["installed"] = installed
            var unavailable: String?
            if installed {
                let outcome = await manager.stop()
                switch outcome {
                case .done:
                    throw report.conclude(outcome, verb: "stop", done: "Stopped \(manager.unitLabel).", hints: [])
                case .failed:
                    throw report.conclude(outcome, verb: "stop", done: "", hints: [])
                case .unavailable(let reason):
                    unavailable = reason
                    report.say("Service manager not reachable: \(reason)")
                }
            }
            // No supervisor to ask: stop the gateway that holds this config path's lock, if any.
            let paths = StatePaths.resolve(environment: environment)
            let lockPath = GatewayLock.path(configPath: paths.configPath, environment: environment)
            if let owner = GatewayLock.readOwner(at: lockPath), !GatewayLock.isStale(path: lockPath, owner: owner) {
                kill(owner.pid, SIGTERM)
                let deadline = ContinuousClock.now + .seconds(10)
                while GatewayLock.isRunning(owner.pid) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                let stopped = !GatewayLock.isRunning(owner.pid)
                report.fields["signalled"] = Int(owner.pid)
                report.fields["stopped"] = stopped
                if stopped {
                    report.say("Stopped unsupervised gateway (pid \(owner.pid)) with SIGTERM.")
                    throw report.finish(status: 0)
                }
                report.fail(["Sent SIGTERM to gateway pid \(owner.pid), but it is still running."])
                throw report.finish(status: 1)
            }
            if let unavailable {
                report.fields["unavailable"] = unavailable
                report.say("No running gateway found for \(paths.configPath).")
                throw report.finish(status: ServiceInstaller.unavailableExitCode)
            }
            report.fields["stopped"] = false
            report.say(installed ? "" : "Gateway service not installed, and no running gateway found for \(paths.configPath).")
            throw report.finish(status: 0)
        }
    }
}

/// `start` and `restart`: config preflight, installed check, then the manager.
private struct ServiceLifecycle {
    let action: String
    let json: Bool
    let system: Bool

    func perform(_ body: (ServiceManager) async -> ServiceManager.Outcome) async throws {
        let environment = CLIEnvironment.current
        var report = ServiceReport(action: action, json: json)
        if let lines = ServiceInstaller.preflight(environment: environment) {
            report.fail(lines)
            throw report.finish(status: 1)
        }
        let manager = ServiceManager.platformDefault(system: system, identity: .resolve(environment: environment), environment: environment)
        report.fields["path"] = manager.definitionPath
        report.fields["unit"] = manager.unitLabel
        guard FileManager.default.fileExists(atPath: manager.definitionPath) else {
            report.fail(["Gateway service not installed (\(manager.definitionPath) missing).", "Install it with: openclaw gateway install"])
            throw report.finish(status: 1)
        }
        let verb = action == "start" ? "Started" : "Restarted"
        throw report.conclude(await body(manager), verb: action, done: "\(verb) \(manager.unitLabel).", hints: manager.actionHints(action, environment))
    }
}

/// Collects what a service command did and prints it: lines for a person, or one JSON object with `--json`.
private struct ServiceReport {
    var fields: [String: Any]
    var lines: [String] = []
    var errors: [String] = []
    let json: Bool

    init(action: String, json: Bool) {
        fields = ["action": action]
        self.json = json
    }

    mutating func say(_ line: String) { if !line.isEmpty { lines.append(line) } }
    mutating func fail(_ lines: [String]) { errors += lines }

    mutating func describe(_ plan: ServiceInstaller.Plan) {
        fields["manager"] = plan.kind.rawValue
        fields["path"] = plan.path
        fields["unit"] = plan.kind == .launchd ? plan.identity.launchdLabel : plan.identity.systemdUnitName
        fields["port"] = plan.port
        fields["configPath"] = plan.paths.configPath
        fields["stateDir"] = plan.paths.stateDir
        fields["programArguments"] = plan.definition.programArguments
    }

    /// Turns a manager outcome into lines and an exit status: 0 done, 3 unavailable (with hints), 1 failed.
    mutating func conclude(_ outcome: ServiceManager.Outcome, verb: String, done: String, hints: [String]) -> ExitCode {
        switch outcome {
        case .done:
            fields["enabled"] = true
            say(done)
            return finish(status: 0)
        case .unavailable(let reason):
            fields["enabled"] = false
            fields["unavailable"] = reason
            fields["hints"] = hints
            say("Could not \(verb) \(fields["unit"] as? String ?? "the gateway service"): the service manager is not reachable (\(reason)).")
            if !hints.isEmpty {
                say("To \(verb) it by hand, run:")
                lines += hints.map { "  \($0)" }
            }
            return finish(status: ServiceInstaller.unavailableExitCode)
        case .failed(let command, let status, let output):
            fields["enabled"] = false
            fail(["`\(command)` failed (exit \(status))" + (output.isEmpty ? "" : ": \(output)")])
            return finish(status: 1)
        }
    }

    /// Prints and returns the exit code to throw.
    mutating func finish(status: Int32) -> ExitCode {
        fields["ok"] = status == 0
        fields["exitCode"] = Int(status)
        if json {
            if !errors.isEmpty { fields["errors"] = errors }
            if !lines.isEmpty { fields["messages"] = lines }
            let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
            print(String(decoding: data, as: UTF8.self))
        } else {
            if !lines.isEmpty { print(lines.joined(separator: "\n")) }
            if !errors.isEmpty { FileHandle.standardError.write(Data((errors.joined(separator: "\n") + "\n").utf8)) }
        }
        return ExitCode(status)
    }
}

extension ServiceManager.Kind {
    /// What the installed file is, for messages.
    var fileKind: String {
        switch self {
        case .systemdUser: "systemd user unit"
        case .systemdSystem: "systemd system unit"
        case .launchd: "LaunchAgent"
        }
    }
}

extension ServiceManager {
    /// The unit or label, for messages.
    var unitLabel: String { kind == .launchd ? identity.launchdLabel : identity.systemdUnitName }

    /// How to enable the service by hand.
    func enableHints(_ environment: [String: String]) -> [String] {
        switch kind {
        case .launchd: return ["launchctl bootstrap gui/\(getuid()) \(identity.launchdPlistPath)"]
        case .systemdUser, .systemdSystem: return identity.enableHints(system: kind == .systemdSystem, user: Self.userName(environment))
        }
    }

    /// How to start or restart the service by hand.
    func actionHints(_ action: String, _ environment: [String: String]) -> [String] {
        switch kind {
        case .launchd: return ["launchctl kickstart -k gui/\(getuid())/\(identity.launchdLabel)"]
        case .systemdUser: return ["systemctl --user \(action) \(identity.systemdUnitName)"]
        case .systemdSystem: return ["sudo systemctl \(action) \(identity.systemdUnitName)"]
        }
    }

    static func userName(_ environment: [String: String]) -> String {
        environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? NSUserName()
    }
}
