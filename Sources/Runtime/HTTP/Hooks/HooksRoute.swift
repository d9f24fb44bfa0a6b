// Sources/Runtime/HTTP/Hooks/HooksRoute.swift - webhook ingress under `hooks.path`

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ProtocolSupport
import Synchronization

/// Upstream's first HTTP stage (reference/http.md §4). `hooks.path` can change at run time, so
/// this is a middleware that claims the hooks paths of the config in force, rather than routes
/// fixed at start-up; everything else (and every path while hooks are off) passes through.
enum HooksRoute {
    /// Register before the other routes: a middleware wraps only the routes added after it.
    static func register(on router: Router<GatewayRequestContext>, hub: GatewayHub) {
        router.add(middleware: HooksMiddleware(hub: hub))
    }
}

struct HooksMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let hub: GatewayHub
    let auth = HooksAuth()
    let warnings = OnceWarnings()

    init(hub: GatewayHub) {
        self.hub = hub
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let settings: HooksSettings
        switch HooksSettings.resolve(hub.config.withLock { $0.config.hooks }) {
        case .off:
            return try await next(request, context)
        case .misconfigured(let warning):
            if warnings.isNew(warning) { hub.logger.warning("[hooks] \(warning)") }
            return try await next(request, context)
        case .on(let resolved):
            settings = resolved
        }
        if case .token(let gatewayToken) = hub.settings.auth, SharedSecretAuth.constantTimeEquals(settings.token, gatewayToken),
            warnings.isNew("hooks.token reuse")
        {
            hub.logger.warning("[hooks] hooks.token is the gateway token; give hooks a secret of their own")
        }
        if !settings.mappingProblems.isEmpty, warnings.isNew(settings.mappingProblems.joined(separator: "; ")) {
            hub.logger.warning("[hooks] mappings left out: \(settings.mappingProblems.joined(separator: "; "))")
        }
        guard let subpath = settings.subpath(of: request.uri.path) else { return try await next(request, context) }
        return await serve(request, context: context, settings: settings, subpath: subpath)
    }

    /// Upstream's order: query token, method, auth, then the sub-path and the body.
    private func serve(_ request: Request, context: Context, settings: HooksSettings, subpath: String) async -> Response {
        if HookQuery.parameters(request.uri.query).contains(where: { $0.name == "token" }) { return HooksResponse.queryToken }
        guard request.method == .post else { return HTTPJSON.methodNotAllowed(allow: "POST") }
        let caller = HTTPCaller.resolve(request, context: context, trustedProxies: hub.trustedProxies)
        if let refusal = auth.check(request, token: settings.token, caller: caller) { return refusal }
        let direct = subpath == "wake" || subpath == "agent"
        guard direct || (!subpath.isEmpty && !settings.mappings.isEmpty) else { return HTTPJSON.notFound() }
        let body: JSONValue
        do {
            body = try await HTTPJSON.object(request, limit: settings.maxBodyBytes, emptyIsObject: true)
        } catch {
            let message = error.status == .contentTooLarge ? "payload too large (hooks.maxBodyBytes is \(settings.maxBodyBytes))" : "invalid JSON body"
            return HookError(status: error.status, message: message).response
        }
        do {
            if subpath == "wake" { return try HookWake(body).perform(hub: hub, settings: settings) }
            if subpath == "agent" {
                return try await HookAgent(body, headers: request.headers, settings: settings).perform(hub: hub, path: settings.basePath + "/agent")
            }
            return try await mapped(request, body: body, settings: settings, subpath: subpath)
        } catch {
            return error.response
        }
    }

    /// `POST <path>/<name>`: the first mapping that matches, or 404.
    private func mapped(_ request: Request, body: JSONValue, settings: HooksSettings, subpath: String) async throws(HookError) -> Response {
        guard let mapping = settings.mappings.first(where: { $0.matches(path: subpath, payload: body) }) else { return HTTPJSON.notFound() }
        if let transform = mapping.transform {
            hub.logger.warning(
                "[hooks] hook mapping failed: mapping \(mapping.id) names transform \(transform); JavaScript transforms do not run in this gateway (use templates)"
            )
            throw HookError(status: .internalServerError, message: "hook mapping failed")
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var query: [String: String] = [:]
        for (name, value) in HookQuery.parameters(request.uri.query) { query[name] = value }
        let context = HookTemplate.Context(payload: body, headers: headers, query: query, path: subpath)
        switch try mapping.apply(context) {
        case .wake(let wake):
            return try wake.perform(hub: hub, settings: settings)
        case .agent(let agentBody):
            var agent = try HookAgent(agentBody, headers: request.headers, settings: settings)
            agent.sessionKeyFromConfig = true
            hub.logger.info("[hooks] \(settings.basePath)/\(subpath) matched mapping \(mapping.id)")
            return try await agent.perform(hub: hub, path: settings.basePath + "/" + subpath)
        }
    }
}

/// Remembers the last misconfiguration warned about, so a bad config is logged once, not per request.
final class OnceWarnings: Sendable {
    private let last = Mutex<String?>(nil)

    func isNew(_ warning: String) -> Bool {
        last.withLock { last in
            defer { last = warning }
            return last != warning
        }
    }
}
