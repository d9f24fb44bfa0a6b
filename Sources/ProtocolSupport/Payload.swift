// Sources/ProtocolSupport/Payload.swift - a typed result or event payload, already encoded

import Foundation

/// The JSON of a `T`, encoded once. Handlers return it so a cached value is never re-encoded,
/// while the generated method table still ties each method to its result type.
///
/// A `T` whose shape differs between protocol versions (`VersionedWire`) is encoded once per version, and
/// the frame writer picks the connection's; identical encodings are kept once.
public struct Payload<T: Encodable & Sendable>: Sendable {
    /// UTF-8 JSON text (the newest version's, when they differ).
    public let bytes: [UInt8]
    /// Each version's text, when the versions differ; a version missing here cannot carry the value at all.
    public let variants: [Int: [UInt8]]

    public init(_ value: T) throws {
        guard let versioned = T.self as? any VersionedWire.Type, versioned.wireVersions.count > 1 else {
            self.bytes = try WireJSON.encode(value)
            self.variants = [:]
            return
        }
        var variants: [Int: [UInt8]] = [:]
        var unavailable: VersionUnavailable?
        for version in versioned.wireVersions {
            do {
                variants[version] = try WireJSON.encode(value, version: version)
            } catch let error as VersionUnavailable {
                unavailable = error
            }
        }
        guard let newest = versioned.wireVersions.reversed().lazy.compactMap({ variants[$0] }).first else {
            throw unavailable ?? VersionUnavailable(value: "\(T.self)", version: versioned.wireVersions.last ?? 0)
        }
        self.bytes = newest
        let same = variants.count == versioned.wireVersions.count && variants.values.allSatisfy { $0 == newest }
        self.variants = same ? [:] : variants
    }

    /// The JSON one connection gets, encoded for its version only.
    public init(_ value: T, version: Int) throws {
        self.bytes = try WireJSON.encode(value, version: version)
        self.variants = [:]
    }

    /// Wraps bytes the caller guarantees are the JSON of a `T`.
    public init(encoded bytes: [UInt8]) {
        self.bytes = bytes
        self.variants = [:]
    }

    /// Drops the type, for the frame writer.
    public var erased: EncodedJSON { EncodedJSON(bytes: bytes, variants: variants) }
}

/// JSON text of any type, per protocol version when the versions differ.
public struct EncodedJSON: Sendable, Hashable {
    /// The text (the newest version's, when they differ).
    public let bytes: [UInt8]
    /// Each version's text, when the versions differ.
    public let variants: [Int: [UInt8]]

    public init(bytes: [UInt8], variants: [Int: [UInt8]] = [:]) {
        self.bytes = bytes
        self.variants = variants
    }

    /// Whether the text differs between protocol versions.
    public var isVersioned: Bool { !variants.isEmpty }

    /// Whether a connection speaking `version` can be sent this at all (a value of a later version cannot).
    public func isAvailable(in version: Int) -> Bool { variants.isEmpty || variants[version] != nil }

    /// The text a connection speaking `version` gets.
    public func bytes(for version: Int?) -> [UInt8] {
        guard let version, !variants.isEmpty else { return bytes }
        return variants[version] ?? bytes
    }

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
        // Untyped JSON skips Encodable's containers (see `JSONWriter`).
        if let json = value as? JSONValue { return try JSONWriter.bytes(json) }
        return Array(try encoder.encode(value))
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
