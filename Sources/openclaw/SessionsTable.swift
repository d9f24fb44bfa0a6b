// Sources/openclaw/SessionsTable.swift - the human-readable `openclaw sessions list`

import Foundation
import Runtime

/// The human-readable `sessions list`: a header, then one aligned row per session.
enum SessionsTable {
    static func render(_ sessions: [SessionEntry], path: String, now: Int) -> String {
        var lines = ["Session store: \(path)", "Sessions listed: \(sessions.count)"]
        guard !sessions.isEmpty else { return lines.joined(separator: "\n") }
        let rows =
            [["Kind", "Key", "Age", "Tokens", "Model", "Title"]]
            + sessions.map { entry in
                [
                    entry.kind, entry.key, age(now - entry.updatedAt), String(entry.totalTokens), entry.model ?? "-",
                    entry.label ?? entry.displayName ?? entry.derivedTitle ?? entry.lastMessagePreview ?? "",
                ]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let padded = (0..<5).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            lines.append((padded + [row[5]]).joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }

    /// `just now`, `5m ago`, `3h ago`, `2d ago`.
    static func age(_ milliseconds: Int) -> String {
        let minutes = max(milliseconds, 0) / 60_000
        if minutes < 1 { return "just now" }
        if minutes < 60 { return "\(minutes)m ago" }
        if minutes < 24 * 60 { return "\(minutes / 60)h ago" }
        return "\(minutes / (24 * 60))d ago"
    }
}
