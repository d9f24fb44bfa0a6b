// Sources/ProtocolSupport/RequestParams.swift - typed params decoded from a request's own bytes

import Foundation

/// The `params` of one request, decoded on demand into the type the method table names.
public struct RequestParams: Sendable {
    private let message: Data
    /// Whether the request carried a `params` key at all.
    public let isPresent: Bool

    /// - Parameters:
    ///   - message: The whole request frame's JSON text.
    ///   - isPresent: Whether it had `params`.
    public init(message: Data, isPresent: Bool) {
        self.message = message
        self.isPresent = isPresent
    }

    /// Decodes `params` as `T`; absent params decode as `{}` so required fields are reported by name.
    /// - Throws: `ValidationIssue` with a pointer relative to `params`.
    public func decode<T: Decodable>(_ type: T.Type) throws(ValidationIssue) -> T {
        do {
            if !isPresent { return try WireJSON.decode(T.self, from: Data("{}".utf8)) }
            return try WireJSON.decode(Envelope<T>.self, from: message).params
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
