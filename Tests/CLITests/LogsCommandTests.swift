// Tests/CLITests/LogsCommandTests.swift - the file log through a real gateway and `openclaw logs`

import Foundation
import Generated
import Runtime
import Testing

@Suite("logs", .serialized)
struct LogsCommandTests {
    static let token = "known-token-0123456789abcdef"

    /// A sandbox whose config pins the port, the token and a log file inside the sandbox.
    private func sandbox(port: Int, logging: String = "") throws -> (Sandbox, logFile: String) {
        let sandbox = try Sandbox()
        let logFile = sandbox.home + "/logs/gateway.log"
        try sandbox.writeConfig(
            #"{ gateway: { mode: "local", port: \#(port), auth: { token: "\#(Self.token)" } }, logging: { file: "\#(logFile)"\#(logging) } }"#
        )
        return (sandbox, logFile)
    }

    private func startGateway(_ sandbox: Sandbox, extra: [String] = [], env: [String: String] = [:]) async throws -> OpenClawProcess {
        let gateway = try await OpenClawProcess(["gateway"] + extra, environment: sandbox.environment(env))
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")
        return gateway
    }

    private func run(_ arguments: [String], _ sandbox: Sandbox) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: sandbox.environment())
        let status = await process.wait()
        return (status, process.text)
    }

    private func fileText(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Waits until `path` contains `marker` (file writes are synchronous, but the gateway answers on another thread).
    private func waitForFile(_ path: String, _ marker: String) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if fileText(path).contains(marker) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func gatewayLinesAreJSONLInTheFileAndComeBackThroughLogsJSON() async throws {
        let port = Sandbox.freePort()
        let (sandbox, logFile) = try sandbox(port: port)
        defer { sandbox.remove() }
        let gateway = try await startGateway(sandbox)
        #expect(gateway.text.contains(" info [gateway] ready (bind=loopback, port=\(port)"))
        #expect(await waitForFile(logFile, "[gateway] ready"))

        let records = objects(fileText(logFile))
        #expect(records.count == fileText(logFile).split(separator: "\n").count, "every line is a JSON object")
        let ready = try #require(records.first { ($0["message"] as? String)?.hasPrefix("[gateway] ready (") == true })
        #expect(ready["level"] as? String == "info")
        #expect(ready["subsystem"] as? String == "gateway")
        #expect((ready["time"] as? String)?.hasSuffix("Z") == true)

        let logs = try await run(["logs", "--json", "--limit", "50"], sandbox)
        #expect(logs.status == 0, "\(logs.text)")
        let lines = objects(logs.text)
        let meta = try #require(lines.first)
        #expect(meta["type"] as? String == "meta")
        #expect(meta["file"] as? String == logFile)
        #expect(lines.contains { $0["type"] as? String == "log" && ($0["message"] as? String)?.hasPrefix("[gateway] ready (") == true })

        let human = try await run(["logs", "--limit", "5"], sandbox)
        #expect(human.status == 0)
        #expect(human.text.contains(" info [gateway] ready (bind=loopback"))
        let plain = try await run(["logs", "--plain", "--limit", "5"], sandbox)
        #expect(plain.text.contains(#""subsystem":"gateway""#))

        let reset = try await run(["gateway", "call", "logs.tail", "--params", #"{"cursor":999999999,"limit":1}"#, "--json"], sandbox)
        #expect(reset.status == 0, "\(reset.text)")
        let result = try JSONDecoder().decode(LogsTailResult.self, from: Data(reset.text.utf8))
        #expect(result.reset == true && result.file == logFile && result.lines.count == 1 && result.cursor == result.size)
        let outOfRange = try await run(["gateway", "call", "logs.tail", "--params", #"{"limit":0}"#], sandbox)
        #expect(outOfRange.status == 1)
        #expect(outOfRange.text.contains("INVALID_REQUEST"), "\(outOfRange.text)")
        await gateway.stop()
    }

    @Test func followPicksUpNewLinesAndSurvivesAGatewayRestart() async throws {
        let port = Sandbox.freePort()
        let (sandbox, _) = try sandbox(port: port)
        defer { sandbox.remove() }
        var gateway = try await startGateway(sandbox, extra: ["--log-level", "debug"])
        let follow = try await OpenClawProcess(["logs", "--follow", "--json", "--interval", "200"], environment: sandbox.environment())
        #expect(await follow.waitForOutput("[gateway] ready"), "\(follow.text)")

        _ = try await run(["gateway", "call", "first-marker-method"], sandbox)
        #expect(await follow.waitForOutput("first-marker-method"), "\(follow.text)")

        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
        #expect(await follow.waitForOutput("Lost the gateway"), "\(follow.text)")
        gateway = try await startGateway(sandbox, extra: ["--log-level", "debug"])
        #expect(await follow.waitForOutput("Reconnected to the gateway."), "\(follow.text)")
        _ = try await run(["gateway", "call", "second-marker-method"], sandbox)
        #expect(await follow.waitForOutput("second-marker-method"), "\(follow.text)")
        #expect(follow.isRunning)
        await follow.stop()
        await gateway.stop()
    }

    @Test func withTheGatewayDownLogsReadsTheLocalFileUnlessAURLWasGiven() async throws {
        let port = Sandbox.freePort()
        let (sandbox, logFile) = try sandbox(port: port)
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: (logFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try #"{"time":"2026-01-01T00:00:00.000Z","level":"warn","subsystem":"gateway","message":"left behind"}"#.appending("\n")
            .write(toFile: logFile, atomically: true, encoding: .utf8)

        let local = try await run(["logs", "--json"], sandbox)
        #expect(local.status == 0, "\(local.text)")
        let lines = objects(local.text)
        #expect(lines.contains { $0["type"] as? String == "notice" && ($0["message"] as? String)?.contains("reading the local log file \(logFile)") == true })
        #expect(lines.contains { $0["type"] as? String == "log" && $0["message"] as? String == "left behind" && $0["level"] as? String == "warn" })

        let follow = try await OpenClawProcess(["logs", "--follow", "--json", "--interval", "100"], environment: sandbox.environment())
        #expect(await follow.waitForOutput("left behind"), "\(follow.text)")
        let handle = try #require(FileHandle(forWritingAtPath: logFile))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(#"{"time":"2026-01-01T00:00:01.000Z","level":"info","subsystem":"gateway","message":"appended later"}"#.appending("\n").utf8))
        try handle.close()
        #expect(await follow.waitForOutput("appended later"), "\(follow.text)")
        await follow.stop()

        let explicit = try await run(["logs", "--url", "ws://127.0.0.1:\(port)", "--token", "x", "--timeout", "3000"], sandbox)
        #expect(explicit.status == 1)
        #expect(!explicit.text.contains("left behind"))
        #expect(explicit.text.contains("gateway not reachable at ws://127.0.0.1:\(port)"), "\(explicit.text)")
    }

    @Test func secretsNeverReachTheConsoleOrTheFile() async throws {
        let port = Sandbox.freePort()
        let (sandbox, logFile) = try sandbox(port: port)
        defer { sandbox.remove() }
        let gateway = try await startGateway(sandbox, extra: ["--verbose", "--log-level", "debug"])
        _ = try await run(["gateway", "call", Self.token], sandbox)
        _ = try await run(["gateway", "call", "Authorization: Bearer bearer-value-0123456789"], sandbox)
        _ = try await run(["gateway", "call", "api?token=query-secret-value&x=1"], sandbox)
        _ = try await run(["gateway", "call", "done-marker-method"], sandbox)
        #expect(await waitForFile(logFile, "done-marker-method"))
        #expect(await gateway.waitForOutput("done-marker-method"))
        await gateway.stop()

        for (name, text) in [("file", fileText(logFile)), ("console", gateway.text)] {
            #expect(!text.contains(Self.token), "\(name) shows the token")
            #expect(!text.contains("bearer-value-0123456789"), "\(name) shows the bearer token")
            #expect(!text.contains("query-secret-value"), "\(name) shows the query token")
            #expect(text.contains("known-…cdef"), "\(name) lacks the masked token:\n\(text)")
        }
    }

    @Test func verboseRaisesTheConsoleButNotTheFileAndTheEnvironmentSetsBoth() async throws {
        let port = Sandbox.freePort()
        let (sandbox, logFile) = try sandbox(port: port, logging: #", level: "warn""#)
        defer { sandbox.remove() }
        var gateway = try await startGateway(sandbox, extra: ["--verbose"])
        _ = try await run(["gateway", "call", "verbose-marker-method"], sandbox)
        #expect(await gateway.waitForOutput("verbose-marker-method"), "console shows debug lines with --verbose")
        await gateway.stop()
        #expect(!fileText(logFile).contains("verbose-marker-method"))
        #expect(!fileText(logFile).contains("[gateway] ready"), "file stays at warn")

        gateway = try await startGateway(sandbox, env: ["OPENCLAW_LOG_LEVEL": "debug"])
        _ = try await run(["gateway", "call", "env-marker-method"], sandbox)
        #expect(await waitForFile(logFile, "env-marker-method"), "OPENCLAW_LOG_LEVEL=debug overrides logging.level")
        await gateway.stop()

        gateway = try await startGateway(sandbox, extra: ["--log-level", "info"], env: ["OPENCLAW_LOG_LEVEL": "debug"])
        _ = try await run(["gateway", "call", "flag-marker-method"], sandbox)
        await gateway.stop()
        #expect(fileText(logFile).contains("[gateway] ready"))
        #expect(!fileText(logFile).contains("flag-marker-method"), "--log-level info overrides the environment")

        let refused = try await run(["gateway", "--log-level", "loud"], sandbox)
        #expect(refused.status == 1)
        #expect(refused.text.contains(#"Invalid --log-level (use "silent", "fatal", "error", "warn", "info", "debug", or "trace")"#))
    }
}
