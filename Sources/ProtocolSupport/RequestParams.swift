// Sources/ProtocolSupport/RequestParams.swift - typed params decoded from a request's own bytes

import Foundation

/// The `params` of one request, decoded on demand into the type the method table names.
public struct RequestParams: Sendable {
    private let message: Data
    /// Whether the request carried a `params` key at all.
    public let isPresent: Bool
    /// The caller's protocol version: fields of other versions are unknown, and fields this version requires are.
    public let protocolVersion: Int?

    /// - Parameters:
    ///   - message: The whole request frame's JSON text.
    ///   - isPresent: Whether it had `params`.
    ///   - protocolVersion: The connection's negotiated version (nil: every version's fields).
    public init(message: Data, isPresent: Bool, protocolVersion: Int? = nil) {
        self.message = message
        self.isPresent = isPresent
        self.protocolVersion = protocolVersion
    }

    /// Decodes `params` as `T`; absent params decode as `{}` so required fields are reported by name.
    /// - Throws: `ValidationIssue` with a pointer relative to `params`.
    public func decode<T: Decodable>(_ type: T.Type) throws(ValidationIssue) -> T {
        do {
            if !isPresent { return try WireJSON.decode(T.self, from: Data("{}".utf8), version: protocolVersion) }
            return try WireJSON.decode(Envelope<T>.self, from: message, version: protocolVersion).params
        } catch {
            throw ValidationIssue(error, droppingPrefix: isPresent ? 1 : 0)
        }
    }

    /// Params given as bare JSON text (a tool call's arguments) rather than inside a request frame;
    /// empty text counts as absent.
    public static func standalone(_ json: some Collection<UInt8>) -> RequestParams {
        let isBlank = json.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if isBlank { return RequestParams(message: Data(), isPresent: false) }
        return RequestParams(message: Data(#"{"params":"#.utf8) + Data(json) + Data("}".utf8), isPresent: true)
    }

    private struct Envelope<Params: Decodable>: Decodable {
        let params: Params
        enum CodingKeys: String, CodingKey { case params }
    }
}
