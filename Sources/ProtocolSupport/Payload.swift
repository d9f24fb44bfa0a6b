// Sources/ProtocolSupport/Payload.swift - a typed result or event payload, already encoded

import Foundation

/// The JSON of a `T`, encoded once. Handlers return it so a cached value is never re-encoded,
/// while the generated method table still ties each method to its result type.
public struct Payload<T: Encodable & Sendable>: Sendable {
    /// UTF-8 JSON text.
    public let bytes: [UInt8]

    public init(_ value: T) throws {
        self.bytes = try WireJSON.encode(value)
    }

    /// Wraps bytes the caller guarantees are the JSON of a `T`.
    public init(encoded bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Drops the type, for the frame writer.
    public var erased: EncodedJSON { EncodedJSON(bytes: bytes) }
}

/// JSON text of any type.
public struct EncodedJSON: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static let null = EncodedJSON(bytes: Array("null".utf8))
}

/// The one JSON configuration used on the wire.
public enum WireJSON {
    /// Shared coders: both are thread-safe, and one allocation per message is one too many on the hot path.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder = JSONDecoder()

    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        // Untyped JSON skips Decodable's type probing (see `JSONValue.init(parsing:)`).
        if T.self == JSONValue.self { return try JSONValue(parsing: bytes) as! T }
        return try decoder.decode(T.self, from: Data(bytes))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if T.self == JSONValue.self { return try JSONValue(parsing: data) as! T }
        return try decoder.decode(T.self, from: data)
    }
}
