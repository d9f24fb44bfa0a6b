// Tests/CLITests/GatewayProcessTests.swift - a real gateway process: token bootstrap, CLI calls, port guard, signals

import Foundation
import Generated
import Runtime
import Testing

@Suite("gateway process", .serialized)
struct GatewayProcessTests {
    /// Starts `openclaw gateway --allow-unconfigured` on a free port and waits until it is ready.
    private func startGateway(_ sandbox: Sandbox, port: Int, extra: [String] = [], env: [String: String] = [:]) async throws -> OpenClawProcess {
        let gateway = try await OpenClawProcess(["gateway", "--allow-unconfigured", "--port", String(port)] + extra, environment: sandbox.environment(env))
        let ready = await gateway.waitForOutput("[gateway] ready")
        #expect(ready, "gateway did not become ready:\n\(gateway.text)")
        return gateway
    }

    @Test func generatedTokenIsPersistedAndTheCLIUsesIt() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let gateway = try await startGateway(sandbox, port: port)
        #expect(gateway.text.contains("Gateway auth token was missing. Generated a new token and saved it to config (gateway.auth.token)."))
        let config = try ConfigLoader(environment: [:]).load(path: sandbox.configPath)
        let token = try #require(config.config.gateway?.auth?.token)
        #expect(token.count == 48)

