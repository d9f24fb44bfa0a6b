// Sources/gateway-stress/StressUpstream.swift - the fake model the runs talk to, and the gateway config that names it

import Foundation
import TestUpstream

/// A scripted OpenAI-style model server in this process (`TestUpstream.FakeModelServer`, as the tests and
/// the bench use): every request gets the same short streamed answer, optionally paced so that runs are still
/// streaming when the chaos command kills the gateway.
struct StressUpstream: Sendable {
    static let reply = "stress reply ok"
    let server: FakeModelServer
    let baseURL: String

    static func start(pause: Duration? = nil) async -> StressUpstream {
        let chunks = reply.split(separator: " ").enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
        let server = FakeModelServer(replies: [], fallback: OpenAIScript.text(chunks, pauseBetween: pause))
        return StressUpstream(server: server, baseURL: await server.start())
    }

    func stop() async { await server.stop() }

    /// `openclaw.json` for a gateway whose default model is this server; `systemPrompt` is the value the chaos
    /// command's config writes change (a key whose edits reload nothing).
    func gatewayConfig(systemPrompt: String = "stress") -> String {
        """
        {
          "gateway": { "mode": "local" },
          "models": { "providers": { "local": { "baseUrl": "\(baseURL)", "api": "openai-completions", "apiKey": "stress", "models": [{ "id": "stress-model" }] } } },
          "agents": { "defaults": { "model": { "primary": "local/stress-model" }, "maxConcurrent": 16, "systemPrompt": "\(systemPrompt)" } }
        }
        """
    }
}
