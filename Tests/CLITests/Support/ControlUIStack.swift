// Tests/CLITests/Support/ControlUIStack.swift - a gateway process with the test upstream, for the Control UI tests

import Foundation
import Generated
import TestUpstream
import Testing

/// A real `openclaw gateway` with the scripted upstream as its model and a log file in its sandbox.
struct ControlUIStack {
    static let token = "t0k-control-ui"

    /// Screenshots and the page-load numbers: `.build/<triple>/test-artifacts/control-ui` (or `$OPENCLAW_TEST_ARTIFACTS/control-ui`).
    static let artifacts: String = {
        if let root = ProcessInfo.processInfo.environment["OPENCLAW_TEST_ARTIFACTS"] { return root + "/control-ui" }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardized
        return bundle.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("test-artifacts/control-ui").path
    }()

    var sandbox: Sandbox
    var upstream: FakeModelServer
    var gateway: OpenClawProcess
    var port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    func stop() async {
        await gateway.stop()
        await upstream.stop()
        sandbox.remove()
    }

    /// `controlUi` and `bind` are JSON5 values for `gateway.controlUi` and `gateway.bind` (omitted when empty).
    static func start(
        replies: [FakeModelServer.Reply] = [], controlUi: String = "", bind: String = "", port: Int = Sandbox.freePort()
    ) async throws -> ControlUIStack {
        let sandbox = try Sandbox()
        let upstream = FakeModelServer(replies: replies, fallback: OpenAIScript.text(["(no more scripted replies)"]))
        let baseURL = await upstream.start()
        try sandbox.writeConfig(
            """
            {
              gateway: { mode: "local", port: \(port), auth: { token: "\(Self.token)" }\(controlUi.isEmpty ? "" : ", controlUi: \(controlUi)")\(bind.isEmpty ? "" : ", bind: \(bind)") },
              logging: { file: "\(sandbox.home)/gateway.log" },
              models: { providers: { local: {
                baseUrl: "\(baseURL)", api: "openai-completions", apiKey: "test-key",
                models: [{ id: "test-model", name: "Test Model" }],
              } } },
              agents: { defaults: { model: { primary: "local/test-model" } } },
            }
            """
        )
        let gateway = try await OpenClawProcess(["gateway"], environment: sandbox.environment())
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")
        return ControlUIStack(sandbox: sandbox, upstream: upstream, gateway: gateway, port: port)
    }

    /// Opens a socket with `origin` (or none), sends the Control UI's `connect`; returns the answer and the close.
    func connectAsControlUI(origin: String?) async throws -> (response: JSONValue, close: RawWebSocket.Message?) {
        try await connect(origin: origin, client: ["id": "openclaw-control-ui", "version": "1", "platform": "test", "mode": "webchat"])
    }

    /// A raw upgrade with `origin` (if any) and a `connect` as `client` with `token`; the response and, when
    /// refused, the close.
    func connect(origin: String?, client: JSONValue, token: String = ControlUIStack.token) async throws -> (response: JSONValue, close: RawWebSocket.Message?) {
        let port = self.port
        return try await OffThread.run { try Self.handshake(port: port, origin: origin, client: client, token: token) }
    }

    /// The blocking exchange behind `connect`.
    private static func handshake(port: Int, origin: String?, client: JSONValue, token: String) throws -> (response: JSONValue, close: RawWebSocket.Message?) {
        let socket = try RawWebSocket(port: port, headers: origin.map { ["Origin": $0] } ?? [:])
        guard case .text = try socket.next() else { throw CDPError("no connect.challenge") }
        let connect: JSONValue = [
            "type": "req", "id": "c", "method": "connect",
            "params": [
                "minProtocol": 3, "maxProtocol": 3, "role": "operator", "scopes": ["operator.read"],
                "client": client, "auth": ["token": .string(token)],
            ],
        ]
        try socket.send(connect.text)
        var response: JSONValue = .null
        while true {
            switch try socket.next() {
            case .text(let text):
                guard let frame = try? JSONValue.parse(text), frame["type"] == "res" else { continue }
                response = frame
                if frame["ok"] == true { return (response, nil) }
            case .close(let code, let reason):
                return (response, .close(code: code, reason: reason))
            }
        }
    }
}
