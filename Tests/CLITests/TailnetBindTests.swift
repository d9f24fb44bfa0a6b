// Tests/CLITests/TailnetBindTests.swift - `--bind tailnet` on a machine with or without a Tailscale address

import Foundation
import Testing

@Suite("tailnet bind", .serialized)
struct TailnetBindTests {
    /// Without a 100.64.0.0/10 (or fd7a:115c:a1e0::/48) address the gateway says so and serves loopback; with one
    /// (a machine on a tailnet) it listens there. Upstream fell back silently; this says why.
    @Test(.timeLimit(.minutes(1)))
    func tailnetBindUsesTheTailnetAddressOrWarnsAndFallsBackToLoopback() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(
            #"{ gateway: { mode: "local", port: \#(port), auth: { token: "t" }, controlUi: { allowedOrigins: ["https://example.invalid"] } } }"#
        )
        let gateway = try await OpenClawProcess(["gateway", "--bind", "tailnet"], environment: try sandbox.isolatedEnvironment(port: port))
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        if gateway.text.contains("bind=tailnet: no tailnet address") {
            #expect(
                gateway.text.contains(
                    "bind=tailnet: no tailnet address (100.64.0.0/10 or fd7a:115c:a1e0::/48) on any interface; listening on 127.0.0.1 instead"))
            #expect(gateway.text.contains("[gateway] listening on ws://127.0.0.1:\(port)"))
        } else {
            #expect(
                gateway.text.contains("[gateway] listening on ws://100.") || gateway.text.contains("[gateway] listening on ws://[fd7a:115c:a1e0:"),
                "\(gateway.text)")
        }
        await gateway.stop()
    }
}
