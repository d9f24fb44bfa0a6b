// Sources/Runtime/Connection/ProtocolNegotiation.swift - which protocol version a connection speaks

import Foundation
import Generated

/// The server speaks every version in `ProtocolVersion.supported`; a connection gets the highest one inside its
/// client's `[minProtocol, maxProtocol]` (upstream's servers speak exactly one). A probe-mode client whose range
/// reaches `minimumProbe` gets the highest version at or below its `maxProtocol`.
enum ProtocolNegotiation {
    /// The version `connect` params are read as before they are validated: the one the client will get when it
    /// is accepted (the highest supported at or below its `maxProtocol`), else the nearest one, so that a
    /// refused client's params are still checked against a real shape.
    static func candidate(forConnect message: [UInt8]) -> Int {
        let maxProtocol = (try? WireJSON.decode(RangePeek.self, from: message))?.params?.maxProtocol
        guard let maxProtocol else { return ProtocolVersion.current }
        return ProtocolVersion.supported.last { $0 <= maxProtocol } ?? ProtocolVersion.minimumClient
    }

    /// The negotiated version, or nil when the client's range includes none the server speaks.
    static func negotiate(minProtocol: Int, maxProtocol: Int, isProbe: Bool) -> Int? {
        if let version = ProtocolVersion.supported.last(where: { minProtocol <= $0 && $0 <= maxProtocol }) { return version }
        guard isProbe, maxProtocol >= ProtocolVersion.minimumProbe, minProtocol <= ProtocolVersion.current else { return nil }
        return ProtocolVersion.supported.last { $0 <= maxProtocol } ?? ProtocolVersion.minimumClient
    }

    /// `params.maxProtocol` and nothing else, read leniently (the strict read comes after).
    private struct RangePeek: Decodable {
        struct Range: Decodable { var maxProtocol: Int? }
        var params: Range?
    }
}
