// Sources/Runtime/Server/HTTPProbes.swift - /health, /healthz, /ready, /readyz

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Liveness and readiness probes: no auth, `Cache-Control: no-store`, GET and HEAD only.
enum HTTPProbes {
    static let liveness = ["/health", "/healthz"]
    static let readiness = ["/ready", "/readyz"]
    static let paths = Set(liveness + readiness)

    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        for path in liveness {
            router.on(RouterPath(path), method: .get) { _, _ in json(#"{"ok":true,"status":"live"}"#) }
            router.on(RouterPath(path), method: .head) { _, _ in json(#"{"ok":true,"status":"live"}"#) }
            for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                router.on(RouterPath(path), method: method) { _, _ in methodNotAllowed() }
            }
        }
        for path in readiness {
            let ready: @Sendable (Request, GatewayRequestContext) async throws -> Response = { request, context in
                let isReady = !hub.isShuttingDown
                let local = PeerAddress.from(context.remoteAddress, forwarded: ForwardingHeaders.present(in: request.headers)).isDirectLoopback
                let body =
                    local
                    ? #"{"ready":\#(isReady),"failing":\#(isReady ? "[]" : #"["shutdown"]"#),"uptimeMs":\#(hub.uptimeMs)}"#
                    : #"{"ready":\#(isReady)}"#
                return json(body, status: isReady ? .ok : .serviceUnavailable)
            }
            router.on(RouterPath(path), method: .get, use: ready)
            router.on(RouterPath(path), method: .head, use: ready)
            for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                router.on(RouterPath(path), method: method) { _, _ in methodNotAllowed() }
            }
        }
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }

    static func methodNotAllowed() -> Response {
        Response(
            status: .methodNotAllowed, headers: [.allow: "GET, HEAD", .contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "Method Not Allowed")))
    }
}

/// The request context of every HTTP route: the peer address comes along for local-direct checks.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// Headers that mean a proxy sits in front of the peer (so it is not "local direct").
enum ForwardingHeaders {
    static func present(in headers: HTTPFields) -> Bool {
        headers.contains { field in
            let name = field.name.canonicalName
            return name == "forwarded" || name == "x-real-ip" || name.hasPrefix("x-forwarded-")
        }
    }
}

/// Everything no route claims: upstream's plain 404.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "Not Found")))
        }
    }
}
