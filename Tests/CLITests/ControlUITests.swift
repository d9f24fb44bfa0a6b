// Tests/CLITests/ControlUITests.swift - the Control UI over HTTP: serving, caching and security headers, origins, start-up, dashboard

import AsyncHTTPClient
import Foundation
import Generated
import HTTPTypes
import NIOCore
import NIOHTTP1
import Runtime
import TestUpstream
import Testing

/// The Control UI's HTTP surface and its guards, against a real `openclaw gateway` process.
@Suite("control UI", .serialized)
struct ControlUITests {
    // MARK: - HTTP

    private func get(_ url: String, method: HTTPMethod = .GET) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            var request = HTTPClientRequest(url: url)
            request.method = method
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            try await client.shutdown()
            return (Int(response.status.code), response.headers, String(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func servesTheAppWithCachingAndSecurityHeaders() async throws {
        let stack = try await ControlUIStack.start()
        defer { Task { await stack.stop() } }
        let index = try await get(stack.base + "/")
        #expect(index.status == 200)
        #expect(index.headers["Content-Type"].first == "text/html; charset=utf-8")
        #expect(index.headers["Cache-Control"].first == "no-cache")
        #expect(index.headers["X-Frame-Options"].first == "DENY")
        #expect(index.headers["Content-Security-Policy"].first?.contains("frame-ancestors 'none'") == true)
        #expect(index.headers["X-Content-Type-Options"].first == "nosniff")
        #expect(index.body.contains(#"<base href="/">"#))

        // The app's own routes and any unknown path get the app (it routes on the client).
        let deep = try await get(stack.base + "/chat/some/deep/link")
        #expect(deep.status == 200 && deep.body == index.body)

        let script = try #require(index.body.range(of: #"assets/[0-9a-f]{12}/app\.js"#, options: .regularExpression).map { String(index.body[$0]) })
        let asset = try await get(stack.base + "/" + script)
        #expect(asset.status == 200)
        #expect(asset.headers["Content-Type"].first == "text/javascript; charset=utf-8")
        #expect(asset.headers["Cache-Control"].first == "public, max-age=31536000, immutable")
        #expect(asset.body.contains("import"))
        let stale = try await get(stack.base + "/assets/000000000000/app.js")
        #expect(stale.status == 200 && stale.headers["Cache-Control"].first == "no-cache")
        #expect(try await get(stack.base + "/assets/\(script.split(separator: "/")[1])/missing.js").status == 404)

        let head = try await get(stack.base + "/", method: .HEAD)
        #expect(head.status == 200 && head.body.isEmpty && head.headers["Content-Length"].first == String(index.body.utf8.count))

        // Traversal (raw and percent-encoded) and upstream's old /ui mount answer 404; probes keep their routes.
        #expect(try await get(stack.base + "/assets/x/%2e%2e/%2e%2e/etc/passwd").status == 404)
        #expect(try await rawStatus(port: stack.port, path: "/assets/x/../../../etc/passwd") == 404)
        #expect(try await get(stack.base + "/ui/").status == 404)
        #expect(try await get(stack.base + "/healthz").body == #"{"ok":true,"status":"live"}"#)
    }

    @Test(.timeLimit(.minutes(1)))
    func basePathRedirectsAndScopesTheApp() async throws {
        let stack = try await ControlUIStack.start(controlUi: #"{ basePath: "/openclaw/" }"#)
        defer { Task { await stack.stop() } }
        let bare = try await get(stack.base + "/openclaw?x=1")
        #expect(bare.status == 302 && bare.headers["Location"].first == "/openclaw/?x=1")
        let index = try await get(stack.base + "/openclaw/")
        #expect(index.status == 200 && index.body.contains(#"<base href="/openclaw/">"#))
        #expect(try await get(stack.base + "/openclaw/logs").status == 200)
        #expect(try await get(stack.base + "/").status == 404)
        #expect(try await get(stack.base + "/other").status == 404)
    }

    /// Upstream answers other methods on the UI's paths with 405 and `Allow: GET, HEAD`; API routes keep theirs.
    @Test(.timeLimit(.minutes(1)))
    func otherMethodsOnUIPathsAnswer405() async throws {
        let stack = try await ControlUIStack.start(controlUi: #"{ basePath: "/openclaw" }"#)
        defer { Task { await stack.stop() } }
        for method: HTTPMethod in [.POST, .PUT, .PATCH, .DELETE] {
            for path in ["/openclaw/", "/openclaw/chat", "/openclaw/assets/x/app.js"] {
                let answer = try await get(stack.base + path, method: method)
                #expect(answer.status == 405, "\(method) \(path)")
                #expect(answer.headers["Allow"].first == "GET, HEAD", "\(method) \(path)")
                #expect(answer.body == "Method Not Allowed")
            }
        }
        // Outside the UI's base: still 404. An API route answers its own way (401 without the token).
        #expect(try await get(stack.base + "/other", method: .POST).status == 404)
        #expect(try await get(stack.base + "/tools/invoke", method: .POST).status == 401)
    }

    @Test(.timeLimit(.minutes(1)))
    func disabledUIAnswers404() async throws {
        let stack = try await ControlUIStack.start(controlUi: "{ enabled: false }")
        defer { Task { await stack.stop() } }
        let index = try await get(stack.base + "/")
        #expect(index.status == 404 && index.body == "Not Found")
    }

    /// Sends a request line as is (clients normalise `..` away before sending).
    private func rawStatus(port: Int, path: String) async throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CDPError("connect failed") }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &buffer, buffer.count, 0)
        let line = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    // MARK: - Origins and start-up

    @Test(.timeLimit(.minutes(1)))
    func browserOriginsAreChecked() async throws {
        let stack = try await ControlUIStack.start(controlUi: #"{ allowedOrigins: ["https://console.example.com"] }"#)
        defer { Task { await stack.stop() } }
        let refusal = "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)"

        let evil = try await stack.connectAsControlUI(origin: "https://evil.example.com")
        #expect(evil.response["ok"] == false)
        #expect(evil.response["error"]?["message"]?.stringValue == refusal)
        #expect(evil.response["error"]?["details"]?["code"] == "CONTROL_UI_ORIGIN_NOT_ALLOWED")
        #expect(evil.close == .close(code: 1008, reason: refusal))

        // The Control UI without any Origin (not a browser page) is refused too: upstream requires one.
        #expect(try await stack.connectAsControlUI(origin: nil).response["error"]?["message"]?.stringValue == refusal)
        // Allowed: the configured origin, and loopback pages from this (loopback) client.
        #expect(try await stack.connectAsControlUI(origin: "https://console.example.com").response["ok"] == true)
        #expect(try await stack.connectAsControlUI(origin: "http://localhost:5173").response["ok"] == true)
        #expect(try await stack.connectAsControlUI(origin: "http://127.0.0.1:\(stack.port)").response["ok"] == true)
        #expect(await stack.gateway.waitForOutput("origin not allowed"))
    }

    /// Upstream's cross-site WebSocket hijacking fix: the origin is checked for every socket that carries a
    /// browser `Origin`, whatever client it claims to be. Non-browser clients (no Origin, or swift-websocket's
    /// `ws://host`) are not checked.
    @Test(.timeLimit(.minutes(1)))
    func everyClientWithABrowserOriginIsChecked() async throws {
        let stack = try await ControlUIStack.start(controlUi: #"{ allowedOrigins: ["https://console.example.com"] }"#)
        defer { Task { await stack.stop() } }
        let refusal = "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)"
        let backend: JSONValue = ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"]
        let cli: JSONValue = ["id": "cli", "version": "1", "platform": "linux", "mode": "cli"]

        for client in [backend, cli] {
            let evil = try await stack.connect(origin: "https://evil.example.com", client: client)
            #expect(evil.response["error"]?["message"]?.stringValue == refusal, "\(evil.response.text)")
            #expect(evil.response["error"]?["details"]?["code"] == "CONTROL_UI_ORIGIN_NOT_ALLOWED")
            #expect(evil.close == .close(code: 1008, reason: refusal))
            #expect(try await stack.connect(origin: "null", client: client).response["error"]?["message"]?.stringValue == refusal)
            // Allowed pages, loopback pages on a loopback socket, and clients that are not browsers.
            #expect(try await stack.connect(origin: "https://console.example.com", client: client).response["ok"] == true)
            #expect(try await stack.connect(origin: "http://localhost:5173", client: client).response["ok"] == true)
            #expect(try await stack.connect(origin: nil, client: client).response["ok"] == true)
            #expect(try await stack.connect(origin: "ws://127.0.0.1", client: client).response["ok"] == true)
        }
    }

    /// Failed auth from a browser origin is limited even on loopback (exempt for other clients by default),
    /// per page origin: a page on the operator's machine cannot brute-force the token.
    @Test(.timeLimit(.minutes(1)))
    func browserAuthFailuresAreRateLimitedOnLoopback() async throws {
        let stack = try await ControlUIStack.start(controlUi: #"{ allowedOrigins: ["https://console.example.com"] }"#)
        defer { Task { await stack.stop() } }
        let backend: JSONValue = ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"]
        let limit = AuthRateLimit.defaults.maxAttempts
        for attempt in 1...limit {
            let wrong = try await stack.connect(origin: "http://localhost:5173", client: backend, token: "wrong")
            #expect(wrong.response["error"]?["details"]?["code"] == "AUTH_TOKEN_MISMATCH", "attempt \(attempt): \(wrong.response.text)")
        }
        let limited = try await stack.connect(origin: "http://localhost:5173", client: backend, token: "wrong")
        #expect(limited.response["error"]?["details"]?["code"] == "AUTH_RATE_LIMITED", "\(limited.response.text)")
        #expect(limited.response["error"]?["retryAfterMs"]?.intValue ?? 0 > 0)
        // Even the right token waits out the lockout from that page …
        #expect(try await stack.connect(origin: "http://localhost:5173", client: backend).response["error"]?["details"]?["code"] == "AUTH_RATE_LIMITED")
        // … while another page, and the loopback client without an Origin (exempt by default), are not affected.
        #expect(try await stack.connect(origin: "https://console.example.com", client: backend).response["ok"] == true)
        for _ in 0...limit {
            _ = try await stack.connect(origin: nil, client: backend, token: "wrong")
        }
        #expect(try await stack.connect(origin: nil, client: backend).response["ok"] == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func nonLoopbackBindWithoutAllowedOriginsRefusesToStart() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(#"{ gateway: { mode: "local", port: \#(Sandbox.freePort()), auth: { token: "t" } } }"#)
        let gateway = try await OpenClawProcess(["gateway", "--bind", "lan"], environment: sandbox.environment())
        #expect(await gateway.wait() == 1)
        #expect(
            gateway.text.contains(
                "Gateway failed to start: Error: non-loopback Control UI requires gateway.controlUi.allowedOrigins (set explicit origins), or set gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback=true to use Host-header origin fallback mode"
            ), "\(gateway.text)")
    }

    @Test(.timeLimit(.minutes(1)))
    func dashboardPrintsTheURLWithTheToken() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.writeConfig(#"{ gateway: { mode: "local", port: 19123, auth: { token: "a b+c" }, controlUi: { basePath: "/oc" } } }"#)
        let dashboard = try await OpenClawProcess(["dashboard", "--no-open"], environment: sandbox.environment())
        #expect(await dashboard.wait() == 0)
        #expect(dashboard.text.hasPrefix("Dashboard URL: http://127.0.0.1:19123/oc/#token=a%20b%2Bc\n"), "\(dashboard.text)")
    }
}
