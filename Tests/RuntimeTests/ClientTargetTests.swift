// Tests/RuntimeTests/ClientTargetTests.swift - the CLI's target: URL chain, credentials per mode, stored device tokens

import Foundation
import Generated
import Runtime
import Testing

@Suite("CLI target resolution")
struct ClientTargetTests {
    /// A state dir holding `config`, and an environment pointing at it.
    private func environment(_ config: String, _ extra: [String: String] = [:]) throws -> (env: [String: String], dir: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-target-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try config.write(toFile: dir + "/openclaw.json", atomically: true, encoding: .utf8)
        return (["OPENCLAW_STATE_DIR": dir, "HOME": dir].merging(extra) { _, new in new }, dir)
    }

    @Test func remoteModeIsConfigFirstForTheTokenAndEnvFirstForThePassword() throws {
        let (env, dir) = try environment(
            "{ gateway: { mode: 'remote', auth: { token: 'auth-t', password: 'auth-p' }, remote: { url: 'ws://h:1', token: 'remote-t', password: 'remote-p' } } }",
            ["OPENCLAW_GATEWAY_TOKEN": "env-t", "OPENCLAW_GATEWAY_PASSWORD": "env-p"]
        )
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = try ClientTarget.resolve(url: nil, token: nil, password: nil, environment: env)
        #expect(target.url == "ws://h:1" && target.urlSource == .config("gateway.remote.url") && target.remoteMode)
        #expect(target.token == "remote-t" && target.password == "env-p")
        #expect(!target.isImplicitLocal && target.describedSource == "remote, from config gateway.remote.url")
        let flags = try ClientTarget.resolve(url: nil, token: "flag-t", password: "flag-p", environment: env)
        #expect(flags.token == "flag-t" && flags.password == "flag-p")
    }

    @Test func localModeIsEnvFirstAndIgnoresTheRemoteURL() throws {
        let (env, dir) = try environment(
            "{ gateway: { mode: 'local', port: 4321, auth: { token: 'auth-t' }, remote: { url: 'ws://h:1', token: 'remote-t' } } }",
            ["OPENCLAW_GATEWAY_TOKEN": "env-t"]
        )
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = try ClientTarget.resolve(url: nil, token: nil, password: nil, environment: env)
        #expect(target.url == "ws://127.0.0.1:4321" && target.isImplicitLocal && target.token == "env-t")
        let fromEnv = try ClientTarget.resolve(
            url: nil, token: nil, password: nil, environment: env.merging(["OPENCLAW_GATEWAY_URL": "ws://e:2"]) { _, new in new })
        #expect(fromEnv.url == "ws://e:2" && fromEnv.urlSource == .env("OPENCLAW_GATEWAY_URL") && fromEnv.token == "env-t")
    }

    @Test func remoteModeWithoutAURLIsMisconfiguredUnlessOneIsGiven() throws {
        let (env, dir) = try environment("{ gateway: { mode: 'remote' } }")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: ClientTargetError.self) { try ClientTarget.resolve(url: nil, token: nil, password: nil, environment: env) }
        do {
            _ = try ClientTarget.resolve(url: nil, token: nil, password: nil, environment: env)
        } catch {
            #expect("\(error)" == "gateway remote mode misconfigured: gateway.remote.url missing")
        }
        let withEnv = try ClientTarget.resolve(
            url: nil, token: nil, password: nil, environment: env.merging(["OPENCLAW_GATEWAY_URL": "ws://e:2"]) { _, new in new })
        #expect(withEnv.url == "ws://e:2")
        let withFlag = try ClientTarget.resolve(url: "ws://f:3", token: "t", password: nil, environment: env)
        #expect(withFlag.url == "ws://f:3" && withFlag.urlSource == .flag("url"))
    }

    @Test func deviceTokensAreKeptPerRoleForOneDeviceIn0600() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-auth-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = DeviceAuthStore(stateDir: dir)
        #expect(store.token(deviceId: "d1", role: "operator") == nil)
        try store.save(deviceId: "d1", role: "operator", token: "tok", scopes: ["operator.admin"])
        try store.save(deviceId: "d1", role: "node", token: "ntok", scopes: [])
        #expect(store.token(deviceId: "d1", role: "operator")?.token == "tok")
        #expect(store.token(deviceId: "d2", role: "operator") == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: store.path)))
        #expect(json["version"] == 1 && json["deviceId"] == "d1")
        #expect(json["tokens"]?["operator"]?["role"] == "operator" && json["tokens"]?["operator"]?["updatedAtMs"] != nil)
        #expect(try store.forget(deviceId: "d1", role: "operator"))
        #expect(store.token(deviceId: "d1", role: "operator") == nil && store.token(deviceId: "d1", role: "node")?.token == "ntok")
        // Another device's identity replaces the file.
        try store.save(deviceId: "d2", role: "operator", token: "t2", scopes: [])
        #expect(store.token(deviceId: "d1", role: "node") == nil && store.token(deviceId: "d2", role: "operator")?.token == "t2")
    }
}
