// Tests/RuntimeTests/FrameWriterTests.swift - spliced frames decode as the generated frame types

import Foundation
import Generated
import Testing

@Suite("Frame writer")
struct FrameWriterTests {
    @Test func responsesDecodeAsResponseFrame() throws {
        let error = try Payload(ErrorShape(code: .invalidRequest, message: "nope", details: ["code": "X"])).erased
        let bytes = FrameWriter.response(id: "id \"quoted\"\n\u{1}", ok: false, payload: EncodedJSON(bytes: Array("[1,2]".utf8)), error: error)
        let frame = try JSONDecoder().decode(ResponseFrame.self, from: Data(bytes))
        #expect(frame.id == "id \"quoted\"\n\u{1}")
        #expect(frame.ok == false)
        #expect(frame.payload == [1, 2])
        #expect(frame.error?.code == .invalidRequest)
        #expect(frame.error?.details == ["code": "X"])
    }

    @Test func eventsDecodeAsEventFrame() throws {
        let version = try Payload(StateVersion(presence: 3, health: 4)).erased
        let head = FrameWriter.eventHead(name: "presence", payload: EncodedJSON(bytes: Array(#"{"presence":[]}"#.utf8)), stateVersion: version)
        let frame = try JSONDecoder().decode(EventFrame.self, from: Data(FrameWriter.event(head: head, seq: 7)))
        #expect(frame.event == "presence")
        #expect(frame.seq == 7)
        #expect(frame.stateVersion == StateVersion(presence: 3, health: 4))
        let targeted = try JSONDecoder().decode(EventFrame.self, from: Data(FrameWriter.event(head: head, seq: nil)))
        #expect(targeted.seq == nil)
    }

    @Test func generatedDecodersAreStrict() {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(ResponseFrame.self, from: Data(#"{"type":"res","id":"1","ok":true,"extra":1}"#.utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(RequestFrame.self, from: Data(#"{"type":"res","id":"1","method":"x"}"#.utf8)) }
    }

    @Test func openEnumsKeepUnknownValues() throws {
        let shape = try JSONDecoder().decode(ErrorShape.self, from: Data(#"{"code":"FORBIDDEN","message":"m"}"#.utf8))
        #expect(shape.code == .unrecognized("FORBIDDEN"))
        #expect(String(decoding: try JSONEncoder().encode(shape.code), as: UTF8.self) == #""FORBIDDEN""#)
    }

    @Test func nullableFieldsAreWrittenAsNull() throws {
        let json = String(decoding: try Payload(ShutdownEvent(reason: "gateway stopping", restartExpectedMs: nil)).bytes, as: UTF8.self)
        #expect(json.contains(#""restartExpectedMs":null"#))
    }
}
