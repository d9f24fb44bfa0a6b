// Sources/Runtime/Logging/LogRedactor.swift - masks secrets before any console or file write

import Foundation
import Generated
import ProtocolSupport

/// Best-effort masking (reference/ops.md §9): known secret values always, and with `redactSensitive: tools`
/// the default patterns (bearer tokens, `token=`/`password=` values, JSON secret fields) or `logging.redactPatterns`.
public struct LogRedactor: Sendable {
    /// Exact secret values (the resolved token/password, config keys flagged secret), longest first.
    public private(set) var secrets: [String]
    private let patterns: [Pattern]

    /// A compiled pattern; group 1 is masked when present, else the whole match.
    private struct Pattern: @unchecked Sendable {
        let regex: NSRegularExpression
    }

    static let defaultPatterns = [
        #"(?i)\bauthorization\s*[:=]\s*(?:bearer|basic|token)\s+([^\s"',;]+)"#,
        #"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{6,})"#,
        #"(?i)\b(?:token|password|passwd|secret|api[_-]?key|access[_-]?token)\s*=\s*([^\s&"',;]+)"#,
        #"(?i)"(?:token|password|secret|apiKey|api_key|accessToken)"\s*:\s*"([^"]+)""#,
        #"\b(sk-[A-Za-z0-9_-]{8,})\b"#,
    ]

    /// Cheap pre-check so most lines skip the regexes.
    private static let hints = ["bearer", "token", "password", "passwd", "secret", "key", "authorization", "sk-"]
    private let customPatterns: Bool

    public init(secrets: [String] = [], mode: LoggingRedactSensitive = .tools, patterns custom: [String]? = nil) {
        self.secrets = Self.normalise(secrets)
        let sources: [String]
        switch mode {
        case .off: sources = []
        case .tools: sources = custom.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultPatterns
        }
        customPatterns = mode == .tools && custom?.isEmpty == false
        patterns = sources.compactMap { try? NSRegularExpression(pattern: $0) }.map(Pattern.init)
    }

    /// The secrets of a loaded config: every key the spec flags secret, and every value of a secret string map
    /// (`diagnostics.otel.headers`).
    public static func configSecrets(_ config: OpenClawConfig) -> [String] {
        var secrets = ConfigSchema.secretPaths.compactMap { config.scalarValue(atPath: $0) }
        let maps = ConfigSchema.keys.filter { $0.secret && $0.type == "[string: string]" }.map(\.path)
        guard !maps.isEmpty, let tree = try? WireJSON.decode(JSONValue.self, from: WireJSON.encode(config)) else { return secrets }
        for path in maps {
            var node: JSONValue? = tree
            for key in path.split(separator: ".") { node = node?[String(key)] }
            secrets += node?.objectValue?.values.compactMap(\.stringValue) ?? []
        }
        return secrets
    }

    /// Adds more secret values (e.g. a token generated at start-up).
    public mutating func add(secrets more: [String]) {
        secrets = Self.normalise(secrets + more)
    }

    /// Upstream's mask: `abcdef…wxyz` for long values, `***` for short ones.
    public static func mask(_ value: String) -> String {
        value.count < 18 ? "***" : String(value.prefix(6)) + "…" + String(value.suffix(4))
    }

    public func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: Self.mask(secret))
        }
        guard !patterns.isEmpty else { return text }
        if !customPatterns {
            let lowered = text.lowercased()
            guard Self.hints.contains(where: lowered.contains) else { return text }
        }
        // Collect every pattern's target on the same text first, so one pattern never re-masks another's mask.
        let whole = NSRange(text.startIndex..., in: text)
        var targets: [NSRange] = []
        for pattern in patterns {
            for match in pattern.regex.matches(in: text, range: whole) {
                let hasGroup = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound
                targets.append(hasGroup ? match.range(at: 1) : match.range)
            }
        }
        var lastStart = Int.max
        for target in targets.sorted(by: { $0.location > $1.location }) where NSMaxRange(target) <= lastStart {
            guard let range = Range(target, in: text) else { continue }
            text.replaceSubrange(range, with: Self.mask(String(text[range])))
            lastStart = target.location
        }
        return text
    }

    /// Drops empty and very short values (masking `a` everywhere would wreck every line), longest first.
    private static func normalise(_ values: [String]) -> [String] {
        Array(Set(values.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }
}
