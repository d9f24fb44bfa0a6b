// Sources/ProtocolGenCore/Layers/Spec+Versions.swift - which types encode differently per protocol version

extension Spec {
    /// Types whose JSON depends on the connection's protocol version: a field of theirs exists in some
    /// versions only or is required from some version on, or a field's type is such a type.
    public var versionedTypes: Set<String> {
        let all = protocolInfo.versions
        var versioned = Set(
            types.filter { type in
                type.fields.contains { $0.isVersioned(among: all) } || type.valueSince.values.contains { $0 > (all.first ?? 0) }
            }.map(\.name)
        )
        var changed = true
        while changed {
            changed = false
            for type in types where !versioned.contains(type.name) {
                if type.fields.contains(where: { !$0.type.namedReferences.allSatisfy { !versioned.contains($0) } }) {
                    versioned.insert(type.name)
                    changed = true
                }
            }
        }
        return versioned
    }

    /// The versions in which a method or event with this range exists.
    public func versions(since: Int, until: Int?) -> [Int] {
        protocolInfo.versions.filter { $0 >= since && $0 <= (until ?? Int.max) }
    }
}
