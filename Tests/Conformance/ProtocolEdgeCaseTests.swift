// Tests/Conformance/ProtocolEdgeCaseTests.swift - frames a parser can read two ways, or not at all, over a real socket

import Foundation
import Generated
import Testing

/// Each case sends what a careless or hostile client might and checks that the gateway answers (an error
/// with the request's id, or a close with upstream's code) instead of going silent or reading it differently.
@Suite("Protocol edge cases")
struct ProtocolEdgeCaseTests {
    static let client = #"{"id":"gateway-client","version":"1","platform":"linux","mode":"backend"}"#

    static func connectText(auth: String, extra: String = #""minProtocol":3,"maxProtocol":3"#) -> String {
        #"{"type":"req","id":"c","method":"connect","params":{\#(extra),"client":\#(client),"role":"operator","scopes":["operator.admin"],"auth":\#(auth)}}"#
    }

    /// A socket that got its challenge and nothing else.
    static func fresh(_ gateway: TestGateway) async throws -> WireClient {
        let socket = try await WireClient.connect(gateway.url)
        _ = try await socket.next()
        return socket
    }

    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    // MARK: - Duplicate member names

    @Test func aConnectWithARepeatedTokenDoesNotLogIn() async throws {
        try await TestGateway.with { gateway in
            for auth in [#"{"token":"\#(GatewaySetup.token)","token":"WRONG"}"#, #"{"token":"WRONG","token":"\#(GatewaySetup.token)"}"#] {
                let socket = try await Self.fresh(gateway)
                try await socket.send(Self.connectText(auth: auth))
                let close = try await socket.waitForClose()
                #expect(close.code == 1008)
                #expect(close.reason == "invalid request frame")
            }
        }
    }

