// Sources/Runtime/Metrics/MetricsRoute.swift - GET /metrics, the Prometheus scrape endpoint

import Hummingbird
import NIOCore

/// `GET /metrics` in Prometheus text format (version 0.0.4). Behind the gateway's bearer secret unless
/// `gateway.metrics.public`; off (`gateway.metrics.enabled: false`) it answers 404 like an unknown path. Both are
/// read per scrape.
enum MetricsRoute {
    static let path = "/metrics"

    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        router.get(RouterPath(path)) { request, context -> Response in
            let settings = hub.config.withLock { $0.config.gateway?.metrics }
            guard settings?.enabled ?? true else { return HTTPJSON.notFound() }
            if settings?.public != true, let denial = HTTPGatewayAuth(hub: hub).check(request, context: context) {
                var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
                if let retryAfter = denial.retryAfter { headers[.retryAfter] = String(retryAfter) }
                if denial.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
                return Response(status: denial.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: denial.message + "\n")))
            }
            hub.metrics.channels(hub.channelAccountStates())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: hub.metrics.exposition()))
            )
        }
    }
}