        let health = try await OpenClawProcess(["health"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await health.wait() == 0, "\(health.text)")
        #expect(health.text.contains("Gateway: ok (ws://127.0.0.1:\(port)"))

        let json = try await OpenClawProcess(["health", "--json"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await json.wait() == 0)
        let summary = try JSONDecoder().decode(HealthSummary.self, from: Data(json.text.utf8))
        #expect(summary.ok)

        let call = try await OpenClawProcess(
            ["gateway", "call", "system-event", "--params", #"{"text":"from the cli"}"#, "--json"],
            environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await call.wait() == 0, "\(call.text)")
        #expect(call.text.contains(#"{"ok":true}"#))

        let presence = try await OpenClawProcess(
            ["gateway", "call", "system-presence"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await presence.wait() == 0)
        #expect(presence.text.contains("from the cli"))

        // --protocol pins the version offered in connect; both versions answer, anything else is refused up front.
        for version in ["3", "4"] {
            let pinned = try await OpenClawProcess(
                ["gateway", "call", "health", "--protocol", version, "--json"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
            #expect(await pinned.wait() == 0, "v\(version): \(pinned.text)")
            #expect(pinned.text.contains(#""ok":true"#), "v\(version): \(pinned.text)")
        }
        let unsupported = try await OpenClawProcess(
            ["gateway", "call", "health", "--protocol", "5"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await unsupported.wait() != 0)
        #expect(unsupported.text.contains("--protocol must be one of 3, 4, not 5"), "\(unsupported.text)")

        let denied = try await OpenClawProcess(
            ["gateway", "call", "no.such.method"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await denied.wait() == 1)
        #expect(denied.text.contains("no.such.method failed: INVALID_REQUEST: unknown method: no.such.method"))

        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
        #expect(gateway.text.contains("received SIGTERM; shutting down"))
    }

    @Test func theCLIFailsFastNamingTheURLAndTheReason() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let unreachable = try await OpenClawProcess(["health", "--timeout", "3000"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await unreachable.wait() == 1)
        #expect(unreachable.text.contains("gateway not reachable at ws://127.0.0.1:\(port): connection refused"), "\(unreachable.text)")

        // `gateway call` checks a known method's params as the server would, before connecting (nothing listens yet).
        let badParams = try await OpenClawProcess(
            ["gateway", "call", "agent", "--params", #"{"message":"hi"}"#], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await badParams.wait() == 1)
        #expect(badParams.text.contains("agent failed: INVALID_REQUEST: invalid agent params:"), "\(badParams.text)")
        #expect(badParams.text.contains("idempotencyKey"), "\(badParams.text)")
        #expect(!badParams.text.contains("not reachable"), "\(badParams.text)")

        let gateway = try await startGateway(sandbox, port: port, extra: ["--token", "right-token"])
        let wrong = try await OpenClawProcess(["health", "--token", "wrong-token"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await wrong.wait() == 1)
        #expect(wrong.text.contains("gateway at ws://127.0.0.1:\(port) rejected the connection [auth]"), "\(wrong.text)")
        #expect(wrong.text.contains("unauthorized: gateway token mismatch (set gateway.remote.token to match gateway.auth.token)"))

        let explicit = try await OpenClawProcess(["health", "--url", "ws://127.0.0.1:\(port)"], environment: sandbox.environment())
        #expect(await explicit.wait() != 0)
        #expect(explicit.text.contains("--url needs --token or --password"))
        await gateway.stop()
    }

    @Test func clientsGetShutdownThen1012OnSIGTERM() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let gateway = try await startGateway(sandbox, port: port, extra: ["--token", "t0k"])
        let client = try await GatewayClient.connect(GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: "t0k", identity: DeviceIdentity()))
        #expect(client.hello.auth?.scopes.contains("operator.admin") == true)
        gateway.signal(SIGTERM)
        var shutdown: EventFrame?
        for await event in client.events where event.event == "shutdown" {
            shutdown = event
            break
        }
        #expect(shutdown?.payload == ["reason": "gateway stopping", "restartExpectedMs": .null])
        #expect(await gateway.wait() == 0)
        do {
            _ = try await client.request("health")
            Issue.record("a request after shutdown should fail")
        } catch {
            #expect("\(error)".contains("closed the connection"), "\(error)")
        }
        await client.close()
    }

    /// A socket that never answers the close keeps the drain going until its grace: a second SIGTERM meanwhile is
    /// logged and ignored, and the process still ends on its own, with status 0.
    @Test func aSecondSignalDuringTheDrainIsIgnored() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let gateway = try await startGateway(sandbox, port: port, extra: ["--token", "t0k"])
        let silent = try SilentWebSocket(port: port)
        defer { silent.close() }
        gateway.signal(SIGTERM)
        #expect(await gateway.waitForOutput("received SIGTERM; shutting down"))
        gateway.signal(SIGINT)
        #expect(await gateway.waitForOutput("received SIGINT during shutdown; ignoring"), "\(gateway.text)")
        #expect(await gateway.wait(timeout: .seconds(30)) == 0, "\(gateway.text)")
    }

    @Test func aTakenPortIsReportedAndForceTakesItOver() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let first = try await startGateway(sandbox, port: port, extra: ["--token", "one"])
        // Same config path: skip the gateway lock (which would refuse first) so the port guard is what answers.
        let second = try await OpenClawProcess(
            ["gateway", "--allow-unconfigured", "--port", String(port), "--token", "two"],
            environment: sandbox.environment(["OPENCLAW_ALLOW_MULTI_GATEWAY": "1"]))
        #expect(await second.wait() == 0, "already listening exits 0 so supervisors do not crash-loop")
        #expect(second.text.contains("another gateway instance is already listening on ws://127.0.0.1:\(port)"), "\(second.text)")

        let third = try await startGateway(sandbox, port: port, extra: ["--token", "three", "--force"])
        #expect(third.text.contains("force: killed pid \(first.pid)"), "\(third.text)")
        _ = await first.wait()
        let health = try await OpenClawProcess(["health", "--token", "three"], environment: sandbox.environment(["OPENCLAW_GATEWAY_PORT": String(port)]))
        #expect(await health.wait() == 0, "\(health.text)")
        await third.stop()
    }

    @Test func probesAnswerOverHTTP() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let gateway = try await startGateway(sandbox, port: port)
        for path in ["/health", "/healthz"] {
            let (data, response) = try await HTTP.get("http://127.0.0.1:\(port)\(path)")
            #expect(response == 200)
            #expect(String(decoding: data, as: UTF8.self) == #"{"ok":true,"status":"live"}"#)
        }
        let (ready, status) = try await HTTP.get("http://127.0.0.1:\(port)/readyz")
        #expect(status == 200)
        #expect(String(decoding: ready, as: UTF8.self).hasPrefix(#"{"ready":true,"failing":[]"#))
        // Unknown GET paths belong to the Control UI (on by default); its old `/ui/` mount falls through to the plain 404.
        #expect(try await HTTP.get("http://127.0.0.1:\(port)/ui/nothing-here").status == 404)
        await gateway.stop()
    }
}

/// A minimal HTTP/1.1 GET over a plain socket (the test bundle avoids URLSession).
enum HTTP {
    static func get(_ url: String) async throws -> (body: Data, status: Int) {
        let components = URLComponents(string: url)!
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(components.port!).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET \(components.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (Data(body.utf8), status)
    }
}

/// A WebSocket that upgrades and then never reads or writes again (so never answers a close frame).
private final class SilentWebSocket: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0, String(decoding: buffer.prefix(count), as: UTF8.self).hasPrefix("HTTP/1.1 101") else { throw POSIXError(.EPROTO) }
    }

    func close() { _ = Glibc.close(fd) }
}
