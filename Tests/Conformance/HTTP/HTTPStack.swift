// Tests/Conformance/HTTP/HTTPStack.swift - a scripted model, a gateway using it and an HTTP client, for the HTTP suites

import AsyncHTTPClient
import Foundation
import Generated
import ProtocolSupport
import Runtime
import TestUpstream

/// What every HTTP suite needs: a fake model server, an in-process gateway whose config names it
/// (`models.providers.local`, `local/test-model`) merged with the suite's own keys, and a client.
/// `run` stops all three and removes the state directory, whatever the body does.
struct HTTPStack {
    let upstream: FakeModelServer
    let gateway: TestGateway
    let client: HTTPClient
    let stateDir: String

    /// The default agents: `local/test-model` for everyone, a 30 s run budget.
    static let agents: JSONValue = ["defaults": ["model": ["primary": "local/test-model"], "timeoutSeconds": 30]]

    static func run(
        replies: [FakeModelServer.Reply], fallback: FakeModelServer.Reply?, setup: GatewaySetup = .standard, config extra: JSONValue,
        _ body: (HTTPStack) async throws -> Void
    ) async throws {
        let upstream = FakeModelServer(replies: replies, fallback: fallback)
        let upstreamURL = await upstream.start()
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-http-\(UUID().uuidString)").path
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let gateway: TestGateway
        do {
            let base: JSONValue = [
                "models": [
                    "providers": [
                        "local": [
                            "baseUrl": .string(upstreamURL), "api": "openai-completions", "apiKey": "test-key",
                            "models": [["id": "test-model", "name": "Test Model", "contextWindow": 4096]],
                        ]
                    ]
                ],
                "agents": agents,
            ]
            let config = try WireJSON.decode(OpenClawConfig.self, from: Data(base.merging(extra).text.utf8))
            gateway = try await TestGateway.start(setup, config: config, stateDir: stateDir)
        } catch {
            try? await client.shutdown()
            await upstream.stop()
            throw error
        }
        var failure: (any Error)?
        do {
            try await body(HTTPStack(upstream: upstream, gateway: gateway, client: client, stateDir: stateDir))
        } catch {
            failure = error
        }
        try? await client.shutdown()
        await gateway.stop()
        await upstream.stop()
        try? FileManager.default.removeItem(atPath: stateDir)
        if let failure { throw failure }
    }
}
