// Sources/ProtocolSupport/StrictDecoding.swift - the JSON rules every generated type follows, written once
//
// Generated `init(from:)` bodies call only these helpers: unknown keys are rejected, `null` is refused
// where the spec does not allow it, and bounds are enforced. Every failure is a DecodingError whose
// coding path names the offending value, which `ValidationIssue` turns into upstream-style text.

extension Decoder {
    /// A keyed container that fails on any key `Key` does not list.
    public func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let all = try container(keyedBy: AnyCodingKey.self)
        if all.allKeys.count > 0 {
            for key in all.allKeys where Key(stringValue: key.stringValue) == nil {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: ValidationMessage.unexpectedProperty(key.stringValue))
                )
            }
        }
        return try container(keyedBy: Key.self)
    }
}

extension KeyedDecodingContainer {
    /// A required field. `null` is refused with the expected type's name.
    public func decodeField<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard contains(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: ValidationMessage.required(key.stringValue)))
        }
        if try decodeNil(forKey: key), T.self != JSONValue.self {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "must be \(jsonTypeName(T.self))"))
        }
        return try decodeValue(T.self, forKey: key)
    }

    /// `decode`, except that a number the type cannot hold (`1.5` or `1e30` for an `Int`) is a type mismatch at
    /// its own path: Foundation reports it as "not valid JSON" for the whole document.
    private func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        do {
            return try decode(T.self, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch {
            let name = jsonTypeName(T.self)
            guard name == "integer" || name == "number" else { throw error }
            throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "must be \(name)"))
        }
    }

    /// An optional field: absent is nil; `null` is nil only when `nullable`.
    public func decodeOptionalField<T: Decodable>(_ type: T.Type, forKey key: Key, nullable: Bool = false) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            if nullable || T.self == JSONValue.self { return T.self == JSONValue.self ? (JSONValue.null as! T) : nil }
            throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "must be \(jsonTypeName(T.self))"))
        }
        return try decodeValue(T.self, forKey: key)
    }

    /// A field that must hold exactly `value` (frame discriminators such as `type: "req"`).
    public func decodeConstant(_ value: String, forKey key: Key) throws {
        let found = try decodeField(String.self, forKey: key)
        guard found == value else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "must be equal to constant"))
        }
    }

    /// Checks an integer against the spec's bounds.
    public func checkBounds(_ value: Int?, forKey key: Key, minimum: Int? = nil, maximum: Int? = nil) throws {
        guard let value else { return }
        if let minimum, value < minimum {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "must be >= \(minimum)"))
        }
        if let maximum, value > maximum {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "must be <= \(maximum)"))
        }
    }

    /// Checks a number against the spec's `range` (config keys of type `number`); bounds print as written
    /// (`must be <= 1`, not `1.0`).
    public func checkBounds(_ value: Double?, forKey key: Key, minimum: Double? = nil, maximum: Double? = nil) throws {
        guard let value else { return }
        func text(_ bound: Double) -> String { bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound) }
        if let minimum, value < minimum {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "must be >= \(text(minimum))"))
        }
        if let maximum, value > maximum {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "must be <= \(text(maximum))"))
        }
    }

    /// Checks a string's length against the spec's `minLength`.
    public func checkLength(_ value: String?, forKey key: Key, minLength: Int) throws {
        guard let value, value.count < minLength else { return }
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath + [key], debugDescription: "must NOT have fewer than \(minLength) characters")
        )
    }
}

/// A string enum whose set of values is closed: anything else fails validation.
public protocol ClosedStringEnum: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where RawValue == String {}

extension ClosedStringEnum {
    /// Decodes a value of the closed set; anything else is `must be equal to one of the allowed values`.
    public init(closedFrom decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "must be string"))
        }
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: ValidationMessage.notAllowedValue)
            )
        }
        self = value
    }
}

/// A string enum a newer peer may extend: unknown values decode to `unrecognized` instead of failing.
public protocol OpenStringEnum: RawRepresentable, Codable, Hashable, Sendable where RawValue == String {
    init(rawValue: String)
}

extension OpenStringEnum {
    /// Decodes any string; values the spec does not list become `unrecognized`.
    public init(openFrom decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(rawValue: try container.decode(String.self))
    }
}

extension RawRepresentable where RawValue == String {
    /// Encodes the raw string.
    public func encodeRawValue(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The fixed wording of validation messages (upstream's AJV wording, so clients see the same text).
public enum ValidationMessage {
    /// A closed enum is a union of literals upstream, so a bad value fails each literal and the union.
    public static let notAllowedValue = "must be equal to constant; must match a schema in anyOf"
    public static func required(_ key: String) -> String { "must have required property '\(key)'" }
    public static func unexpectedProperty(_ key: String) -> String { "unexpected property '\(key)'" }
}

/// The JSON type name of a Swift type, as validation messages use it.
func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type, is Substring.Type: return "string"
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "integer"
    case is Double.Type, is Float.Type: return "number"
    case is Bool.Type: return "boolean"
    case is any ClosedStringEnum.Type, is any OpenStringEnum.Type: return "string"
    default:
        let name = String(describing: type)
        if name.hasPrefix("Array<") || name.hasPrefix("[") && !name.contains(":") { return "array" }
        return "object"
    }
}
