// Tests/RuntimeTests/ServiceUnitTests.swift - service names per profile, systemd unit and launchd plist content

import Foundation
import Testing

@testable import Runtime

@Suite("Service definitions")
struct ServiceUnitTests {
    private func definition(
        profile: String? = nil, token: String? = nil, manager: ServiceDefinition.Manager = .systemd, executable: String = "/opt/openclaw/bin/openclaw"
    ) -> ServiceDefinition {
        ServiceDefinition.gateway(
            .init(
                identity: ServiceIdentity(profile: profile, home: "/home/ada"),
                paths: StatePaths(stateDir: "/home/ada/.openclaw", configPath: "/home/ada/.openclaw/openclaw.json"),
                port: 18789, executable: executable, version: "2026.11.25", token: token, manager: manager
            )
        )
    }

    @Test(arguments: [
        (nil as String?, "openclaw-gateway.service", "ai.openclaw.gateway", "OpenClaw Gateway (v1.2)"),
        ("default", "openclaw-gateway.service", "ai.openclaw.gateway", "OpenClaw Gateway (v1.2)"),
        ("dev", "openclaw-gateway-dev.service", "ai.openclaw.dev", "OpenClaw Gateway (profile: dev, v1.2)"),
        ("work", "openclaw-gateway-work.service", "ai.openclaw.work", "OpenClaw Gateway (profile: work, v1.2)"),
    ])
    func namesPerProfile(_ profile: String?, _ unit: String, _ label: String, _ description: String) {
        let identity = ServiceIdentity(profile: profile, home: "/home/ada")
        #expect(identity.systemdUnitName == unit)
        #expect(identity.launchdLabel == label)
        #expect(identity.systemdUnitPath() == "/home/ada/.config/systemd/user/\(unit)")
        #expect(identity.systemdUnitPath(system: true) == "/etc/systemd/system/\(unit)")
        #expect(identity.launchdPlistPath == "/home/ada/Library/LaunchAgents/\(label).plist")
        #expect(identity.description(version: "1.2") == description)
        #expect(ServiceIdentity(profile: nil, home: "/h").description(version: nil) == "OpenClaw Gateway")
    }

    /// `--dev` / `--profile` resolve the service names through the environment they fill, never overriding what is set.
    @Test func profileFlagsResolveServiceNames() throws {
        let (_, dev) = try ProfileArguments.apply(arguments: ["--dev", "gateway", "install"], environment: ["HOME": "/h"])
        let identity = ServiceIdentity.resolve(environment: dev)
        #expect(identity.systemdUnitName == "openclaw-gateway-dev.service")
        #expect(identity.launchdLabel == "ai.openclaw.dev")
        #expect(StatePaths.resolve(environment: dev) == StatePaths(stateDir: "/h/.openclaw-dev", configPath: "/h/.openclaw-dev/openclaw.json"))
        #expect(dev["OPENCLAW_GATEWAY_PORT"] == "19001")

        let (_, work) = try ProfileArguments.apply(
            arguments: ["--profile", "work", "gateway"], environment: ["HOME": "/h", "OPENCLAW_STATE_DIR": "/srv/claw"])
        #expect(ServiceIdentity.resolve(environment: work).systemdUnitName == "openclaw-gateway-work.service")
        #expect(StatePaths.resolve(environment: work) == StatePaths(stateDir: "/srv/claw", configPath: "/srv/claw/openclaw.json"))

        let (_, none) = try ProfileArguments.apply(arguments: ["gateway"], environment: ["HOME": "/h"])
        #expect(ServiceIdentity.resolve(environment: none).systemdUnitName == "openclaw-gateway.service")
    }

