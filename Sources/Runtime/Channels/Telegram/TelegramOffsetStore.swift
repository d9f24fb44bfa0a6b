// Sources/Runtime/Channels/Telegram/TelegramOffsetStore.swift - the last handled update per bot, kept across restarts

import Foundation

/// Remembers the last update an account handed to the gateway, in
/// `<stateDir>/telegram/update-offset-<accountId>.json` (`{"botId":…, "lastUpdateId":…}`), so a
/// restarted gateway asks for the updates after it instead of seeing the last batch again (Telegram
/// only forgets updates once a later `getUpdates` confirms them). Keyed by bot id: a new token starts fresh.
struct TelegramOffsetStore: Sendable {
    let path: String

    init(stateDir: String, accountId: String) {
        let safe = accountId.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        path = (stateDir as NSString).appendingPathComponent("telegram/update-offset-\(String(safe)).json")
    }

    private struct Record: Codable {
        var botId: Int64
        var lastUpdateId: Int
    }

    /// The offset to resume from (last handled + 1) for this bot, nil when unknown.
    func resumeOffset(botId: Int64) -> Int? {
        guard let data = FileManager.default.contents(atPath: path),
            let record = try? JSONDecoder().decode(Record.self, from: data), record.botId == botId
        else { return nil }
        return record.lastUpdateId + 1
    }

    /// Records `updateId` as handled; failures only cost a repeated batch after a restart.
    func save(botId: Int64, updateId: Int) {
        guard let data = try? JSONEncoder().encode(Record(botId: botId, lastUpdateId: updateId)) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
