// Tests/CLITests/ServiceCommandTests.swift - `gateway install|uninstall|start|stop|restart` against a stand-in systemctl

import Foundation
import Runtime
import Testing

/// A `systemctl` stand-in (via `OPENCLAW_SYSTEMCTL`): either records its arguments, or answers like a machine whose
/// init is not systemd.
private struct FakeSystemctl {
    let path: String
    let log: String

    init(_ sandbox: Sandbox, available: Bool) throws {
        path = sandbox.home + "/fake-systemctl"
        log = sandbox.home + "/systemctl.log"
        let body =
            available
            ? "echo \"$@\" >> '\(log)'\nexit 0\n"
            : "echo \"System has not been booted with systemd as init system (PID 1). Can't operate.\" >&2\necho 'Failed to connect to bus: Host is down' >&2\nexit 1\n"
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    var calls: [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
}

@Suite("service commands", .serialized)
struct ServiceCommandTests {
    private func run(_ arguments: [String], _ sandbox: Sandbox, _ env: [String: String]) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: sandbox.environment(env))
        let status = await process.wait()
        return (status, process.text)
    }

    private func unit(_ sandbox: Sandbox, _ name: String = "openclaw-gateway.service") -> String? {
        try? String(contentsOfFile: sandbox.home + "/.config/systemd/user/" + name, encoding: .utf8)
    }

    @Test func installWritesTheUserUnitAndSaysHowToEnableItWithoutSystemd() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(#"{gateway: {mode: "local", auth: {token: "token-from-config"}}}"#)
        let fake = try FakeSystemctl(sandbox, available: false)
        let (status, text) = try await run(["gateway", "install"], sandbox, ["OPENCLAW_SYSTEMCTL": fake.path])
        #expect(status == ServiceInstaller.unavailableExitCode, "\(text)")
        #expect(text.contains("Installed systemd user unit: \(sandbox.home)/.config/systemd/user/openclaw-gateway.service"), "\(text)")
        #expect(
            text.contains("Could not enable openclaw-gateway.service: the service manager is not reachable (System has not been booted with systemd"), "\(text)"
        )
        #expect(text.contains("  systemctl --user enable --now openclaw-gateway.service"))
        #expect(text.contains("  sudo loginctl enable-linger "))

        let content = try #require(unit(sandbox))
        #expect(!content.contains("token-from-config"), "a secret from config is never copied into the unit")
        let parsed = SystemdUnit.parse(content)
        let binary = OpenClawProcess.binary.resolvingSymlinksInPath().path
        #expect(parsed.execStart == [binary, "gateway", "--port", "18789"])
        #expect(parsed.workingDirectory == sandbox.stateDir)
        #expect(parsed.description == "OpenClaw Gateway (v\(GatewayVersion.current))")
        #expect(parsed.sections["Service"]?["Restart"] == "always")
        #expect(parsed.sections["Service"]?["RestartSec"] == "5")
        #expect(parsed.sections["Service"]?["KillMode"] == "process")
        #expect(parsed.sections["Unit"]?["After"] == "network-online.target")
        #expect(parsed.sections["Unit"]?["Wants"] == "network-online.target")
        #expect(parsed.sections["Install"]?["WantedBy"] == "default.target")
        #expect(parsed.environment["HOME"] == sandbox.home)
        #expect(parsed.environment["OPENCLAW_STATE_DIR"] == sandbox.stateDir)
        #expect(parsed.environment["OPENCLAW_CONFIG_PATH"] == sandbox.configPath)
        #expect(parsed.environment["OPENCLAW_GATEWAY_PORT"] == "18789")
        #expect(parsed.environment["OPENCLAW_SYSTEMD_UNIT"] == "openclaw-gateway.service")
        #expect(parsed.environment["OPENCLAW_SERVICE_MARKER"] == "openclaw")
        #expect(parsed.environment["OPENCLAW_SERVICE_KIND"] == "gateway")
        #expect(parsed.environment["OPENCLAW_SERVICE_VERSION"] == GatewayVersion.current)
        #expect(parsed.environment["OPENCLAW_PROFILE"] == nil)
        #expect(parsed.environment["OPENCLAW_GATEWAY_TOKEN"] == nil)

