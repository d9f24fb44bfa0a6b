// Sources/openclaw/DevicesText.swift - the human-readable `openclaw devices list`, and its JSON

import Foundation
import Generated

/// Upstream's two tables: "Pending (n)" and "Paired (n)"; "No device pairing entries." when both are empty.
enum DevicesText {
    static func render(_ result: DevicePairListResult, now: Int) -> String {
        guard !result.pending.isEmpty || !result.paired.isEmpty else { return "No device pairing entries." }
        var sections: [String] = []
        if !result.pending.isEmpty {
            let rows = result.pending.map { request in
                [
                    request.requestId, request.displayName ?? request.deviceId, request.role ?? "-", request.remoteIp ?? "local",
                    SessionsTable.age(now - request.ts), request.isRepair == true ? "repair" : "",
                ]
            }
            sections.append("Pending (\(rows.count))\n" + table(["Request", "Device", "Role", "IP", "Age", "Flags"], rows))
        }
        if !result.paired.isEmpty {
            let rows = result.paired.map { device in
                [
                    device.displayName.map { "\($0) (\(device.deviceId))" } ?? device.deviceId, (device.roles ?? []).joined(separator: ", "),
                    (device.scopes ?? []).joined(separator: ", "),
                    (device.tokens ?? []).map { $0.revokedAtMs == nil ? $0.role : "\($0.role) (revoked)" }.joined(separator: ", "),
                    device.remoteIp ?? "local",
                ]
            }
            sections.append("Paired (\(rows.count))\n" + table(["Device", "Roles", "Scopes", "Tokens", "IP"], rows))
        }
        return sections.joined(separator: "\n\n")
    }

    /// Pretty JSON of a generated result, keys sorted.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
