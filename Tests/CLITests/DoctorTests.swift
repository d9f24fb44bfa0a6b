// Tests/CLITests/DoctorTests.swift - `openclaw doctor` finds planted problems and `--fix` repairs what it claims

import Foundation
import Generated
import Runtime
import TestSupport
import Testing

@Suite("doctor", .serialized)
struct DoctorTests {
    /// A sandbox with its own TMPDIR (for the lock file) and a port nothing listens on.
    private func environment(_ sandbox: Sandbox) throws -> [String: String] {
        try sandbox.isolatedEnvironment(port: Sandbox.freePort())
    }

    private func doctor(_ arguments: [String], _ environment: [String: String]) async throws -> (Int32, String) {
        let process = try await OpenClawProcess(["doctor"] + arguments, environment: environment)
        let status = await process.wait()
        return (status, process.text)
    }

    private func checks(_ json: String) throws -> [String: JSONValue] {
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        var byId: [String: JSONValue] = [:]
        for check in object["checks"]?.arrayValue ?? [] {
            if let id = check["id"]?.stringValue { byId[id] = check }
        }
        return byId
    }

    @Test func unknownKeysAreAnErrorAndFixRemovesThemKeepingABackup() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let env = try environment(sandbox)
        let original = #"{gateway: {mode: "local", auth: {token: "t0ken"}, bogus: 1}, extra: true}"#
        try sandbox.writeConfig(original)

        let (code, text) = try await doctor([], env)
        #expect(code == 1, "\(text)")
        #expect(text.contains("error config: Config invalid: unknown keys "), "\(text)")
        #expect(text.contains("gateway.bogus") && text.contains("extra"))
        #expect(text.contains("fix: openclaw doctor --fix"))
        #expect(try String(contentsOfFile: sandbox.configPath, encoding: .utf8) == original)
        #expect(!FileManager.default.fileExists(atPath: sandbox.configPath + ".bak"))

        let (jsonCode, json) = try await doctor(["--json"], env)
        #expect(jsonCode == 1)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(object["ok"]?.boolValue == false)
        #expect(try checks(json)["config"]?["status"]?.stringValue == "error")

        let (fixCode, fixed) = try await doctor(["--fix"], env)
        #expect(fixCode == 0, "\(fixed)")
        #expect(fixed.contains("fixed: remove unknown keys"), "\(fixed)")
        #expect(try String(contentsOfFile: sandbox.configPath + ".bak", encoding: .utf8) == original)
        let loaded = try ConfigLoader(environment: [:]).load(path: sandbox.configPath)
        #expect(loaded.config.gateway?.mode == .local)
        #expect(loaded.config.gateway?.auth?.token == "t0ken")

