// Sources/Runtime/HTTP/Hooks/HooksSettings.swift - `hooks.*` as the hooks routes use it, read per request

import Generated

/// The hooks config resolved for one request, so a hot reload applies to the next request.
struct HooksSettings: Sendable, Equatable {
    var token: String
    /// Normalized base path: a leading `/`, no trailing `/`, never `/` itself.
    var basePath: String
    var maxBodyBytes: Int
    var defaultSessionKey: String?
    var allowRequestSessionKey: Bool
    var allowedSessionKeyPrefixes: [String]
    /// nil or containing `*`: any agent.
    var allowedAgentIds: [String]?
    /// `hooks.mappings`, then the mappings of `hooks.presets`.
    var mappings: [HookMapping] = []
    /// Mapping entries that were left out, and why (logged once).
    var mappingProblems: [String] = []

    enum Resolution: Sendable, Equatable {
        /// `hooks.enabled` is off: hook paths fall through to the other routes (404).
        case off
        /// Enabled but unusable; the hooks stay off and this is logged once.
        case misconfigured(String)
        case on(HooksSettings)
    }

    /// Upstream refuses `hooks.enabled` without a token; we keep the gateway up and the hooks off
    /// (with a warning) so a bad hot edit cannot take the other routes down.
    static func resolve(_ config: HooksConfig?) -> Resolution {
        guard let config, config.enabled ?? ConfigDefaults.hooksEnabled else { return .off }
        guard let token = config.token?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            return .misconfigured("hooks.enabled is true but hooks.token is empty: the hooks routes stay off until a token is set")
        }
        guard let basePath = normalize(path: config.path ?? ConfigDefaults.hooksPath) else {
            return .misconfigured("hooks.path may not be \"/\": the hooks routes stay off")
        }
        let (mappings, problems) = HookMapping.resolve(mappings: config.mappings, presets: config.presets)
        return .on(
            HooksSettings(
                token: token, basePath: basePath, maxBodyBytes: config.maxBodyBytes ?? ConfigDefaults.hooksMaxBodyBytes,
                defaultSessionKey: config.defaultSessionKey.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 },
                allowRequestSessionKey: config.allowRequestSessionKey ?? ConfigDefaults.hooksAllowRequestSessionKey,
                allowedSessionKeyPrefixes: (config.allowedSessionKeyPrefixes ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                    .filter { !$0.isEmpty },
                allowedAgentIds: config.allowedAgentIds.map { $0.map(AgentID.normalize) }, mappings: mappings, mappingProblems: problems
            )
        )
    }

    /// `hooks` → `/hooks`, `/hooks/` → `/hooks`; `/` (or empty) → nil.
    static func normalize(path: String) -> String? {
        var path = path.trimmingCharacters(in: .whitespaces)
        if !path.hasPrefix("/") { path = "/" + path }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path == "/" ? nil : path
    }

    /// The part of `path` below the base path (`""` for the base itself), or nil when `path` is not a hooks path.
    func subpath(of path: String) -> String? {
        if path == basePath { return "" }
        guard path.hasPrefix(basePath + "/") else { return nil }
        var rest = String(path.dropFirst(basePath.count + 1))
        while rest.hasSuffix("/") { rest.removeLast() }
        return rest
    }

    /// An explicit `agentId` passes `hooks.allowedAgentIds`.
    func allows(agent id: String) -> Bool {
        guard let allowedAgentIds, !allowedAgentIds.contains("*") else { return true }
        return allowedAgentIds.contains(id)
    }

    /// A canonical session key passes `hooks.allowedSessionKeyPrefixes`: the whole key or the part after
    /// `agent:<id>:` starts with one of them (so `hook:` admits `agent:main:hook:…`).
    func allows(sessionKey key: String) -> Bool {
        guard !allowedSessionKeyPrefixes.isEmpty else { return true }
        let lowered = key.lowercased()
        var candidates = [lowered]
        let parts = lowered.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "agent" { candidates.append(String(parts[2])) }
        return allowedSessionKeyPrefixes.contains { prefix in candidates.contains { $0.hasPrefix(prefix) } }
    }
}
