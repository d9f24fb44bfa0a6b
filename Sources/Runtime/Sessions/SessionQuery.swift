// Sources/Runtime/Sessions/SessionQuery.swift - the filters `SessionStore.list` understands

import Foundation

/// Which sessions to list; every filter is optional and they combine with AND. Mirrors `sessions.list` params.
public struct SessionQuery: Sendable, Hashable {
    /// At most this many rows (after filtering), newest first.
    public var limit: Int?
    /// Only sessions whose `updatedAt` is within this many minutes of `now`.
    public var activeMinutes: Int?
    /// Case-insensitive substring of key, label, displayName, derivedTitle or lastMessagePreview.
    public var search: String?
    public var agentId: String?
    public var label: String?
    public var spawnedBy: String?
    /// The reference time for `activeMinutes`, in ms since the epoch.
    public var now: Int

    public init(
        limit: Int? = nil, activeMinutes: Int? = nil, search: String? = nil, agentId: String? = nil, label: String? = nil,
        spawnedBy: String? = nil, now: Int
    ) {
        self.limit = limit
        self.activeMinutes = activeMinutes
        self.search = search
        self.agentId = agentId
        self.label = label
        self.spawnedBy = spawnedBy
        self.now = now
    }

    /// Whether `entry` matches `search` (true without one).
    func matchesSearch(_ entry: SessionEntry) -> Bool {
        guard let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty else { return true }
        let fields = [entry.key, entry.label, entry.displayName, entry.derivedTitle, entry.lastMessagePreview]
        return fields.contains { $0?.range(of: search, options: .caseInsensitive) != nil }
    }
}
