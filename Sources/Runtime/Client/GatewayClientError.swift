// Sources/Runtime/Client/GatewayClientError.swift - why the operator client could not do what was asked

import Generated

/// Failures of the operator client. Each names the URL it tried and the layer that failed.
public enum GatewayClientError: Error, Sendable, CustomStringConvertible {
    /// No connection: refused, unresolvable, TLS, …
    case unreachable(url: String, reason: String)
    /// The gateway answered `connect` with an error (auth, protocol, pairing).
    case rejected(url: String, error: ErrorShape, close: UInt16?)
    /// The socket closed before or while a request was answered.
    case closed(url: String, code: UInt16?, reason: String?)
    case timeout(url: String, what: String)
    /// A request was answered with `ok: false`.
    case requestFailed(method: String, error: ErrorShape)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            return "gateway not reachable at \(url): \(reason)"
        case .rejected(let url, let error, let close):
            let kind: String
            if let detail = error.details?["code"]?.stringValue {
                kind =
                    detail.hasPrefix("AUTH_")
                    ? "auth" : detail == "PROTOCOL_MISMATCH" ? "protocol" : detail.hasPrefix("DEVICE_") || detail == "PAIRING_REQUIRED" ? "device" : "connect"
            } else {
                kind = "connect"
            }
            let closeText = close.map { " (close \($0))" } ?? ""
            return "gateway at \(url) rejected the connection [\(kind)]\(closeText): \(error.message)"
        case .closed(let url, let code, let reason):
            let detail = [code.map { "code \($0)" }, reason.flatMap { $0.isEmpty ? nil : $0 }].compactMap { $0 }.joined(separator: ", ")
            return "gateway at \(url) closed the connection" + (detail.isEmpty ? "" : " (\(detail))")
        case .timeout(let url, let what):
            return "timed out waiting for \(what) from \(url)"
        case .requestFailed(let method, let error):
            return "\(method) failed: \(error.code.rawValue): \(error.message)"
        }
    }
}
