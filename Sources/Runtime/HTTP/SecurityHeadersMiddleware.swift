// Sources/Runtime/HTTP/SecurityHeadersMiddleware.swift - the baseline headers every HTTP answer carries

import HTTPTypes
import Hummingbird

/// Upstream's baseline: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
/// `Permissions-Policy: camera=(), geolocation=()` on every response, errors included.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), geolocation=()"
        return response
    }
}
