// Sources/Runtime/Events/PresenceRegistry.swift - who is connected, keyed case-insensitively, pruned by age and count

import Generated

/// Presence entries keyed by device id, instance id or connection id (lowercased), after the gateway's own
/// entry, which is never pruned.
struct PresenceRegistry {
    private(set) var entries: [String: PresenceEntry] = [:]
    /// The gateway host (SelfPresence); listed first with the listing's time.
    let selfEntry: PresenceEntry?
    let ttlMs: Int
    let maxEntries: Int

    init(selfEntry: PresenceEntry? = nil, ttlMs: Int = ProtocolLimits.presenceTtlMs, maxEntries: Int = ProtocolLimits.presenceMaxEntries) {
        self.selfEntry = selfEntry
        self.ttlMs = ttlMs
        self.maxEntries = maxEntries
    }

    mutating func upsert(_ key: String, _ entry: PresenceEntry) {
        entries[key.lowercased()] = entry
        prune(now: entry.ts)
    }

    @discardableResult
    mutating func remove(_ key: String) -> Bool {
        entries.removeValue(forKey: key.lowercased()) != nil
    }

    /// The gateway's own entry, then the others newest first.
    func list(now: Int) -> [PresenceEntry] {
        let others = entries.values.filter { now - $0.ts <= ttlMs }.sorted { $0.ts > $1.ts }
        guard var own = selfEntry else { return others }
        own.ts = now
        return [own] + others
    }

    private mutating func prune(now: Int) {
        entries = entries.filter { now - $0.value.ts <= ttlMs }
        if entries.count > maxEntries {
            let keep = entries.sorted { $0.value.ts > $1.value.ts }.prefix(maxEntries)
            entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
