// Sources/Runtime/Metrics/HTTPMetricsMiddleware.swift - every HTTP answer counted by route and status

import Hummingbird

/// Counts HTTP requests by the router's pattern for the route (`/v1/chat/completions`, `/hooks/{name}`…, never
/// the raw path, so the label set stays bounded) and the status answered, errors thrown as responses included.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MetricsRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.http(route: context.endpointPath ?? "unmatched", status: response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            metrics.http(route: context.endpointPath ?? "unmatched", status: error.status.code)
            throw error
        }
    }
}
