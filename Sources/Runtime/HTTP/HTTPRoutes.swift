// Sources/Runtime/HTTP/HTTPRoutes.swift - every HTTP route on the gateway's one port, in upstream's order

import Hummingbird

/// Registers the HTTP surface (reference/http.md §0). Paths do not overlap, so the router's
/// matching gives upstream's stage order; disabled endpoints answer the plain 404 themselves.
enum HTTPRoutes {
    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        HooksRoute.register(on: router, hub: hub)
        ToolsInvokeRoute.register(on: router, hub: hub)
        ResponsesRoute.register(on: router, hub: hub)
        ChatCompletionsRoute.register(on: router, hub: hub)
        HTTPProbes.register(on: router, hub: hub)
        MetricsRoute.register(on: router, hub: hub)
        ControlUIRoute.register(on: router, hub: hub)
    }
}