    @Test func repeatedMemberNamesAfterLoginAreInvalidRequests() async throws {
        try await TestGateway.with { gateway in
            let (socket, _) = try await GatewayBehaviourTests.connected(gateway)
            try await socket.send(#"{"type":"req","id":"d","method":"health","method":"status"}"#)
            let answer = try await GatewayBehaviourTests.next(socket) { $0["id"] == "d" }
            #expect(answer["ok"] == false)
            #expect(answer["error"]?["code"] == "INVALID_REQUEST")
            #expect(answer["error"]?["message"] == "invalid request frame: must not repeat the member name 'method'")
            await socket.close()
        }
    }

    // MARK: - Nesting past the parser's limit

    @Test func tooDeepAfterLoginIsAnsweredByIdOrClosed() async throws {
        try await TestGateway.with { gateway in
            let (socket, _) = try await GatewayBehaviourTests.connected(gateway)
            try await socket.send(#"{"type":"req","id":"deep","method":"health","params":{"x":\#(Self.nested(600))}}"#)
            let answer = try await GatewayBehaviourTests.next(socket) { $0["id"] == "deep" }
            #expect(answer["error"]?["code"] == "INVALID_REQUEST")
            #expect(answer["error"]?["message"] == "invalid request frame: nested deeper than 512 levels")
            // The id after the deep part is found too.
            try await socket.send(#"{"params":\#(Self.nested(600)),"type":"req","id":"late","method":"health"}"#)
            #expect(try await GatewayBehaviourTests.next(socket) { $0["id"] == "late" }["error"]?["code"] == "INVALID_REQUEST")
            // No id to answer: the socket closes instead of leaving the caller waiting.
            try await socket.send(Self.nested(600))
            let close = try await socket.waitForClose()
            #expect(close.code == 1008)
            #expect(close.reason == "invalid request frame")
        }
    }

    @Test func tooDeepBeforeLoginCloses1008() async throws {
        try await TestGateway.with { gateway in
            let socket = try await Self.fresh(gateway)
            try await socket.send(#"{"type":"req","id":"c","method":"connect","params":\#(Self.nested(600))}"#)
            let close = try await socket.waitForClose()
            #expect(close.code == 1008)
            #expect(close.reason == "invalid request frame")
        }
    }

    // MARK: - Text that is not Unicode

    @Test func invalidUTF8Closes1007BeforeAndAfterLogin() async throws {
        try await TestGateway.with { gateway in
            let before = try await RawWebSocket.open(gateway)
            try await before.sendText(Array(#"{"type":"req","id":"c","method":"#.utf8) + [0x22, 0xFF, 0xFE, 0x22, 0x7D])
            let closeBefore = try await before.close()
            #expect(closeBefore.code == 1007)
            #expect(closeBefore.reason == "invalid UTF-8")

            let after = try await RawWebSocket.open(gateway)
            try await after.login(gateway)
            // A lone surrogate encoded as UTF-8 bytes (CESU) is not UTF-8 either.
            try await after.sendText(Array(#"{"type":"req","id":"u","method":"health","params":{"x":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}}"#.utf8))
            let closeAfter = try await after.close()
            #expect(closeAfter.code == 1007)
        }
    }

    @Test func aLoneSurrogateEscapeIsRefused() async throws {
        try await TestGateway.with { gateway in
            let before = try await Self.fresh(gateway)
            try await before.send(Self.connectText(auth: #"{"token":"\ud800"}"#))
            #expect(try await before.waitForClose().code == 1007)

            let (socket, _) = try await GatewayBehaviourTests.connected(gateway)
            try await socket.send(#"{"type":"req","id":"s","method":"health","params":{"x":"\udc00"}}"#)
            let answer = try await GatewayBehaviourTests.next(socket) { $0["id"] == "s" }
            #expect(answer["error"]?["code"] == "INVALID_REQUEST")
            await socket.close()
        }
    }

    // MARK: - maxPayload

    @Test func aMessageOverMaxPayloadCloses1009WithItsReason() async throws {
        try await TestGateway.with(GatewaySetup(maxPayload: 100_000)) { gateway in
            let (whole, _) = try await GatewayBehaviourTests.connected(gateway)
            try await whole.send(String(repeating: " ", count: 100_001))
            let wholeClose = try await whole.waitForClose()
            #expect(wholeClose.code == 1009)
            #expect(wholeClose.reason == "payload too large")

            let (split, _) = try await GatewayBehaviourTests.connected(gateway)
            try await split.sendFrame(fin: false, opcode: .text, Array(repeating: 0x20, count: 60_000))
            try await split.sendFrame(fin: true, opcode: .continuation, Array(repeating: 0x20, count: 60_000))
            let splitClose = try await split.waitForClose()
            #expect(splitClose.code == 1009)
            #expect(splitClose.reason == "payload too large")
        }
    }

    // MARK: - Numbers an integer field cannot hold

    @Test func nonIntegerNumbersAreValidationErrors() async throws {
        try await TestGateway.with { gateway in
            let (socket, _) = try await GatewayBehaviourTests.connected(gateway)
            try await socket.send(#"{"type":"req","id":"l","method":"logs.tail","params":{"limit":1.5}}"#)
            let answer = try await GatewayBehaviourTests.next(socket) { $0["id"] == "l" }
            #expect(answer["error"]?["code"] == "INVALID_REQUEST")
            #expect(answer["error"]?["message"]?.stringValue?.contains("at /limit: must be integer") == true, "\(answer)")
            await socket.close()

            let fresh = try await Self.fresh(gateway)
            try await fresh.send(Self.connectText(auth: #"{"token":"\#(GatewaySetup.token)"}"#, extra: #""minProtocol":1e30,"maxProtocol":3"#))
            let refused = try await GatewayBehaviourTests.next(fresh) { $0["type"] == "res" }
            #expect(refused["error"]?["message"]?.stringValue?.contains("at /minProtocol: must be integer") == true, "\(refused)")
            #expect(try await fresh.waitForClose().code == 1008)
        }
    }

    // MARK: - Requests in flight per socket

    @Test func requestsPastTheInFlightLimitAreRefusedRetryably() async throws {
        try await TestGateway.with(GatewaySetup(maxInFlightRequests: 2)) { gateway in
            let (socket, _) = try await GatewayBehaviourTests.connected(gateway)
            // Two waits on a run nobody started hold both slots for their whole timeout.
            for id in ["w1", "w2"] {
                try await socket.send(#"{"type":"req","id":"\#(id)","method":"agent.wait","params":{"runId":"never","timeoutMs":60000}}"#)
            }
            try await socket.send(#"{"type":"req","id":"h","method":"health"}"#)
            let refused = try await GatewayBehaviourTests.next(socket) { $0["id"] == "h" }
            #expect(refused["ok"] == false)
            #expect(refused["error"]?["code"] == "UNAVAILABLE")
            #expect(refused["error"]?["retryable"] == true)
            // Other sockets are served meanwhile.
            let (other, _) = try await GatewayBehaviourTests.connected(gateway)
            try await other.send(#"{"type":"req","id":"o","method":"health"}"#)
            #expect(try await GatewayBehaviourTests.next(other) { $0["id"] == "o" }["ok"] == true)
            await other.close()
            await socket.close()
        }
    }
}
