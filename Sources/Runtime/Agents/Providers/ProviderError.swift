// Sources/Runtime/Agents/Providers/ProviderError.swift - upstream failures as errors a run can report

/// Which limit of `ProviderTimeouts` fired.
public enum ProviderTimeoutKind: String, Sendable, Hashable {
    case connect, firstToken = "first token", idle, total
}

/// A provider failure that names the provider, so a run error says where to look.
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A non-2xx answer; `message` is the provider's own error message when its body had one.
    case http(provider: String, status: Int, message: String)
    /// An error the provider sent inside the stream.
    case upstream(provider: String, message: String)
    case timeout(provider: String, kind: ProviderTimeoutKind)
    /// The stream could not be understood (bad JSON, ended without a stop).
    case malformed(provider: String, message: String)
    /// The connection failed or closed early.
    case transport(provider: String, message: String)
    /// Configuration does not say how to reach the model; the message names the key to set.
    case notConfigured(String)

    public var description: String {
        switch self {
        case .http(let provider, let status, let message):
            "provider \"\(provider)\" answered HTTP \(status): \(message)"
        case .upstream(let provider, let message):
            "provider \"\(provider)\" reported an error: \(message)"
        case .timeout(let provider, let kind):
            "provider \"\(provider)\" timed out (\(kind.rawValue) timeout)"
        case .malformed(let provider, let message):
            "provider \"\(provider)\" sent a malformed stream: \(message)"
        case .transport(let provider, let message):
            "provider \"\(provider)\" connection failed: \(message)"
        case .notConfigured(let message):
            message
        }
    }

    /// A short machine-readable class for run errors (`chat` `errorKind`).
    public var kind: String {
        switch self {
        case .http(_, let status, _): status == 429 ? "rate_limit" : (status == 401 || status == 403 ? "auth" : "http")
        case .upstream: "upstream"
        case .timeout: "timeout"
        case .malformed: "malformed"
        case .transport: "transport"
        case .notConfigured: "not_configured"
        }
    }

    /// HTTP status of an `http` error.
    public var status: Int? {
        if case .http(_, let status, _) = self { return status }
        return nil
    }
}