        let (againCode, again) = try await doctor(["--json"], env)
        #expect(againCode == 0)
        #expect(try checks(again)["config"]?["status"]?.stringValue == "ok")
    }

    @Test func aDriftedUnitIsReportedAndFixRewritesIt() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var env = try environment(sandbox)
        let port = Sandbox.freePort()
        env["OPENCLAW_GATEWAY_PORT"] = nil
        try sandbox.writeConfig(#"{gateway: {mode: "local", port: \#(port), auth: {token: "t0ken"}}}"#)
        let unitDir = sandbox.home + "/.config/systemd/user"
        let unitPath = unitDir + "/openclaw-gateway.service"
        try FileManager.default.createDirectory(atPath: unitDir, withIntermediateDirectories: true)
        try """
        [Service]
        ExecStart=/old/bin/openclaw gateway --port 1
        Environment=OPENCLAW_CONFIG_PATH=\(sandbox.home)/elsewhere/openclaw.json
        Environment=OPENCLAW_GATEWAY_TOKEN=stale-token
        """.write(toFile: unitPath, atomically: true, encoding: .utf8)

        let (code, text) = try await doctor([], env)
        #expect(code == 0, "\(text)")
        #expect(text.contains("warn  service: Service file drift in \(unitPath)"), "\(text)")
        #expect(text.contains("config path \(sandbox.home)/elsewhere/openclaw.json (CLI: \(sandbox.configPath))"))
        #expect(text.contains("port 1 (CLI resolves \(port) from config gateway.port)"))
        #expect(text.contains("OPENCLAW_GATEWAY_TOKEN differs from gateway.auth.token"))
        #expect(text.contains("binary /old/bin/openclaw"))
        #expect(text.contains("fix: openclaw gateway install --force"))
        #expect(try String(contentsOfFile: unitPath, encoding: .utf8).contains("/old/bin/openclaw"))

        let (fixCode, fixed) = try await doctor(["--fix"], env)
        #expect(fixCode == 0, "\(fixed)")
        #expect(fixed.contains("fixed: rewrote \(unitPath)"), "\(fixed)")
        let unit = try String(contentsOfFile: unitPath, encoding: .utf8)
        #expect(unit.contains("Environment=OPENCLAW_CONFIG_PATH=\(sandbox.configPath)"), "\(unit)")
        #expect(unit.contains("gateway --port \(port)"))
        #expect(!unit.contains("stale-token"))
        #expect(unit.contains(OpenClawProcess.binary.resolvingSymlinksInPath().path + " gateway"), "\(unit)")

        let (_, again) = try await doctor(["--json"], env)
        #expect(try checks(again)["service"]?["status"]?.stringValue == "ok", "\(again)")
    }

    @Test func aStaleLockAndAnOpenStateDirAreFixed() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let env = try environment(sandbox)
        try sandbox.writeConfig(#"{gateway: {mode: "local", auth: {token: "t0ken"}}}"#)
        chmod(sandbox.stateDir, 0o755)
        // A pid that has certainly exited: a child we started and reaped.
        let child = try await SpawnedProcess.start("/bin/true", [])
        await child.exited()
        let lockPath = GatewayLock.path(configPath: sandbox.configPath, environment: env)
        try FileManager.default.createDirectory(atPath: (lockPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try #"{"pid": \#(child.pid), "createdAt": "2026-01-01T00:00:00.000Z", "configPath": "\#(sandbox.configPath)"}"#
            .write(toFile: lockPath, atomically: true, encoding: .utf8)

        let (code, text) = try await doctor([], env)
        #expect(code == 0, "\(text)")
        #expect(text.contains("warn  lock: Stale gateway lock \(lockPath) (owner pid \(child.pid) is not running)."), "\(text)")
        #expect(text.contains("warn  state-dir: State dir \(sandbox.stateDir) is group/world accessible (0755)."), "\(text)")
        #expect(FileManager.default.fileExists(atPath: lockPath))

        let (fixCode, fixed) = try await doctor(["--fix", "--json"], env)
        #expect(fixCode == 0, "\(fixed)")
        let byId = try checks(fixed)
        #expect(byId["lock"]?["fixed"]?.boolValue == true, "\(fixed)")
        #expect(byId["state-dir"]?["fixed"]?.boolValue == true)
        #expect(!FileManager.default.fileExists(atPath: lockPath))
        var info = stat()
        stat(sandbox.stateDir, &info)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    @Test func tokenModeWithoutATokenOffersToGenerateOne() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let env = try environment(sandbox)
        try sandbox.writeConfig(#"{gateway: {mode: "local"}}"#)

        let (_, text) = try await doctor([], env)
        #expect(text.contains("warn  gateway-token: Gateway auth is token mode but no token is configured"), "\(text)")
        #expect(text.contains("fix: openclaw doctor --fix --generate-gateway-token"))
        let (_, fixOnly) = try await doctor(["--fix"], env)
        #expect(!fixOnly.contains("fixed: generated"))
        #expect(try ConfigLoader(environment: [:]).load(path: sandbox.configPath).config.gateway?.auth?.token == nil)

        let (code, fixed) = try await doctor(["--fix", "--generate-gateway-token"], env)
        #expect(code == 0)
        #expect(fixed.contains("fixed: generated gateway.auth.token"), "\(fixed)")
        let token = try ConfigLoader(environment: [:]).load(path: sandbox.configPath).config.gateway?.auth?.token
        #expect(token?.count == 48)
    }

    @Test func aForeignProcessOnThePortIsAnErrorNamingIt() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var env = try environment(sandbox)
        try sandbox.writeConfig(#"{gateway: {mode: "local", auth: {token: "t0ken"}}}"#)
        // This test process listens on the port: not a gateway.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(listen(fd, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        env["OPENCLAW_GATEWAY_PORT"] = String(port)

        let (code, text) = try await doctor([], env)
        #expect(code == 1, "\(text)")
        #expect(text.contains("error port: Port \(port) is in use by another process (pid \(getpid()): "), "\(text)")
        #expect(text.contains("EADDRINUSE"))
    }
}
