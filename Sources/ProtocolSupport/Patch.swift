// Sources/ProtocolSupport/Patch.swift - a patch field's three states: absent, null, a value

/// A field of a patch (spec `patch: true`): absent leaves the stored value as it is, `null` clears it, and a
/// value replaces it. `T?` cannot tell absent from `null`, and `JSONValue?` loses the type; this keeps both.
public enum Patch<Value> {
    /// The key was not sent: leave the value.
    case absent
    /// The key held `null`: clear the value.
    case null
    /// The key held a value: set it.
    case value(Value)

    /// The value being set, if any (nil for both absent and null).
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// Whether the key was sent at all.
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// Applies the patch to a stored optional: absent keeps it, null clears it, a value replaces it.
    public func apply(to stored: inout Value?) {
        switch self {
        case .absent: break
        case .null: stored = nil
        case .value(let value): stored = value
        }
    }

    /// The patch with its value transformed (`.null` and `.absent` stay).
    public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> Patch<Other> {
        switch self {
        case .absent: .absent
        case .null: .null
        case .value(let value): .value(try transform(value))
        }
    }
}

extension Patch: Sendable where Value: Sendable {}
extension Patch: Equatable where Value: Equatable {}
extension Patch: Hashable where Value: Hashable {}

extension KeyedDecodingContainer {
    /// A patch field: absent, `null`, or a `T`. A value of another type is reported as `must be <type> or null`.
    public func decodePatchField<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> Patch<T> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        do {
            return .value(try decodeField(T.self, forKey: key))
        } catch DecodingError.typeMismatch(let type, let context) where context.codingPath.count == codingPath.count + 1 {
            let expected = context.debugDescription.hasPrefix("must be ") ? String(context.debugDescription.dropFirst(8)) : jsonTypeName(type)
            throw DecodingError.typeMismatch(type, .init(codingPath: context.codingPath, debugDescription: "must be \(expected) or null"))
        }
    }
}

extension KeyedEncodingContainer {
    /// Writes a patch field: nothing when absent, `null`, or the value.
    public mutating func encodePatch<T: Encodable>(_ patch: Patch<T>, forKey key: Key) throws {
        switch patch {
        case .absent: break
        case .null: try encodeNil(forKey: key)
        case .value(let value): try encode(value, forKey: key)
        }
    }
}
