// Sources/ProtocolSupport/ProtocolVersioning.swift - how generated coders learn the connection's protocol version
//
// The generated `encode(to:)` and `init(from:)` of a type whose shape differs between versions read the
// version from the coder's `userInfo`, so the runtime picks a version per connection and never adds or
// strips a field itself.

import Foundation
import Synchronization

extension CodingUserInfoKey {
    /// The protocol version a value is encoded for or decoded from (an `Int`).
    public static let protocolVersion = CodingUserInfoKey(rawValue: "openclaw.protocolVersion")!
}

extension Encoder {
    /// The version being written; nil means the newest.
    public var protocolVersion: Int? { userInfo[.protocolVersion] as? Int }
}

extension Decoder {
    /// The version being read; nil accepts every version's fields and requires none by version.
    public var protocolVersion: Int? { userInfo[.protocolVersion] as? Int }
}

/// The protocol versions a field, method or event exists in.
public struct VersionRange: Sendable, Hashable {
    public let since: Int
    public let until: Int?

    public init(since: Int = 0, until: Int? = nil) {
        self.since = since
        self.until = until
    }

    /// Whether `version` is in the range; a coder without a version (nil) knows every field.
    public func contains(_ version: Int?) -> Bool {
        guard let version else { return true }
        return version >= since && version <= (until ?? Int.max)
    }

    /// Whether a field required from `since` on must be there in `version`; nil never enforces.
    public func enforces(_ version: Int?) -> Bool {
        guard let version else { return false }
        return version >= since
    }
}

/// Thrown by a generated encoder for a value (an enum case) that the version being written does not have; a
/// payload holding one is not sent to connections of that version.
public struct VersionUnavailable: Error, CustomStringConvertible {
    public let value: String
    public let version: Int

    public init(value: String, version: Int) {
        self.value = value
        self.version = version
    }

    public var description: String { "'\(value)' does not exist in protocol \(version)" }
}

/// A type whose JSON differs between protocol versions; `Payload` encodes such a value once per version.
public protocol VersionedWire {
    /// The versions with an encoding of their own, oldest first.
    static var wireVersions: [Int] { get }
}

extension Array: VersionedWire where Element: VersionedWire {
    public static var wireVersions: [Int] { Element.wireVersions }
}

extension Optional: VersionedWire where Wrapped: VersionedWire {
    public static var wireVersions: [Int] { Wrapped.wireVersions }
}

extension Dictionary: VersionedWire where Value: VersionedWire {
    public static var wireVersions: [Int] { Value.wireVersions }
}

extension Decoder {
    /// `strictContainer`, where the keys in `outside` (fields this version does not have) also count as unknown.
    public func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type, outside: [Key]) throws -> KeyedDecodingContainer<Key> {
        let container = try strictContainer(keyedBy: type)
        for key in outside where container.contains(key) {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: ValidationMessage.unexpectedProperty(key.stringValue)))
        }
        return container
    }
}

extension KeyedEncodingContainer {
    /// A field that is optional in Swift (older versions may omit it) but required in the version being written.
    public mutating func encodeRequired<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else {
            throw EncodingError.invalidValue(
                value as Any, .init(codingPath: codingPath + [key], debugDescription: "'\(key.stringValue)' is required in this protocol version")
            )
        }
        try encode(value, forKey: key)
    }
}

extension WireJSON {
    private static let versioned = Mutex<[Int: (JSONEncoder, JSONDecoder)]>([:])

    /// The wire coders for one protocol version.
    static func coders(version: Int) -> (encoder: JSONEncoder, decoder: JSONDecoder) {
        versioned.withLock { cache in
            if let coders = cache[version] { return coders }
            // Sorted keys: a value's encodings for two versions are compared byte for byte, and Foundation's
            // key order otherwise differs from one encode to the next.
            let encoder = JSONEncoder()
            encoder.outputFormatting = WireJSON.encoder.outputFormatting.union(.sortedKeys)
            encoder.userInfo[.protocolVersion] = version
            let decoder = JSONDecoder()
            decoder.userInfo[.protocolVersion] = version
            cache[version] = (encoder, decoder)
            return (encoder, decoder)
        }
    }

    /// `value` as one protocol version sees it (nil: the newest).
    public static func encode(_ value: some Encodable, version: Int?) throws -> [UInt8] {
        guard let version else { return try encode(value) }
        return Array(try coders(version: version).encoder.encode(value))
    }

    /// Decodes as one protocol version defines `T` (nil: lenient, every version's fields).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, version: Int?) throws -> T {
        guard let version else { return try decode(type, from: data) }
        if T.self == JSONValue.self { return try JSONValue(parsing: data) as! T }
        return try coders(version: version).decoder.decode(T.self, from: data)
    }
}