        // systemd's own verifier has nothing to say about the installed unit (where the tool exists).
        let analyze = "/usr/bin/systemd-analyze"
        if FileManager.default.isExecutableFile(atPath: analyze) {
            let unitPath = sandbox.home + "/.config/systemd/user/openclaw-gateway.service"
            let verify = try #require(await ProgramRun.run(analyze, ["verify", "--man=no", unitPath], includeErrors: true))
            let output = verify.output
            #expect(verify.status == 0, "\(output)")
            #expect(!output.contains(unitPath), "\(output)")
        }
    }

    /// On a machine whose init is not systemd, the real check (no stand-in) reports it the same way.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/system")))
    func theRealSystemdCheckReportsNoInit() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (status, text) = try await run(["gateway", "install"], sandbox, [:])
        #expect(status == 3, "\(text)")
        #expect(text.contains("systemd is not the init system here: /run/systemd/system is missing"), "\(text)")
        #expect(unit(sandbox) != nil)
    }

    @Test func installEnablesThroughSystemctlAndReportsJSON() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fake = try FakeSystemctl(sandbox, available: true)
        let (status, text) = try await run(["gateway", "install", "--json", "--token", "explicit token"], sandbox, ["OPENCLAW_SYSTEMCTL": fake.path])
        #expect(status == 0, "\(text)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == true)
        #expect(report["enabled"] as? Bool == true)
        #expect(report["file"] as? String == "created")
        #expect(report["unit"] as? String == "openclaw-gateway.service")
        #expect(report["port"] as? Int == 18789)
        #expect(fake.calls == ["--user daemon-reload", "--user enable --now openclaw-gateway.service"])
        let content = try #require(unit(sandbox))
        #expect(content.contains(#"Environment="OPENCLAW_GATEWAY_TOKEN=explicit token""#), "\(content)")
        let mode = try FileManager.default.attributesOfItem(atPath: sandbox.home + "/.config/systemd/user/openclaw-gateway.service")[.posixPermissions] as? Int
        #expect(mode == 0o600, "a unit carrying a token is private")
    }

    @Test func aDifferingUnitIsKeptWithoutForce() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fake = try FakeSystemctl(sandbox, available: true)
        let env = ["OPENCLAW_SYSTEMCTL": fake.path]
        #expect(try await run(["gateway", "install"], sandbox, env).status == 0)
        let first = try #require(unit(sandbox))
        let refused = try await run(["gateway", "install", "--port", "18999"], sandbox, env)
        #expect(refused.status == 1)
        #expect(
            refused.text.contains("Service definition already exists and differs: \(sandbox.home)/.config/systemd/user/openclaw-gateway.service"),
            "\(refused.text)")
        #expect(refused.text.contains("openclaw gateway install --force"))
        #expect(unit(sandbox) == first)
        let forced = try await run(["gateway", "install", "--port", "18999", "--force"], sandbox, env)
        #expect(forced.status == 0, "\(forced.text)")
        #expect(SystemdUnit.parse(try #require(unit(sandbox))).port == 18999)
        #expect(fake.calls.suffix(3) == ["--user daemon-reload", "--user enable --now openclaw-gateway.service", "--user restart openclaw-gateway.service"])
        let again = try await run(["gateway", "install", "--port", "18999"], sandbox, env)
        #expect(again.status == 0)
        #expect(again.text.contains("Service file unchanged"))
        let invalid = try await run(["gateway", "install", "--port", "nope"], sandbox, env)
        #expect(invalid.status == 1)
        #expect(invalid.text.contains("Invalid port"))
    }

    @Test func profilesGetTheirOwnUnitsAndDevUsesPort19001() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fake = try FakeSystemctl(sandbox, available: true)
        let env = ["OPENCLAW_SYSTEMCTL": fake.path]
        #expect(try await run(["--dev", "gateway", "install"], sandbox, env).status == 0)
        #expect(try await run(["--profile", "work", "gateway", "install"], sandbox, env).status == 0)
        let dev = SystemdUnit.parse(try #require(unit(sandbox, "openclaw-gateway-dev.service")))
        #expect(dev.port == 19001)
        #expect(dev.environment["OPENCLAW_PROFILE"] == "dev")
        #expect(dev.environment["OPENCLAW_STATE_DIR"] == sandbox.home + "/.openclaw-dev")
        #expect(dev.environment["OPENCLAW_CONFIG_PATH"] == sandbox.home + "/.openclaw-dev/openclaw.json")
        #expect(dev.environment["OPENCLAW_SYSTEMD_UNIT"] == "openclaw-gateway-dev.service")
        #expect(dev.description == "OpenClaw Gateway (profile: dev, v\(GatewayVersion.current))")
        let work = SystemdUnit.parse(try #require(unit(sandbox, "openclaw-gateway-work.service")))
        #expect(work.port == 18789)
        #expect(work.environment["OPENCLAW_STATE_DIR"] == sandbox.home + "/.openclaw-work")
        #expect(fake.calls.contains("--user enable --now openclaw-gateway-work.service"))

        // Environment already set wins over the profile's defaults.
        let preset = ["OPENCLAW_SYSTEMCTL": fake.path, "OPENCLAW_GATEWAY_PORT": "18555", "OPENCLAW_STATE_DIR": sandbox.home + "/elsewhere"]
        #expect(try await run(["--dev", "gateway", "install", "--force"], sandbox, preset).status == 0)
        let kept = SystemdUnit.parse(try #require(unit(sandbox, "openclaw-gateway-dev.service")))
        #expect(kept.port == 18555)
        #expect(kept.environment["OPENCLAW_CONFIG_PATH"] == sandbox.home + "/elsewhere/openclaw.json")
    }

    @Test func startRestartAndInstallRefuseAnInvalidConfig() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fake = try FakeSystemctl(sandbox, available: true)
        let env = ["OPENCLAW_SYSTEMCTL": fake.path]
        #expect(try await run(["gateway", "install"], sandbox, env).status == 0)
        try sandbox.writeConfig(#"{gateway: {mode: "local"}, bogus: 1}"#)
        for action in ["start", "restart"] {
            let (status, text) = try await run(["gateway", action], sandbox, env)
            #expect(status == 1, "\(text)")
            #expect(text.contains("Gateway aborted: config is invalid.\n<root>: unexpected property 'bogus'\n"), "\(text)")
        }
        let install = try await run(["gateway", "install", "--force"], sandbox, env)
        #expect(install.status == 1)
        #expect(install.text.contains("Gateway install aborted: config is invalid."))
        #expect(!fake.calls.contains { $0.contains("start") && !$0.contains("enable") }, "the service was left alone: \(fake.calls)")
    }

    @Test func lifecycleGoesThroughSystemctl() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fake = try FakeSystemctl(sandbox, available: true)
        let env = ["OPENCLAW_SYSTEMCTL": fake.path]
        let notInstalled = try await run(["gateway", "start"], sandbox, env)
        #expect(notInstalled.status == 1)
        #expect(notInstalled.text.contains("Gateway service not installed"))
        #expect(try await run(["gateway", "install"], sandbox, env).status == 0)
        for action in ["start", "stop", "restart"] {
            let (status, text) = try await run(["gateway", action, "--json"], sandbox, env)
            #expect(status == 0, "\(text)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(report["action"] as? String == action)
            #expect(report["ok"] as? Bool == true)
        }
        let uninstall = try await run(["gateway", "uninstall"], sandbox, env)
        #expect(uninstall.status == 0, "\(uninstall.text)")
        #expect(unit(sandbox) == nil)
        #expect(
            fake.calls == [
                "--user daemon-reload", "--user enable --now openclaw-gateway.service", "--user start openclaw-gateway.service",
                "--user stop openclaw-gateway.service", "--user restart openclaw-gateway.service", "--user disable --now openclaw-gateway.service",
                "--user daemon-reload",
            ]
        )
        let again = try await run(["gateway", "uninstall"], sandbox, env)
        #expect(again.status == 0)
        #expect(again.text.contains("Gateway service not installed"))
    }

    @Test func lifecycleWithoutSystemdExitsThreeWithTheCommandToRun() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fake = try FakeSystemctl(sandbox, available: false)
        let env = ["OPENCLAW_SYSTEMCTL": fake.path, "TMPDIR": sandbox.home]
        #expect(try await run(["gateway", "install"], sandbox, env).status == 3)
        for action in ["start", "restart"] {
            let (status, text) = try await run(["gateway", action], sandbox, env)
            #expect(status == 3, "\(text)")
            #expect(text.contains("systemctl --user \(action) openclaw-gateway.service"), "\(text)")
        }
        let stop = try await run(["gateway", "stop", "--json"], sandbox, env)
        #expect(stop.status == 3, "nothing supervised and nothing running: \(stop.text)")
        let uninstall = try await run(["gateway", "uninstall"], sandbox, env)
        #expect(uninstall.status == 0, "\(uninstall.text)")
        #expect(unit(sandbox) == nil)
    }

    /// Without a supervisor, `stop` sends SIGTERM to the gateway holding this config path's lock.
    @Test func stopSignalsAnUnsupervisedGateway() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(#"{gateway: {mode: "local", auth: {token: "t"}}}"#)
        let port = Sandbox.freePort()
        let env = ["TMPDIR": sandbox.home, "OPENCLAW_GATEWAY_PORT": String(port)]
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment(env))
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        let lockPath = GatewayLock.path(configPath: sandbox.configPath, environment: env)
        #expect(GatewayLock.readOwner(at: lockPath)?.pid == gateway.pid)

        let (status, text) = try await run(["gateway", "stop", "--json"], sandbox, env)
        #expect(status == 0, "\(text)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(report["signalled"] as? Int == Int(gateway.pid))
        #expect(report["stopped"] as? Bool == true)
        #expect(await gateway.wait() == 0)
        #expect(gateway.text.contains("received SIGTERM; shutting down"))
        #expect(!FileManager.default.fileExists(atPath: lockPath), "the lock is released on SIGTERM shutdown")
    }
}
