// Sources/Runtime/Diagnostics/OTel/HTTPTracingMiddleware.swift - a server span per HTTP request, joined to the caller's trace

import HTTPTypes
import Hummingbird
import Tracing

/// One server span per HTTP request, named `METHOD /route/pattern` once the router matched it, with the status
/// answered; 5xx answers mark it failed. A `traceparent` (and `tracestate`) header from the caller makes it a child
/// of the caller's span, so the gateway's spans (the request, the run it starts, the model calls) join that trace.
///
/// Hummingbird's own `TracingMiddleware` records through the process-global `InstrumentationSystem`, which this
/// gateway does not use (see `GatewayTracer`), and records the query string, where a hook's token may travel.
/// A streaming answer's span ends when its body has been written, so the span covers the whole stream.
struct HTTPTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: GatewayTracer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        let span = tracer.start(GatewaySpans.http(method: method, route: nil), kind: .server, parent: parent)
        span.set { attributes in
            attributes["http.request.method"] = method
            attributes["url.path"] = request.uri.path
            attributes["user_agent.original"] = request.headers[.userAgent]
        }
        do {
            var response = try await span.run { try await next(request, context) }
            finish(span, method: method, route: context.endpointPath, status: Int(response.status.code))
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer { span.end() }
                try await body.write(writer)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(span, method: method, route: context.endpointPath, status: Int(status))
            span.end()
            throw error
        }
    }

    private func finish(_ span: GatewaySpan, method: String, route: String?, status: Int) {
        span.rename(GatewaySpans.http(method: method, route: route ?? "unmatched"))
        span.set { attributes in
            attributes["http.route"] = route
            attributes["http.response.status_code"] = status
        }
        if status >= 500 { span.fail("HTTP \(status)") }
    }
}

/// Reads W3C trace-context headers from a request's fields.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}
