// Tests/CLITests/ConfigCommandTests.swift - `openclaw config get|set|validate` and the config RPC against a real gateway process

import Foundation
import Generated
import Runtime
import Testing

@Suite("config command", .serialized)
struct ConfigCommandTests {
    static let token = "config-test-token-0123456789"

    private func config(port: Int) -> String {
        #"{ gateway: { mode: "local", port: \#(port), auth: { token: "\#(Self.token)" }, reload: { mode: "hybrid", debounceMs: 50 } } }"#
    }

    private func start(_ sandbox: Sandbox) async throws -> OpenClawProcess {
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")
        return gateway
    }

    private func run(_ arguments: [String], _ sandbox: Sandbox) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: sandbox.environment())
        let status = await process.wait()
        return (status, process.text)
    }

    private func connect(_ port: Int) async throws -> GatewayClient {
        try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: Self.token, identity: DeviceIdentity()))
    }

    private func fileText(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func patchNeedsTheCurrentHashThenAppliesAuditsAndReloads() async throws {
        let port = Sandbox.freePort()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        let client = try await connect(port)

        let snapshot = try await client.request("config.get", as: ConfigSnapshot.self)
        #expect(snapshot.exists && snapshot.valid)
        #expect(snapshot.hash == ConfigSnapshotReader.hash(try Data(contentsOf: URL(fileURLWithPath: sandbox.configPath))))

        await #expect(throws: GatewayClientError.self) {
            _ = try await client.request("config.patch", params: ["raw": "{logging: {level: 'debug'}}", "baseHash": "0123abcd"])
        }
        do {
            _ = try await client.request("config.patch", params: ["raw": "{logging: {level: 'debug'}}", "baseHash": "0123abcd"])
        } catch {
            #expect("\(error)".contains("config changed since last load; re-run config.get and retry"), "\(error)")
        }
        #expect(!fileText(sandbox.configPath).contains("debug"))

        let result = try await client.request(
            "config.patch", params: ["raw": "{logging: {level: 'debug'}}", "baseHash": .string(snapshot.hash ?? "")], as: ConfigWriteResult.self
        )
        #expect(result.ok && result.changedPaths == ["logging"])
        #expect(result.hash == ConfigSnapshotReader.hash(try Data(contentsOf: URL(fileURLWithPath: sandbox.configPath))))
        #expect(fileText(sandbox.configPath).contains("\"level\" : \"debug\""))
        #expect(FileManager.default.fileExists(atPath: sandbox.configPath + ".bak"))
        // The other side of the contract: the watcher picks the write up.
        #expect(await gateway.waitForOutput("config change detected; evaluating reload (logging)"), "\(gateway.text)")

        let audit = fileText(sandbox.stateDir + "/logs/config-audit.jsonl").split(separator: "\n")
        #expect(audit.count == 1)
        let entry = try JSONDecoder().decode(ConfigAudit.Entry.self, from: Data(audit[0].utf8))
        #expect(entry.method == "config.patch" && entry.previousHash == snapshot.hash && entry.hash == result.hash && entry.changedPaths == ["logging"])
        #expect(entry.connId != nil)

        // The CLI goes through the same RPC (get → patch with the hash).
        let set = try await run(["config", "set", "logging.level", "warn"], sandbox)
        #expect(set.status == 0, "\(set.text)")
        #expect(fileText(sandbox.configPath).contains("\"level\" : \"warn\""))
        #expect(fileText(sandbox.stateDir + "/logs/config-audit.jsonl").split(separator: "\n").count == 2)
        let get = try await run(["config", "get", "logging.level"], sandbox)
        #expect(get.status == 0 && get.text.trimmingCharacters(in: .whitespacesAndNewlines) == "warn", "\(get.text)")
        let validate = try await run(["config", "validate"], sandbox)
        #expect(validate.status == 0 && validate.text.contains("Config valid: \(sandbox.configPath)"), "\(validate.text)")

        await client.close()
        await gateway.stop()
    }

    @Test func secretsNeverAppearInConfigGetOutput() async throws {
        let port = Sandbox.freePort()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        for arguments in [["config", "get"], ["config", "get", "--json"], ["config", "get", "gateway.auth.token"], ["gateway", "call", "config.get"]] {
            let result = try await run(arguments, sandbox)
            #expect(result.status == 0, "\(arguments): \(result.text)")
            #expect(!result.text.contains(Self.token), "\(arguments) leaked the token: \(result.text)")
            #expect(result.text.contains(ConfigRedaction.sentinel), "\(arguments): \(result.text)")
        }
        // Sending the sentinel back keeps the stored secret.
        let client = try await connect(port)
        let snapshot = try await client.request("config.get", as: ConfigSnapshot.self)
        _ = try await client.request("config.set", params: ["raw": .string(snapshot.raw ?? ""), "baseHash": .string(snapshot.hash ?? "")])
        #expect(fileText(sandbox.configPath).contains(Self.token))
        await client.close()
        await gateway.stop()
    }

    @Test func getSetValidateWorkOnTheFileWhenTheGatewayIsDown() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(config(port: Sandbox.freePort()))
        let set = try await run(["config", "set", "gateway.bind", "lan"], sandbox)
        #expect(set.status == 0, "\(set.text)")
        #expect(fileText(sandbox.configPath).contains("\"bind\" : \"lan\""))
        let number = try await run(["config", "set", "gateway.reload.debounceMs", "700"], sandbox)
        #expect(number.status == 0 && fileText(sandbox.configPath).contains("\"debounceMs\" : 700"), "\(number.text)")
        let get = try await run(["config", "get", "gateway.bind"], sandbox)
        #expect(get.status == 0 && get.text.trimmingCharacters(in: .whitespacesAndNewlines) == "lan", "\(get.text)")
        let secret = try await run(["config", "get", "--json"], sandbox)
        #expect(!secret.text.contains(Self.token))
        #expect(try await run(["config", "validate"], sandbox).text.contains("Config valid: \(sandbox.configPath)"))

        let refused = try await run(["config", "set", "gateway.port", "not-a-port"], sandbox)
        #expect(refused.status == 1 && refused.text.contains("- gateway.port: must be integer"), "\(refused.text)")
        try sandbox.writeConfig(#"{ gateway: { port: "x", nope: 1 } }"#)
        let invalid = try await run(["config", "validate"], sandbox)
        #expect(invalid.status == 1, "\(invalid.text)")
        #expect(invalid.text.contains("Config invalid at \(sandbox.configPath):\n- "), "\(invalid.text)")
    }

    /// Large `config.set` writes back to back while the gateway is SIGKILLed, three times over: the file must
    /// always be one complete version (a leftover temp file, if any, is a dot file the loader never reads).
    @Test func killingTheGatewayMidWriteNeverLeavesATruncatedFile() async throws {
        let port = Sandbox.freePort()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(config(port: port))
        let blob = String(repeating: "x", count: 4096)
        for round in 0..<3 {
            let gateway = try await start(sandbox)
            let client = try await connect(port)
            let (progress, sink) = AsyncStream<Int>.makeStream()
            let writer = Task {
                var count = 0
                while !Task.isCancelled {
                    guard let hash = try? await client.request("config.get", as: ConfigSnapshot.self).hash else { break }
                    let entries = (0..<64).map { "k\($0): '\(round)-\(count)-\(blob)'" }.joined(separator: ", ")
                    let raw =
                        #"{ gateway: { mode: "local", port: \#(port), auth: { token: "\#(Self.token)" }, reload: { mode: "off" } }, meta: { \#(entries) } }"#
                    do {
                        _ = try await client.request("config.set", params: ["raw": .string(raw), "baseHash": .string(hash)])
                    } catch {
                        break
                    }
                    count += 1
                    sink.yield(count)
                }
                sink.finish()
            }
            // Kill while the next write is in flight.
            for await count in progress where count >= 3 + round {
                gateway.signal(SIGKILL)
                break
            }
            _ = await gateway.wait()
            _ = await writer.value
            await client.close()

            let data = try Data(contentsOf: URL(fileURLWithPath: sandbox.configPath))
            let loaded = try ConfigLoader(environment: [:]).parse(data, path: sandbox.configPath)
            #expect(loaded.config.gateway?.port == port)
            let names = try FileManager.default.contentsOfDirectory(atPath: sandbox.stateDir)
            for name in names where name.contains(".tmp-") { #expect(name.hasPrefix(".openclaw.json.tmp-"), "\(name)") }
        }
    }

    @Test func applyWritesThenRestartsOntoTheNewConfig() async throws {
        let port = Sandbox.freePort()
        let newPort = Sandbox.freePort()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        let client = try await connect(port)
        let snapshot = try await client.request("config.get", as: ConfigSnapshot.self)
        let raw = #"{ gateway: { mode: "local", port: \#(newPort), auth: { token: "\#(Self.token)" }, reload: { mode: "off" } } }"#
        let result = try await client.request(
            "config.apply", params: ["raw": .string(raw), "baseHash": .string(snapshot.hash ?? ""), "restartDelayMs": 300], as: ConfigWriteResult.self
        )
        #expect(result.restart == true && result.changedPaths == ["gateway.port", "gateway.reload.debounceMs", "gateway.reload.mode"])
        var shutdown: EventFrame?
        for await event in client.events where event.event == "shutdown" {
            shutdown = event
            break
        }
        #expect(shutdown != nil)
        await client.close()
        #expect(await gateway.waitForOutput("ready (bind=loopback, port=\(newPort)"), "\(gateway.text)")
        let again = try await connect(newPort)
        let after = try await again.request("config.get", as: ConfigSnapshot.self)
        #expect(after.hash == result.hash)
        await again.close()
        await gateway.stop()
    }

    @Test func writesAreRateLimitedPerClient() async throws {
        let port = Sandbox.freePort()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(config(port: port))
        let gateway = try await start(sandbox)
        let client = try await connect(port)
        var hash = try await client.request("config.get", as: ConfigSnapshot.self).hash ?? ""
        for index in 0..<30 {
            let raw = #"{ gateway: { mode: "local", port: \#(port), auth: { token: "\#(Self.token)" }, reload: { mode: "off" } }, meta: { n: \#(index) } }"#
            hash = try await client.request("config.set", params: ["raw": .string(raw), "baseHash": .string(hash)], as: ConfigWriteResult.self).hash
        }
        do {
            _ = try await client.request("config.set", params: ["raw": "{}", "baseHash": .string(hash)])
            Issue.record("the 31st write within a minute should be refused")
        } catch {
            let shape: ErrorShape? = if case .requestFailed(_, let shape) = error { shape } else { nil }
            #expect(shape?.code == .unavailable && shape?.retryable == true && (shape?.retryAfterMs ?? 0) > 0, "\(error)")
        }
        #expect(fileText(sandbox.configPath).contains("\"n\" : 29"))
        await client.close()
        await gateway.stop()
    }
}