    @Test func systemdUnitMatchesUpstreamTemplate() {
        let unit = SystemdUnit.render(definition())
        #expect(
            unit == """
                [Unit]
                Description=OpenClaw Gateway (v2026.11.25)
                After=network-online.target
                Wants=network-online.target

                [Service]
                ExecStart=/opt/openclaw/bin/openclaw gateway --port 18789
                Restart=always
                RestartSec=5
                KillMode=process
                WorkingDirectory=/home/ada/.openclaw
                Environment=HOME=/home/ada
                Environment=PATH=/home/ada/.local/bin:/home/ada/bin:/usr/local/bin:/usr/bin:/bin
                Environment=OPENCLAW_STATE_DIR=/home/ada/.openclaw
                Environment=OPENCLAW_CONFIG_PATH=/home/ada/.openclaw/openclaw.json
                Environment=OPENCLAW_GATEWAY_PORT=18789
                Environment=OPENCLAW_SYSTEMD_UNIT=openclaw-gateway.service
                Environment=OPENCLAW_SERVICE_MARKER=openclaw
                Environment=OPENCLAW_SERVICE_KIND=gateway
                Environment=OPENCLAW_SERVICE_VERSION=2026.11.25

                [Install]
                WantedBy=default.target

                """
        )
    }

    @Test func tokenOnlyWhenGivenAndProfileInEnvironment() {
        #expect(!SystemdUnit.render(definition()).contains("OPENCLAW_GATEWAY_TOKEN"))
        let parsed = SystemdUnit.parse(SystemdUnit.render(definition(profile: "work", token: "s3cret")))
        #expect(parsed.environment["OPENCLAW_GATEWAY_TOKEN"] == "s3cret")
        #expect(parsed.environment["OPENCLAW_PROFILE"] == "work")
        #expect(parsed.environment["OPENCLAW_SYSTEMD_UNIT"] == "openclaw-gateway-work.service")
        #expect(parsed.description == "OpenClaw Gateway (profile: work, v2026.11.25)")
    }

    @Test func argumentsAreQuotedOnlyWhenNeededAndReadBack() {
        let odd = definition(executable: #"/opt/my apps/open"claw\bin/100%/openclaw"#)
        let unit = SystemdUnit.render(odd)
        #expect(unit.contains(#"ExecStart="/opt/my apps/open\"claw\\bin/100%%/openclaw" gateway --port 18789"#), "\(unit)")
        let parsed = SystemdUnit.parse(unit)
        #expect(parsed.execStart == odd.programArguments)
        #expect(parsed.workingDirectory == "/home/ada/.openclaw")
        #expect(parsed.port == 18789)
        #expect(parsed.sections["Service"]?["Restart"] == "always")
        #expect(parsed.sections["Install"]?["WantedBy"] == "default.target")
        #expect(SystemdUnit.parse(#"Environment="A=b c" D=e"#).environment.isEmpty, "outside [Service] nothing is read")
        #expect(SystemdUnit.parse("[Service]\nEnvironment=\"A=b c\" D=e\nExecStart=/x \\\n  --y").environment == ["A": "b c", "D": "e"])
        #expect(SystemdUnit.parse("[Service]\nExecStart=/x \\\n  --y").execStart == ["/x", "--y"])
    }

    @Test func launchdPlistHasUpstreamKeysAndParses() throws {
        let definition = definition(profile: "work", manager: .launchd)
        let text = LaunchdPlist.render(definition, label: "ai.openclaw.work", logs: LaunchdPlist.logPaths(stateDir: "/home/ada/.openclaw"))
        let object = try #require(try PropertyListSerialization.propertyList(from: Data(text.utf8), options: [], format: nil) as? [String: Any])
        #expect(object["Label"] as? String == "ai.openclaw.work")
        #expect(object["RunAtLoad"] as? Bool == true)
        #expect(object["KeepAlive"] as? Bool == true)
        #expect(object["ExitTimeOut"] as? Int == 15)
        #expect(object["ProgramArguments"] as? [String] == ["/opt/openclaw/bin/openclaw", "gateway", "--port", "18789"])
        #expect(object["WorkingDirectory"] as? String == "/home/ada/.openclaw")
        #expect(object["StandardOutPath"] as? String == "/home/ada/.openclaw/logs/gateway.log")
        #expect(object["StandardErrorPath"] as? String == "/home/ada/.openclaw/logs/gateway.err.log")
        let environment = try #require(object["EnvironmentVariables"] as? [String: String])
        #expect(environment["OPENCLAW_LAUNCHD_LABEL"] == "ai.openclaw.work")
        #expect(environment["OPENCLAW_SYSTEMD_UNIT"] == nil)
        #expect(environment["OPENCLAW_SERVICE_MARKER"] == "openclaw")
        #expect(environment["OPENCLAW_GATEWAY_TOKEN"] == nil)
        let parsed = try #require(LaunchdPlist.parse(Data(text.utf8)))
        #expect(parsed.environment == environment)
        #expect(LaunchdPlist.logPaths(stateDir: "/s", environment: ["OPENCLAW_LOG_PREFIX": "gw"]).stdout == "/s/logs/gw.log")
        #expect(LaunchdPlist.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
    }

    /// `systemd-analyze verify` accepts the unit (skipped where the tool is missing).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func systemdAnalyzeVerifiesTheUnit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-unit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let unit = SystemdUnit.render(definition(profile: "verify", executable: "/bin/sh"))
        let path = directory + "/openclaw-gateway-verify.service"
        try unit.write(toFile: path, atomically: true, encoding: .utf8)
        let verify = try #require(await ProgramRun.run("/usr/bin/systemd-analyze", ["verify", "--man=no", path], includeErrors: true))
        let output = verify.output
        let unitLines = output.split(separator: "\n").filter { $0.contains("openclaw-gateway-verify.service") }
        #expect(verify.status == 0, "\(output)")
        #expect(unitLines.isEmpty, "\(output)")
    }
}
