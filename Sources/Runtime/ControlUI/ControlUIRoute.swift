// Sources/Runtime/ControlUI/ControlUIRoute.swift - the Control UI's HTTP surface: the app, its assets, SPA fallback

import Foundation
import Generated
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the Control UI (reference/http.md §5) at `/` or `gateway.controlUi.basePath`, reading the
/// config per request. GET and HEAD only; every other GET path under the base answers `index.html`
/// (the app routes on the client), `..` segments answer 404. Registered as the catch-all, so any
/// route another stage registers wins on its own path.
enum ControlUIRoute {
    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        let handler: @Sendable (Request, GatewayRequestContext) async throws -> Response = { request, _ in
            respond(to: request, config: hub.config.withLock { $0.config.gateway?.controlUi }, assets: ControlUIAssets.shipped)
        }
        for path in ["/", "/**"] {
            router.on(RouterPath(path), method: .get, use: handler)
            router.on(RouterPath(path), method: .head, use: handler)
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
