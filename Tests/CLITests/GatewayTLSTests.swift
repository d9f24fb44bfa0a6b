// Tests/CLITests/GatewayTLSTests.swift - TLS on the gateway's one port: generated certificate, wss:// and https://, pinning

import AsyncHTTPClient
import Foundation
import Generated
import NIOSSL
import Runtime
import Testing

/// A real gateway process with `gateway.tls.enabled`, reached over wss:// and https:// on loopback.
@Suite("gateway TLS", .serialized)
struct GatewayTLSTests {
    static let token = "t0k-tls"

    /// Starts a TLS gateway in `sandbox` and returns it with the fingerprint it logged.
    private func start(_ sandbox: Sandbox, port: Int) async throws -> (OpenClawProcess, String) {
        try sandbox.writeConfig(#"{ gateway: { mode: "local", port: \#(port), auth: { token: "\#(Self.token)" }, tls: { enabled: true } } }"#)
        let gateway = try await OpenClawProcess(["gateway"], environment: try sandbox.isolatedEnvironment(port: port))
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        let line = try #require(gateway.text.split(separator: "\n").first { $0.contains("certificate SHA-256 fingerprint") }, "\(gateway.text)")
        let fingerprint = String(line.split(separator: " ").last ?? "")
        return (gateway, fingerprint)
    }

    private func options(port: Int, pin: String?) -> GatewayClientOptions {
        var options = GatewayClientOptions(url: "wss://127.0.0.1:\(port)", token: Self.token)
        options.clientId = .gatewayClient
        options.clientMode = .backend
        options.scopes = ["operator.read"]
        options.tlsFingerprint = pin
        return options
    }

    @Test(.timeLimit(.minutes(2)))
    func aGeneratedCertificateServesWebSocketAndHTTPAndIsPinnedByFingerprint() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let (gateway, fingerprint) = try await start(sandbox, port: port)

        // Generated once, in-process; the key is private; the log names the wss:// address and the fingerprint.
        let certPath = sandbox.stateDir + "/gateway/tls/gateway-cert.pem"
        let keyPath = sandbox.stateDir + "/gateway/tls/gateway-key.pem"
        #expect(gateway.text.contains("gateway tls: generated a self-signed certificate at \(certPath)"))
        #expect(gateway.text.contains("[gateway] listening on wss://127.0.0.1:\(port)"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let certificate = try #require(try NIOSSLCertificate.fromPEMFile(certPath).first)
        #expect(TLSFingerprint.normalize(fingerprint) == TLSFingerprint.hex(of: certificate))
        #expect(fingerprint.count == 95, "AB:CD:… with 32 pairs: \(fingerprint)")

        // wss:// with the pin in any of upstream's spellings.
        for pin in [fingerprint, "sha256:" + TLSFingerprint.hex(of: certificate), TLSFingerprint.hex(of: certificate).uppercased()] {
            let client = try await GatewayClient.connect(options(port: port, pin: pin))
            #expect(client.hello.server.version.isEmpty == false)
            let health = try await client.request("health")
            #expect(health["ok"] == true)
            await client.close()
        }

        // A wrong pin, and no pin at all (the system's roots do not know a self-signed certificate), are refused.
        let wrong = String(repeating: "ab", count: 32)
        await #expect {
            _ = try await GatewayClient.connect(options(port: port, pin: wrong))
        } throws: { error in
            "\(error)".contains("TLS certificate fingerprint mismatch: expected \(wrong), the gateway presented \(TLSFingerprint.hex(of: certificate))")
        }
        await #expect {
            _ = try await GatewayClient.connect(options(port: port, pin: nil))
        } throws: { error in
            "\(error)".contains("wss:// to an IP address needs the gateway's certificate fingerprint (gateway.remote.tlsFingerprint)")
        }

        // https:// serves the HTTP routes on the same port; plain HTTP gets no answer from a TLS port.
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let response = try await client.execute(HTTPClientRequest(url: "https://localhost:\(port)/healthz"), timeout: .seconds(10))
            #expect(response.status.code == 200)
            #expect(String(buffer: try await response.body.collect(upTo: 1 << 16)) == #"{"ok":true,"status":"live"}"#)
            let index = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/"), timeout: .seconds(10))
            #expect(index.status.code == 200, "the Control UI over https, its IP in the certificate's names")
            await #expect(throws: (any Error).self) {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
            }
        } catch {
            Issue.record("https request failed: \(error)")
        }
        try await client.shutdown()

        // A restart keeps the certificate (and so the pin).
        await gateway.stop()
        let (again, sameFingerprint) = try await start(sandbox, port: port)
        #expect(sameFingerprint == fingerprint)
        #expect(!again.text.contains("generated a self-signed certificate"))
        await again.stop()
    }

    /// The CLI on the gateway's machine pins the local certificate on its own; a remote CLI (another state dir,
    /// reaching the gateway through this machine's LAN address, so a remote peer) pins
    /// `gateway.remote.tlsFingerprint`, is paired once and then works.
    @Test(.timeLimit(.minutes(2)), LANAddress.required)
    func theCLIPinsTheLocalCertificateAndARemoteCLIIsPairedOverTLS() async throws {
        let host = try Sandbox()
        let laptop = try Sandbox()
        defer {
            host.remove()
            laptop.remove()
        }
        let port = Sandbox.freePort()
        try host.writeConfig(
            #"{ gateway: { mode: "local", bind: "lan", port: \#(port), auth: { token: "\#(Self.token)" }, tls: { enabled: true }, controlUi: { allowedOrigins: ["https://localhost"] } } }"#
        )
        let hostEnv = try host.isolatedEnvironment(port: port)
        let gateway = try await OpenClawProcess(["gateway"], environment: hostEnv)
        defer { Task { await gateway.stop() } }
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")
        let line = try #require(gateway.text.split(separator: "\n").first { $0.contains("certificate SHA-256 fingerprint") })
        let fingerprint = String(line.split(separator: " ").last ?? "")

        let local = try await OpenClawProcess(["health"], environment: hostEnv)
        #expect(await local.wait() == 0, "\(local.text)")
        #expect(local.text.contains("Gateway: ok (wss://127.0.0.1:\(port)"), "\(local.text)")

        let url = "wss://\(LANAddress.ipv4!):\(port)"
        func remoteConfig(pin: String) throws {
            try laptop.writeConfig(#"{ gateway: { mode: "remote", remote: { url: "\#(url)", token: "\#(Self.token)", tlsFingerprint: "\#(pin)" } } }"#)
        }
        try remoteConfig(pin: "sha256:" + String(repeating: "0", count: 64))
        let mismatch = try await OpenClawProcess(["health"], environment: laptop.environment())
        #expect(await mismatch.wait() == 1)
        #expect(mismatch.text.contains("TLS certificate fingerprint mismatch"), "\(mismatch.text)")

        try remoteConfig(pin: fingerprint)
        let first = try await OpenClawProcess(["health"], environment: laptop.environment())
        #expect(await first.wait() == 1)
        #expect(first.text.contains("pairing required: the gateway at \(url) has not approved this device"), "\(first.text)")
        let requestId = try #require(first.text.range(of: "openclaw devices approve ").map { String(first.text[$0.upperBound...].prefix { !$0.isWhitespace }) })

        let approve = try await OpenClawProcess(["devices", "approve", requestId], environment: hostEnv)
        #expect(await approve.wait() == 0, "\(approve.text)")
        let paired = try await OpenClawProcess(["health"], environment: laptop.environment())
        #expect(await paired.wait() == 0, "\(paired.text)")
        #expect(paired.text.contains("Gateway: ok (\(url)"), "\(paired.text)")
    }

    @Test(.timeLimit(.minutes(1)))
    func missingFilesWithoutAutoGenerateRefuseToStart() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        try sandbox.writeConfig(
            #"{ gateway: { mode: "local", port: \#(port), auth: { token: "t" }, tls: { enabled: true, autoGenerate: false, certPath: "~/c.pem", keyPath: "~/k.pem" } } }"#
        )
        let gateway = try await OpenClawProcess(["gateway"], environment: try sandbox.isolatedEnvironment(port: port))
        #expect(await gateway.wait() == 1)
        #expect(gateway.text.contains("gateway.tls is enabled but \(sandbox.home)/c.pem and \(sandbox.home)/k.pem do not exist"), "\(gateway.text)")
    }
}
