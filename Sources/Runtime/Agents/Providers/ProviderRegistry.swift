// Sources/Runtime/Agents/Providers/ProviderRegistry.swift - `provider/model` → a configured client

import AsyncHTTPClient
import ProtocolSupport

/// Which wire API a provider speaks (`models.providers.<id>.api`).
public enum ProviderAPI: String, Sendable, Hashable {
    case openaiCompletions = "openai-completions"
    case anthropicMessages = "anthropic-messages"
}

/// A model entry of `models.providers.<id>.models[]`.
public struct ModelInfo: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var contextWindow: Int?
    public var maxTokens: Int?
}

/// Everything needed to call one model, after config, built-ins and the environment were merged.
public struct ResolvedModel: Sendable, Hashable {
    public var providerId: String
    public var modelId: String
    public var api: ProviderAPI
    public var baseURL: String
    public var apiKey: String?
    /// The `models[]` entry for this model, when the config lists one.
    public var info: ModelInfo?
}

/// Resolves `provider/model` strings against the `models` config section and the environment.
/// The built-in providers `openai`, `anthropic` and `openrouter` work with only their API-key
/// environment variable; a `models.providers.<id>` entry overrides or adds to them.
public struct ProviderRegistry: Sendable {
    struct BuiltIn {
        var baseURL: String
        var api: ProviderAPI
        var keyVariable: String
    }

    static let builtIns: [String: BuiltIn] = [
        "openai": BuiltIn(baseURL: "https://api.openai.com/v1", api: .openaiCompletions, keyVariable: "OPENAI_API_KEY"),
        "anthropic": BuiltIn(baseURL: "https://api.anthropic.com/v1", api: .anthropicMessages, keyVariable: "ANTHROPIC_API_KEY"),
        "openrouter": BuiltIn(baseURL: "https://openrouter.ai/api/v1", api: .openaiCompletions, keyVariable: "OPENROUTER_API_KEY"),
    ]

    private let providers: [String: JSONValue]
    private let environment: [String: String]
    public var client: HTTPClient
    public var timeouts: ProviderTimeouts
    public var retry: ProviderRetryPolicy

    /// - Parameters:
    ///   - providers: `models.providers` from the config, `nil` when absent.
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    public init(
        providers: JSONValue?, environment: [String: String], client: HTTPClient = .shared, timeouts: ProviderTimeouts = .init(),
        retry: ProviderRetryPolicy = .init()
    ) {
        self.providers = providers?.objectValue ?? [:]
        self.environment = environment
        self.client = client
        self.timeouts = timeouts
        self.retry = retry
    }

    /// Splits at the first `/` (model ids may contain more, e.g. `openrouter/anthropic/claude-sonnet-4`).
    public func resolve(_ reference: String) throws -> ResolvedModel {
        guard let slash = reference.firstIndex(of: "/"), slash != reference.startIndex, reference.index(after: slash) != reference.endIndex else {
            throw ProviderError.notConfigured("model \"\(reference)\" must be written as provider/model (for example openai/gpt-4o)")
        }
        let providerId = String(reference[..<slash])
        let modelId = String(reference[reference.index(after: slash)...])
        let entry = providers[providerId]
        let builtIn = Self.builtIns[providerId]
        guard entry != nil || builtIn != nil else {
            throw ProviderError.notConfigured(
                "unknown model provider \"\(providerId)\" in \"\(reference)\": add models.providers.\(providerId) with baseUrl, api and apiKey, or use one of anthropic, openai, openrouter"
            )
        }
        guard let baseURL = entry?["baseUrl"]?.stringValue ?? builtIn?.baseURL, !baseURL.isEmpty else {
            throw ProviderError.notConfigured("no base URL for provider \"\(providerId)\": set models.providers.\(providerId).baseUrl")
        }
        let api: ProviderAPI
        if let name = entry?["api"]?.stringValue {
            guard let known = ProviderAPI(rawValue: name) else {
                throw ProviderError.notConfigured(
                    "unsupported api \"\(name)\" for provider \"\(providerId)\": set models.providers.\(providerId).api to openai-completions or anthropic-messages"
                )
            }
            api = known
        } else {
            api = builtIn?.api ?? .openaiCompletions
        }
        var apiKey = entry?["apiKey"]?.stringValue.map(resolveKey)
        if apiKey?.isEmpty ?? true, let variable = builtIn?.keyVariable {
            apiKey = environment[variable]
        }
        if let builtIn, apiKey?.isEmpty ?? true {
            throw ProviderError.notConfigured(
                "no API key for provider \"\(providerId)\": set models.providers.\(providerId).apiKey or \(builtIn.keyVariable)"
            )
        }
        let info = entry?["models"]?.arrayValue?.first { $0["id"]?.stringValue == modelId }.map { model in
            ModelInfo(id: modelId, name: model["name"]?.stringValue, contextWindow: model["contextWindow"]?.intValue, maxTokens: model["maxTokens"]?.intValue)
        }
        return ResolvedModel(providerId: providerId, modelId: modelId, api: api, baseURL: baseURL, apiKey: apiKey, info: info)
    }

    /// A client for `reference`, plus the model id to put in requests.
    public func provider(for reference: String) throws -> ModelCandidate {
        let resolved = try resolve(reference)
        return ModelCandidate(provider: makeProvider(resolved), model: resolved.modelId)
    }

    /// The primary model with its fallbacks, tried in order.
    public func provider(primary: String, fallbacks: [String] = []) throws -> FallbackProvider {
        try FallbackProvider(candidates: ([primary] + fallbacks).map(provider(for:)))
    }

    func makeProvider(_ resolved: ResolvedModel) -> any ModelProvider {
        switch resolved.api {
        case .openaiCompletions:
            OpenAICompletionsProvider(
                id: resolved.providerId, baseURL: resolved.baseURL, apiKey: resolved.apiKey, client: client, timeouts: timeouts, retry: retry)
        case .anthropicMessages:
            AnthropicMessagesProvider(
                id: resolved.providerId, baseURL: resolved.baseURL, apiKey: resolved.apiKey, client: client, timeouts: timeouts, retry: retry)
        }
    }

    /// `apiKey` may name an environment variable (`OPENAI_API_KEY`); a set variable of that name wins,
    /// anything else is the key itself (`${VAR}` was already substituted by the config loader).
    private func resolveKey(_ value: String) -> String {
        let looksLikeName = !value.isEmpty && value.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } && value.first?.isLetter == true
        if looksLikeName, let fromEnvironment = environment[value] { return fromEnvironment }
        return value
    }
}
