// Sources/Runtime/ControlUI/ControlUIRoute.swift - the Control UI's HTTP surface: the app, its assets, SPA fallback

import Foundation
import Generated
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the Control UI (reference/http.md §5) at `/` or `gateway.controlUi.basePath`, reading the
/// config per request. GET and HEAD only (other methods on its paths answer 405 with `Allow: GET, HEAD`, as
/// upstream); every other GET path under the base answers `index.html` (the app routes on the client), `..`
/// segments answer 404. Registered as the catch-all, so any route another stage registers wins on its own path.
enum ControlUIRoute {
    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        let handler: @Sendable (Request, GatewayRequestContext) async throws -> Response = { request, _ in
            respond(to: request, config: hub.config.withLock { $0.config.gateway?.controlUi }, assets: ControlUIAssets.shipped)
        }
        for path in ["/", "/**"] {
            for method: HTTPRequest.Method in [.get, .head, .post, .put, .patch, .delete] {
                router.on(RouterPath(path), method: method, use: handler)
            }
        }
    }

    /// The answer for one request; pure so tests can call it without a socket.
    static func respond(to request: Request, config: GatewayControlUiConfig?, assets: ControlUIAssets?) -> Response {
        guard config?.enabled ?? true else { return HTTPJSON.notFound() }
        let base = normalizedBasePath(config?.basePath)
        guard let path = request.uri.path.removingPercentEncoding else { return HTTPJSON.notFound() }
        var relative = path
        if !base.isEmpty {
            if path == base {
                let query = request.uri.query.map { "?" + $0 } ?? ""
                return Response(status: .found, headers: [.location: base + "/" + query])
            }
            guard path.hasPrefix(base + "/") else { return HTTPJSON.notFound() }
            relative = String(path.dropFirst(base.count))
        } else if path == "/ui" || path.hasPrefix("/ui/") {
            // Upstream's old mount point; without a base path it is not the app.
            return HTTPJSON.notFound()
        }
        // Other methods on the app's paths answer 405; the API surfaces' prefixes stay 404 when no route took them
        // (hooks disabled or on another path, an unknown /v1 or /tools path).
        guard request.method == .get || request.method == .head else {
            if base.isEmpty, let first = segments(of: relative).first, apiPrefixes.contains(first) { return HTTPJSON.notFound() }
            return Response(
                status: .methodNotAllowed, headers: [.allow: "GET, HEAD", .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Method Not Allowed"))
            )
        }
        let segments = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") || $0.contains("\0") }) else {
            return HTTPJSON.notFound()
        }
        guard let assets else {
            return HTTPJSON.text(
                "Control UI assets not found. Rebuild the gateway (swift build) so openclaw-gateway_Runtime.resources sits next to the binary, or set OPENCLAW_CONTROL_UI_DIR.",
                status: .serviceUnavailable
            )
        }
        let isHead = request.method == .head
        if segments.first == "assets" {
            guard segments.count >= 3, let file = assets.files[segments[2...].joined(separator: "/")] else { return HTTPJSON.notFound() }
            // A stale version still gets today's file, but only for revalidation, never for a year.
            let cache = segments[1] == assets.version ? "public, max-age=31536000, immutable" : "no-cache"
            return serve(file.bytes, type: file.contentType, cache: cache, head: isHead)
        }
        return serve(assets.index(basePath: base), type: "text/html; charset=utf-8", cache: "no-cache", head: isHead)
    }

    /// First path segments that belong to the HTTP APIs, never to the app (without a base path).
    static let apiPrefixes: Set<String> = ["hooks", "v1", "tools", "api"]

    private static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// `/openclaw/` → `/openclaw`; `""`, `/` and nil → `""`.
    static func normalizedBasePath(_ raw: String?) -> String {
        var base = (raw ?? "").trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if !base.isEmpty && !base.hasPrefix("/") { base = "/" + base }
        return base
    }

    private static func serve(_ bytes: Data, type: String, cache: String, head: Bool) -> Response {
        var headers = ControlUIHeaders.fields
        headers[.contentType] = type
        headers[.cacheControl] = cache
        headers[.contentLength] = String(bytes.count)
        let body = head ? ByteBuffer() : ByteBuffer(bytes: bytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
