// Sources/FuzzTargets/Targets/FrameTarget.swift - a client's text message → InboundFrame (and FrameIDScanner)

import Foundation
import Generated
import ProtocolSupport
import Runtime

extension FuzzTarget {
    /// `InboundFrame.parse`, what a socket does with every text message, and `FrameIDScanner`, which reads
    /// the `id` of a frame that does not parse so it can still be answered.
    ///
    /// Invariants: a request re-encodes to a frame that parses to the same id, method and params; the id the
    /// answer goes to is the frame's own top-level `id` whenever the text is JSON with one (never another
    /// member's); text that is UTF-8 is never called "not Unicode" unless it escapes a lone surrogate.
    public static let frame = FuzzTarget(
        name: "frame",
        summary: "InboundFrame.parse + FrameIDScanner: request frames round-trip, answers go to the frame's own id",
        seeds: FrameSeeds.all,
        dictionary: FrameSeeds.dictionary,
        check: { input throws(InvariantBreak) in try FrameCheck.run(input) }
    )
}

enum FrameCheck {
    static func run(_ input: [UInt8]) throws(InvariantBreak) -> Bool {
        let parsed = InboundFrame.parse(input)
        let scanned = FrameIDScanner.id(in: input)
        let tree = try? JSONValue(parsing: input, rejectingDuplicateKeys: true)
        // The scanner must agree with a full parse wherever one succeeds.
        if let tree, case .object(let members) = tree {
            let expected = members["id"]?.stringValue
            if let expected, scanned != expected {
                throw InvariantBreak("FrameIDScanner read \(scanned.debugDescription), the frame's id is \(expected.debugDescription)")
            }
            if expected == nil, let scanned {
                throw InvariantBreak("FrameIDScanner read \(scanned.debugDescription) from a frame without a string id")
            }
        }
        switch parsed {
        case .request(let request):
            guard let tree else { throw InvariantBreak("a request was read from text our parser refuses") }
            // A received frame keeps its params as text (`DeferredJSON`), so the copy takes them from the tree.
            let copy = RequestFrame(id: request.id, method: request.method, params: tree["params"].map(DeferredJSON.init))
            let encoded: [UInt8]
            do {
                encoded = try WireJSON.encode(copy)
            } catch {
                throw InvariantBreak("a parsed request cannot be encoded: \(error)")
            }
            guard case .request(let again) = InboundFrame.parse(encoded), again.id == request.id, again.method == request.method,
                let reread = try? JSONValue(parsing: encoded), JSONCheck.sameValue(reread["params"] ?? .null, tree["params"] ?? .null)
            else {
                throw InvariantBreak("a re-encoded request reads differently: \(String(decoding: encoded.prefix(300), as: UTF8.self))")
            }
            return true
        case .notUnicode(let id, let escaped):
            if !escaped, String(validating: input, as: UTF8.self) != nil {
                throw InvariantBreak("valid UTF-8 was called not UTF-8")
            }
            if let id, id != scanned { throw InvariantBreak("answered to \(id), not the scanned id") }
            return false
        case .nestedTooDeeply(let id), .invalid(let id, _):
            if let id, let tree, tree["id"]?.stringValue != id {
                throw InvariantBreak("answered to \(id.debugDescription), the frame's id is \(String(describing: tree["id"]))")
            }
            return tree != nil
        case .notJSON:
            if tree != nil { throw InvariantBreak("JSON was called not JSON") }
            return false
        }
    }
}

/// Frames a client sends: every method once, the handshake, and the edge cases of `ProtocolEdgeCaseTests`.
enum FrameSeeds {
    static let client = #"{"id":"gateway-client","version":"1","platform":"linux","mode":"backend"}"#

    static let all: [[UInt8]] = {
        var frames = [
            #"{"type":"req","id":"c","method":"connect","params":{"minProtocol":3,"maxProtocol":4,"client":\#(client),"role":"operator","scopes":["operator.admin"],"auth":{"token":"T"}}}"#,
            #"{"type":"req","id":"d","method":"health","method":"status"}"#,
            #"{"type":"req","id":"s","method":"health","params":{"x":"\udc00"}}"#,
            #"{"params":[[[[]]]],"type":"req","id":"late","method":"health"}"#,
            #"{"type":"req","id":"l","method":"logs.tail","params":{"limit":1.5}}"#,
            #"{"type":"req","id":"n","method":"connect","params":{"minProtocol":1e30,"maxProtocol":3}}"#,
            #"{"type":"req","id":"","method":""}"#, #"{"type":"event","event":"tick"}"#, #"{"id":{"id":"inner"},"type":"req"}"#,
            "this is not json", "",
        ]
        frames += GatewayMethod.allCases.map { #"{"type":"req","id":"\#($0.rawValue)-1","method":"\#($0.rawValue)","params":{}}"# }
        return frames.map(bytes) + [Array(#"{"type":"req","id":"c","method":"#.utf8) + [0x22, 0xFF, 0xFE, 0x22, 0x7D]]
    }()

    static let dictionary: [[UInt8]] =
        ([#""type":"req""#, #""id":"#, #""method":"#, #""params":"#, "\"req\"", "\"res\"", "\"event\""] + GatewayMethod.allCases.map { "\"\($0.rawValue)\"" })
        .map(bytes)
}
