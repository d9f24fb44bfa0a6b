// Sources/Runtime/HTTP/HTTPBodyProbe.swift - the HTTP routes' body parsing, callable without a server (fuzz targets)

import Foundation
import Generated
import HTTPTypes
import ProtocolSupport

/// Runs the same steps a route takes from request bytes to its typed request, stopping before anything
/// is started: `HTTPJSON.object(parsing:)`, then the route's own reader. The fuzz targets (`FuzzTargets`)
/// feed it mutated bodies; it exists so they exercise the routes' code rather than a copy of it.
package enum HTTPBodyProbe {
    /// The body readers, one per route (the hook mappings are the `gmail` preset and one templated mapping).
    package enum Route: String, CaseIterable, Sendable {
        case chatCompletions = "chat-completions"
        case responses
        case toolsInvoke = "tools-invoke"
        case hookWake = "hook-wake"
        case hookAgent = "hook-agent"
        case hookGmail = "hook-gmail"
        case hookTemplate = "hook-template"
    }

    /// What the route made of the body.
    package enum Outcome: Sendable, Equatable {
        /// Read; the text summarises the typed request (for logs, not compared).
        case accepted(String)
        /// Refused the way the route answers: its status and message.
        case refused(status: Int, message: String)
    }

    /// Parses `body` as `route` does. `template` is the message template of the `hook-template` mapping
    /// (operator config, read from the fuzz input too, so template expressions get mutated as well).
    package static func parse(_ route: Route, body: Data, template: String = "{{payload.text}}") -> Outcome {
        switch route {
        case .chatCompletions:
            return http { () throws(HTTPRouteError) in
                let request = try ChatCompletionsRequest(HTTPJSON.object(parsing: body))
                return "model=\(request.model) stream=\(request.stream) messages=\(request.conversation.messages.count)"
            }
        case .responses:
            return http { () throws(HTTPRouteError) in
                let request = try ResponsesRequest(HTTPJSON.object(parsing: body))
                return "model=\(request.model ?? "-") items=\(request.items.count)"
            }
        case .toolsInvoke:
            let value: JSONValue
            do {
                value = try HTTPJSON.object(parsing: body, emptyIsObject: true)
            } catch {
                return .refused(status: Int(error.status.code), message: error.message)
            }
            do {
                let call = try ToolsInvokeRequest(value)
                return .accepted("tool=\(call.tool) args=\(call.args.count)")
            } catch {
                return .refused(status: Int(error.status.code), message: error.message)
            }
        case .hookWake, .hookAgent, .hookGmail, .hookTemplate:
            return hook(route, body: body, template: template)
        }
    }

    private static func http(_ read: () throws(HTTPRouteError) -> String) -> Outcome {
        do {
            return .accepted(try read())
        } catch {
            return .refused(status: Int(error.status.code), message: error.message)
        }
    }

    private static func hook(_ route: Route, body: Data, template: String) -> Outcome {
        var config = HooksConfig()
        config.enabled = true
        config.token = "probe"
        config.presets = ["gmail"]
        config.mappings = [
            ["id": "templated", "match": ["path": "templated"], "action": "agent", "messageTemplate": .string(template), "sessionKey": .string(template)]
        ]
        guard case .on(let settings) = HooksSettings.resolve(config) else { return .refused(status: 500, message: "hooks settings did not resolve") }
        do throws(HookError) {
            let value: JSONValue
            do {
                value = try HTTPJSON.object(parsing: body, emptyIsObject: true)
            } catch {
                throw HookError.invalid("invalid JSON body")
            }
            switch route {
            case .hookWake:
                let wake = try HookWake(value)
                return .accepted("wake mode=\(wake.mode.rawValue)")
            case .hookAgent:
                let agent = try HookAgent(value, headers: [:], settings: settings)
                return .accepted("agent name=\(agent.name)")
            default:
                let path = route == .hookGmail ? "gmail" : "templated"
                guard let mapping = settings.mappings.first(where: { $0.matches(path: path, payload: value) }) else {
                    return .refused(status: 404, message: "no mapping")
                }
                let context = HookTemplate.Context(payload: value, headers: ["content-type": "application/json"], query: ["q": "1"], path: path)
                switch try mapping.apply(context) {
                case .wake(let wake): return .accepted("mapped wake \(wake.text.count)")
                case .agent(let agentBody):
                    let agent = try HookAgent(agentBody, headers: [:], settings: settings)
                    return .accepted("mapped agent \(agent.message.count)")
                }
            }
        } catch {
            return .refused(status: Int(error.status.code), message: error.message)
        }
    }
}
