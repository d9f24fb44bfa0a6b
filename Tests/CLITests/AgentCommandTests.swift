// Tests/CLITests/AgentCommandTests.swift - `openclaw agent`: one turn through a real gateway process

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

@Suite("agent, agents and models commands", .serialized)
struct AgentCommandTests {
    @Test(.timeLimit(.minutes(2)))
    func runsATurnPrintsTheReplyAndContinuesBySessionId() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let upstream = FakeModelServer(
            replies: [OpenAIScript.text(["Hello", " there."]), OpenAIScript.text(["Second answer."])], fallback: OpenAIScript.text(["more"]))
        let baseURL = await upstream.start()
        let port = Sandbox.freePort()
        try sandbox.writeConfig(
            """
            {
              gateway: { mode: "local", port: \(port), auth: { token: "cli-token" } },
              models: { providers: { local: { baseUrl: "\(baseURL)", api: "openai-completions", apiKey: "k", models: [{ id: "m" }] } } },
              agents: { defaults: { model: "local/m" }, list: [{ id: "main", default: true }, { id: "ops" }] },
              bindings: [{ agentId: "ops", match: { channel: "telegram", accountId: "ops" } }],
            }
            """
        )
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
        do {
            try await drive(sandbox, upstream: upstream, gateway: gateway)
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(gateway.text.suffix(3000))")
        }
        await gateway.stop()
        await upstream.stop()
    }

    private func drive(_ sandbox: Sandbox, upstream: FakeModelServer, gateway: OpenClawProcess) async throws {
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")

        func agent(_ arguments: [String]) async throws -> (status: Int32, text: String) {
            let process = try await OpenClawProcess(["agent"] + arguments, environment: sandbox.environment())
            return (await process.wait(timeout: .seconds(60)), process.text)
        }

        // The token comes from the config, as for every CLI command; the reply is printed.
        let first = try await agent(["--agent", "ops", "-m", "Hi ops"])
        #expect(first.status == 0, "\(first.text)")
        #expect(first.text == "Hello there.\n")

        // --json prints the final answer; --session-id continues the same session.
        let json = try await agent(["--session-key", "agent:ops:main", "--message", "again", "--json"])
        #expect(json.status == 0, "\(json.text)")
        let answer = try JSONDecoder().decode(JSONValue.self, from: Data(json.text.utf8))
        #expect(answer["status"] == "ok")
        #expect(answer["result"]?["payloads"]?[0]?["text"] == "Second answer.")
        #expect(answer["result"]?["meta"]?["sessionKey"] == "agent:ops:main")
        let sessionId = try #require(answer["result"]?["meta"]?["sessionId"]?.stringValue)
        let byId = try await agent(["--session-id", sessionId, "--message", "third", "--json"])
        #expect(byId.status == 0, "\(byId.text)")
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(byId.text.utf8))["result"]?["meta"]?["sessionKey"] == "agent:ops:main")
        let store = try SessionStore.openExisting(path: SessionStore.defaultPath(stateDir: sandbox.stateDir))
        #expect(try store.transcript(key: "agent:ops:main").filter { $0.role == "user" }.count == 3)

        // Mistakes are refused before anything runs, with what to do.
        let noSession = try await agent(["-m", "hi"])
        #expect(noSession.status != 0)
        #expect(noSession.text.contains("Pass --to <dest>, --session-key <key>, --session-id <id> or --agent <id>"))
        let unknownId = try await agent(["--session-id", "no-such-id", "-m", "hi"])
        #expect(unknownId.status == 1)
        #expect(unknownId.text.contains("unknown sessionId"))
        let deliverWithoutChannel = try await agent(["--agent", "main", "-m", "hi", "--deliver"])
        #expect(deliverWithoutChannel.status == 1)
        #expect(deliverWithoutChannel.text.contains("deliver needs a channel"), "\(deliverWithoutChannel.text)")
        #expect(upstream.requestCount == 3)

        // --verbose keeps the session's verbose level after the turn.
        let verbose = try await agent(["--agent", "ops", "-m", "again", "--verbose", "on"])
        #expect(verbose.status == 0, "\(verbose.text)")
        #expect(try store.entry(key: "agent:ops:main")?.verboseLevel == "on")
        #expect(try await agent(["--agent", "ops", "-m", "x", "--verbose", "loud"]).text.contains("--verbose takes on or off"))

        // What the gateway resolved: agents with their bindings, and the models.
        func run(_ arguments: [String]) async throws -> (status: Int32, text: String) {
            let process = try await OpenClawProcess(arguments, environment: sandbox.environment())
            return (await process.wait(timeout: .seconds(30)), process.text)
        }
        let agents = try await run(["agents", "list", "--bindings"])
        #expect(agents.status == 0, "\(agents.text)")
        #expect(agents.text.contains("- main (default)  model: local/m"), "\(agents.text)")
        #expect(agents.text.contains("    binding: telegram account=ops"), "\(agents.text)")
        let listed = try JSONDecoder().decode(JSONValue.self, from: Data(try await run(["agents", "list", "--json"]).text.utf8))
        #expect(listed["defaultId"] == "main")
        #expect(listed["agents"]?.arrayValue?.map { $0["id"] } == ["main", "ops"])
        let models = try await run(["models", "list"])
        #expect(models.status == 0)
        #expect(models.text.contains("- local/m"), "\(models.text)")
    }
}
