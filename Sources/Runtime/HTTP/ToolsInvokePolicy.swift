// Sources/Runtime/HTTP/ToolsInvokePolicy.swift - which tools POST /tools/invoke may run

import Generated

/// The HTTP surface's own deny list (reference/http.md §3): tools that orchestrate sessions, run
/// commands or touch the host are refused even where agent policy would allow them.
/// `gateway.tools.allow` takes names off the default list, `gateway.tools.deny` adds names; a
/// name in both stays denied. Only built-in tools exist here, so an allowed name that is not one
/// is still unknown.
struct ToolsInvokePolicy: Sendable, Equatable {
    static let defaultDeny: Set<String> = [
        "exec", "spawn", "shell", "fs_write", "fs_delete", "fs_move", "apply_patch", "sessions_spawn", "sessions_send", "cron", "gateway",
        "nodes",
    ]

    let denied: Set<String>

    init(allow: [String] = [], deny: [String] = []) {
        let allowed = Set(allow.map(Self.normalize))
        denied = Self.defaultDeny.subtracting(allowed).union(deny.map(Self.normalize))
    }

    init(config: OpenClawConfig) {
        self.init(allow: config.gateway?.tools?.allow ?? [], deny: config.gateway?.tools?.deny ?? [])
    }

    /// The built-in tool called `name`, unless it is unknown or denied (the caller cannot tell which).
    func tool(named name: String) -> BuiltinTool? {
        let normalized = Self.normalize(name)
        guard !denied.contains(normalized) else { return nil }
        return BuiltinTool(rawValue: normalized)
    }

    static func normalize(_ name: String) -> String { name.trimmingCharacters(in: .whitespaces).lowercased() }
}
