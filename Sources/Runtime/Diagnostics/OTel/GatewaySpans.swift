// Sources/Runtime/Diagnostics/OTel/GatewaySpans.swift - the spans the gateway records: names and attributes in one place

import Generated
import Tracing

/// Every span name and attribute the gateway emits (docs/operations.md "OpenTelemetry (OTLP)" lists the same).
/// Names stay bounded like metric labels: methods are the spec's (anything else `unknown`), HTTP routes the router's
/// patterns, never a raw path or query (a hook's query may carry its token). Attributes follow OpenTelemetry's
/// semantic conventions where one fits (`rpc.*`, `http.*`, `gen_ai.*`, `error.type`), else `openclaw.*`.
enum GatewaySpans {
    // MARK: - WebSocket requests

    /// `ws <method>`, a server span per request frame after the handshake.
    static func webSocketRequest(method: String) -> String {
        "ws " + (GatewayMethod(rawValue: method) != nil ? method : "unknown")
    }

    static func startRequest(_ span: GatewaySpan, method: String, connectionId: String) {
        span.set { attributes in
            attributes["rpc.system"] = "openclaw"
            attributes["rpc.method"] = GatewayMethod(rawValue: method) != nil ? method : "unknown"
            attributes["openclaw.conn.id"] = connectionId
        }
    }

    /// `openclaw.outcome` `ok` or `error`, and the error code (`INVALID_REQUEST`, …) as `error.type`.
    static func finishRequest(_ span: GatewaySpan, errorCode: String?) {
        span.set { attributes in
            attributes["openclaw.outcome"] = errorCode == nil ? "ok" : "error"
            if let errorCode { attributes["error.type"] = errorCode }
        }
        if let errorCode { span.fail(errorCode) }
    }

    // MARK: - HTTP

    /// `GET /health`: the method and the router's pattern; `GET` alone until the route is known.
    static func http(method: String, route: String?) -> String {
        route.map { "\(method) \($0)" } ?? method
    }

    // MARK: - Runs and model calls

    static let run = "openclaw.run"
    static let modelCall = "openclaw.model.call"

    static func startRun(_ span: GatewaySpan, _ request: RunRequest) {
        span.set { attributes in
            attributes["openclaw.run.id"] = request.runId
            attributes["openclaw.run.origin"] = "\(request.origin)"
            attributes["openclaw.agent.id"] = request.agent.id
        }
    }

    static func finishRun(_ span: GatewaySpan, _ outcome: RunOutcome) {
        span.set { attributes in
            attributes["openclaw.outcome"] = outcome.metricsLabel
            attributes["openclaw.run.stop_reason"] = outcome.stopReason
            if let provider = outcome.provider { attributes["gen_ai.system"] = provider }
            if let model = outcome.model { attributes["gen_ai.request.model"] = model }
            if let usage = outcome.usage {
                attributes["gen_ai.usage.input_tokens"] = usage.input
                attributes["gen_ai.usage.output_tokens"] = usage.output
            }
            attributes["openclaw.run.tool_calls"] = outcome.toolCalls
            if let failure = outcome.failure { attributes["error.type"] = failure.code.rawValue }
        }
        if let failure = outcome.failure { span.fail(failure.code.rawValue) }
    }

    // MARK: - Channels

    static let channelDelivery = "openclaw.channel.delivery"

    static func startDelivery(_ span: GatewaySpan, channel: String, accountId: String) {
        span.set { attributes in
            attributes["openclaw.channel"] = channel
            attributes["openclaw.channel.account"] = accountId
        }
    }

    /// The chunks sent, or the failure as `error.type` (`not_connected`, `invalid_target`, `send_failed`, `misconfigured`).
    static func finishDelivery(_ span: GatewaySpan, chunks: Int?, error: ChannelError?) {
        let kind: String? =
            switch error {
            case nil: nil
            case .notConnected: "not_connected"
            case .invalidTarget: "invalid_target"
            case .sendFailed: "send_failed"
            case .misconfigured: "misconfigured"
            }
        span.set { attributes in
            attributes["openclaw.outcome"] = kind == nil ? "ok" : "error"
            if let chunks { attributes["openclaw.channel.chunks"] = chunks }
            if let kind { attributes["error.type"] = kind }
        }
        if let kind { span.fail(kind) }
    }
}
