// Tests/RuntimeTests/ProtocolVersioningTests.swift - negotiation and per-version encodings

import Foundation
import Generated
import ProtocolSupport
import Testing

@testable import Runtime

@Suite("Protocol versions: negotiation and encodings")
struct ProtocolVersioningTests {
    @Test func theHighestSupportedVersionInsideTheClientsRangeWins() {
        #expect(ProtocolNegotiation.negotiate(minProtocol: 3, maxProtocol: 3, isProbe: false) == 3)
        #expect(ProtocolNegotiation.negotiate(minProtocol: 3, maxProtocol: 4, isProbe: false) == 4)
        #expect(ProtocolNegotiation.negotiate(minProtocol: 4, maxProtocol: 9, isProbe: false) == 4)
        #expect(ProtocolNegotiation.negotiate(minProtocol: 1, maxProtocol: 3, isProbe: false) == 3)
        #expect(ProtocolNegotiation.negotiate(minProtocol: 1, maxProtocol: 2, isProbe: false) == nil)
        #expect(ProtocolNegotiation.negotiate(minProtocol: 5, maxProtocol: 6, isProbe: true) == nil)
        #expect(ProtocolNegotiation.negotiate(minProtocol: 4, maxProtocol: 3, isProbe: false) == nil)
    }

    @Test func connectParamsAreReadAsTheVersionTheClientWillGet() {
        func message(_ params: String) -> [UInt8] { Array(#"{"type":"req","id":"c","method":"connect","params":\#(params)}"#.utf8) }
        #expect(ProtocolNegotiation.candidate(forConnect: message(#"{"minProtocol":3,"maxProtocol":3}"#)) == 3)
        #expect(ProtocolNegotiation.candidate(forConnect: message(#"{"minProtocol":3,"maxProtocol":7}"#)) == 4)
        #expect(ProtocolNegotiation.candidate(forConnect: message(#"{"maxProtocol":1}"#)) == 3)
        #expect(ProtocolNegotiation.candidate(forConnect: message(#"{"maxProtocol":"x"}"#)) == ProtocolVersion.current)
    }

    @Test func aVersionedPayloadKeepsOneEncodingPerVersionOnlyWhenTheyDiffer() throws {
        let delta = ChatEvent(runId: "r", sessionKey: "s", seq: 1, state: .delta, message: "hi", deltaText: "hi")
        let payload = try Payload(delta).erased
        #expect(payload.isVersioned)
        let v3 = try JSONValue(parsing: payload.bytes(for: 3))
        let v4 = try JSONValue(parsing: payload.bytes(for: 4))
        #expect(v3["deltaText"] == nil && v4["deltaText"] == "hi")
        // A final event has no v4-only field set: one encoding serves both.
        let final = try Payload(ChatEvent(runId: "r", sessionKey: "s", seq: 2, state: .final, message: "hi")).erased
        #expect(!final.isVersioned)
        // Frames splice the connection's version.
        let frame = try JSONValue(parsing: FrameWriter.response(id: "1", ok: true, payload: payload, version: 3))
        #expect(frame["payload"]?["deltaText"] == nil)
    }

    @Test func aFieldRequiredInV4CannotBeLeftOutOfAV4Encoding() throws {
        let hello = HelloOk(
            protocol: 4, server: HelloServer(version: "1", connId: "c"), features: HelloFeatures(methods: [], events: []),
            snapshot: Snapshot(
                presence: [],
                health: .init(
                    ok: true, ts: 0, durationMs: 0, channels: [:], channelOrder: [], channelLabels: [:], heartbeatSeconds: 0, defaultAgentId: "main",
                    agents: [], sessions: .init(path: "", count: 0, recent: [])), stateVersion: StateVersion(presence: 1, health: 1), uptimeMs: 0),
            policy: HelloPolicy(maxPayload: 1, maxBufferedBytes: 1, tickIntervalMs: 1)
        )
        #expect(throws: EncodingError.self) { try Payload(hello, version: 4) }
        let v3 = try JSONValue(parsing: Payload(hello, version: 3).bytes)
        #expect(v3["auth"] == nil)
    }
}
