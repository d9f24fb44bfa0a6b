// Tests/CLITests/PythonSDKTests.swift - the official `openai` Python SDK against the real gateway binary
//
// Each script in Tests/python is a plain Python program with asserts that talks to a gateway process through
// the SDK (OPENCLAW_BASE_URL, OPENCLAW_API_KEY); the gateway's model is a fake upstream started here. The SDK
// lives in the venv scripts/test-env builds; scripts/test sets OPENCLAW_TEST_VENV.

import Foundation
import Runtime
import TestSupport
import TestUpstream
import Testing

private let testVenv: String? = ProcessInfo.processInfo.environment["OPENCLAW_TEST_VENV"].flatMap {
    FileManager.default.isExecutableFile(atPath: $0 + "/bin/python") ? $0 : nil
}

@Suite("openai Python SDK", .serialized, .enabled(if: testVenv != nil, "OPENCLAW_TEST_VENV is not set: run scripts/test"))
struct PythonSDKTests {
    @Test(.timeLimit(.minutes(2)))
    func chatCompletions() async throws {
        try await PythonSDKRunner.run("test_chat_completions.py", fallback: OpenAIScript.text(["Hello from ", "the fake model."]))
    }

    @Test(.timeLimit(.minutes(2)))
    func responses() async throws {
        let hello = OpenAIScript.text(["Hello from ", "the fake model."])
        try await PythonSDKRunner.run(
            "test_responses.py",
            replies: [
                hello, hello, OpenAIScript.toolCall(id: "call_weather_1", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
                OpenAIScript.text(["It is sunny ", "in Oslo."]),
            ],
            fallback: hello
        )
    }
}

/// Runs one script from Tests/python against a fresh gateway process (Chat Completions and Responses
/// enabled) whose model is a `FakeModelServer` answering with `replies` in order, then `fallback`.
enum PythonSDKRunner {
    static let token = "sdk-test-token"
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../python").standardized

    static func run(
        _ script: String, replies: [FakeModelServer.Reply] = [], fallback: FakeModelServer.Reply? = nil, environment extra: [String: String] = [:],
        timeout: Duration = .seconds(90)
    ) async throws {
        let venv = try #require(testVenv)
        let upstream = FakeModelServer(replies: replies, fallback: fallback)
        let upstreamURL = await upstream.start()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        // A free port can be taken by someone else before the gateway binds it: try a fresh one then.
        var started: (gateway: OpenClawProcess, port: Int)?
        var output = ""
        for _ in 1...3 where started == nil {
            let port = Sandbox.freePort()
            try sandbox.writeConfig(config(port: port, upstreamURL: upstreamURL))
            let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
            if await gateway.waitForOutput("[gateway] ready") {
                started = (gateway, port)
            } else {
                await gateway.stop()
                output += gateway.text
            }
        }
        guard let (gateway, port) = started else {
            await upstream.stop()
            Issue.record("gateway did not become ready:\n\(output)")
            return
        }
        var environment = sandbox.environment(["OPENCLAW_BASE_URL": "http://127.0.0.1:\(port)/v1", "OPENCLAW_API_KEY": token])
        environment.merge(extra) { _, new in new }
        let result = await PythonScript.run(
            venv + "/bin/python", script: scripts.appendingPathComponent(script).path, environment: environment, timeout: timeout)
        await gateway.stop()
        await upstream.stop()
        #expect(
            result.status == 0 && result.stdout.contains("ok "),
            "\(script) exited with \(result.status)\n--- stdout:\n\(result.stdout)\n--- stderr:\n\(result.stderr)\n--- gateway:\n\(gateway.text)"
        )
    }
}

extension PythonSDKRunner {
    /// The gateway's config: token auth, both OpenAI-compatible endpoints, the fake upstream as `local/test-model`.
    static func config(port: Int, upstreamURL: String) -> String {
        """
        {
          gateway: { mode: "local", port: \(port), auth: { token: "\(token)" },
                     http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } } },
          models: { providers: { local: {
            baseUrl: "\(upstreamURL)", api: "openai-completions", apiKey: "test-key",
            models: [{ id: "test-model", name: "Test Model", contextWindow: 4096 }],
          } } },
          agents: { defaults: { model: { primary: "local/test-model" }, timeoutSeconds: 30 } },
        }
        """
    }
}

/// A Python process with stdout and stderr kept apart, killed after a timeout.
enum PythonScript {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ python: String, script: String, environment: [String: String], timeout: Duration) async -> Result {
        let stdout = OutputBuffer()
        let stderr = OutputBuffer()
        let (outPipe, errPipe) = (Pipe(), Pipe())
        let (drained, drainedSink) = AsyncStream.makeStream(of: Void.self)
        for (pipe, buffer) in [(outPipe, stdout), (errPipe, stderr)] {
            PipeReader.drain(pipe.fileHandleForReading, onChunk: { buffer.append(String(decoding: $0, as: UTF8.self)) }, onEnd: { drainedSink.yield() })
        }
        let process: SpawnedProcess
        do {
            process = try await SpawnedProcess.start(python, ["-u", script], environment: environment, output: .pipe(outPipe), error: .pipe(errPipe))
        } catch {
            return Result(status: -1, stdout: "", stderr: "could not start \(python): \(error)")
        }
        let status = await process.exited(within: timeout).status
        // Both pipes reach end of file once the script (and anything it started) is gone.
        var ends = drained.makeAsyncIterator()
        _ = await ends.next()
        _ = await ends.next()
        return Result(status: status, stdout: stdout.text, stderr: stderr.text)
    }
}
