// Tests/CLITests/HooksReloadTests.swift - hooks.* edits apply to a running gateway without a restart

import AsyncHTTPClient
import Foundation
import NIOCore
import Runtime
import Testing

@Suite("hooks hot reload")
struct HooksReloadTests {
    private func config(port: Int, hooks: String) -> String {
        """
        {
          gateway: { mode: "local", port: \(port), auth: { token: "t0k" }, reload: { mode: "hybrid", debounceMs: 50 } },
          \(hooks)
        }
        """
    }

    private func wake(_ client: HTTPClient, port: Int, token: String) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/hooks/wake")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(string: #"{"text":"ping"}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }

    @Test func enablingAndRotatingTheHookTokenApplyInProcess() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(config(port: port, hooks: ""))
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
            #expect(try await wake(client, port: port, token: "hook-one") == 404)
            try sandbox.writeConfig(config(port: port, hooks: #"hooks: { enabled: true, token: "hook-one" },"#))
            #expect(await gateway.waitForOutput("config hot reload applied (hooks"), "\(gateway.text)")
            #expect(try await wake(client, port: port, token: "hook-one") == 200)
            try sandbox.writeConfig(config(port: port, hooks: #"hooks: { enabled: true, token: "hook-two" },"#))
            #expect(await gateway.waitForOutput("config hot reload applied (hooks.token"), "\(gateway.text)")
            #expect(try await wake(client, port: port, token: "hook-one") == 401)
            #expect(try await wake(client, port: port, token: "hook-two") == 200)
            #expect(!gateway.text.contains("gateway restarting"))
        } catch {
            Issue.record("\(error)")
        }
        try? await client.shutdown()
        await gateway.stop()
    }
}
