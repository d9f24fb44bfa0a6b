// Tests/CLITests/AgentCrashTests.swift - acknowledged chat messages survive a SIGKILLed gateway process

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

/// A real `openclaw gateway` process, its model a scripted upstream in this test process. The user's
/// message is written before `chat.send` acknowledges it, so a crash right after the ack loses nothing.
@Suite("agent crash safety", .serialized)
struct AgentCrashTests {
    private func startGateway(_ sandbox: Sandbox) async throws -> OpenClawProcess {
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")
        return gateway
    }

    private func connect(port: Int) async throws -> GatewayClient {
        try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: "t0k", identity: DeviceIdentity()))
    }

    @Test(.timeLimit(.minutes(2)))
    func everyAcknowledgedMessageSurvivesSIGKILL() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        // The first run hangs at the model; the others queue behind it in the same session.
        let upstream = FakeModelServer(replies: [OpenAIScript.endless("Thinking")], fallback: OpenAIScript.endless("Again"))
        let baseURL = await upstream.start()
        let port = Sandbox.freePort()
        try sandbox.writeConfig(
            """
            {
              gateway: { mode: "local", port: \(port), auth: { token: "t0k" } },
              models: { providers: { local: {
                baseUrl: "\(baseURL)", api: "openai-completions", apiKey: "test-key",
                models: [{ id: "test-model", name: "Test Model" }],
              } } },
              agents: { defaults: { model: { primary: "local/test-model" } } },
            }
            """
        )
        var gateway = try await startGateway(sandbox)
        let messages = (1...5).map { "message number \($0)" }
        do {
            let client = try await connect(port: port)
            var events = client.events.makeAsyncIterator()
            for (index, message) in messages.enumerated() {
                let ack = try await client.request(
                    "chat.send", params: ["sessionKey": "crash", "message": .string(message), "idempotencyKey": .string("crash-\(index)")])
                #expect(ack == ["runId": .string("crash-\(index)"), "status": "started"])
                if index == 0 {
                    // The first run is streaming from the model before the rest are sent.
                    while let event = await events.next() {
                        if event.event == "chat", event.payload?["runId"] == "crash-0", event.payload?["state"] == "delta" { break }
                    }
                }
            }
            gateway.signal(SIGKILL)
            #expect(await gateway.wait() == 128 + SIGKILL, "killed by the signal, as the shell reports it")
            await client.close()
        }
        #expect(upstream.requestCount == 1)

        gateway = try await startGateway(sandbox)
        let client = try await connect(port: port)
        let history = try await client.request("chat.history", params: ["sessionKey": "crash"])
        let stored = history["messages"]?.arrayValue ?? []
        let userTexts = stored.filter { $0["role"] == "user" }.map { $0["content"]?[0]?["text"]?.stringValue ?? "" }
        #expect(userTexts == messages, "\(history)\n--- gateway:\n\(gateway.text)")
        #expect(history["sessionKey"] == "agent:main:crash")
        await client.close()
        await gateway.stop()
        await upstream.stop()
    }
}
