// Tests/Conformance/Channels/HookDeliveryTests.swift - POST /hooks/agent delivering its reply through a channel

import AsyncHTTPClient
import Foundation
import Generated
import NIOCore
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Hook delivery to channels")
struct HookDeliveryTests {
    static let hookToken = "delivery-hook-token"
    static let hooks = #""hooks":{"enabled":true,"token":"delivery-hook-token"}"#

    /// POSTs `body` to `/hooks/agent` with the hook token; status and JSON answer.
    private func post(_ harness: ChannelHarness, _ body: JSONValue) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: harness.url.replacingOccurrences(of: "ws://", with: "http://") + "/hooks/agent")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.hookToken)")
        request.body = .bytes(ByteBuffer(string: body.text))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONValue.parse(String(buffer: bytes))) ?? .null)
    }

    @Test("channel + to send the run's reply to that chat and completion says it was delivered")
    func deliversTheReply() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#, extra: Self.hooks, fallback: OpenAIScript.text(["build is green"])) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let (status, answer) = try await post(harness, ["message": "CI finished", "channel": "fake", "to": "alice", "waitForCompletion": true])
            #expect(status == 200, "\(answer)")
            #expect(answer["completion"]?["status"]?.stringValue == "ok")
            #expect(answer["completion"]?["deliveryAttempted"]?.boolValue == true)
            #expect(answer["completion"]?["delivered"]?.boolValue == true)
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "alice")
            #expect(sent.text == "build is green")
        }
    }

    @Test("deliver false runs without sending; without waiting the reply is still delivered")
    func deliverFlag() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#, extra: Self.hooks, fallback: OpenAIScript.text(["done"])) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let (quiet, quietAnswer) = try await post(harness, ["message": "one", "channel": "fake", "to": "bob", "deliver": false, "waitForCompletion": true])
            #expect(quiet == 200)
            #expect(quietAnswer["completion"]?["delivered"] == nil)
            let (status, answer) = try await post(harness, ["message": "two", "channel": "fake", "to": "carol"])
            #expect(status == 200)
            #expect(answer["runId"]?.stringValue != nil)
            // The first message reaching the channel is the second hook's: the first was never sent.
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "carol")
        }
    }

    @Test("bad destinations are refused with 400 before any run starts")
    func badDestinations() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#, extra: Self.hooks) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let cases: [(JSONValue, String)] = [
                (["message": "x", "channel": "last", "to": "alice"], "last"),
                (["message": "x", "channel": "fake"], "together"),
                (["message": "x", "to": "alice"], "together"),
                (["message": "x", "channel": "carrier-pigeon", "to": "alice"], "unsupported channel"),
                (["message": "x", "channel": "fake", "to": "alice", "accountId": "nope"], "unknown account"),
                (["message": "x", "channel": "webchat", "to": "alice"], "webchat"),
            ]
            for (body, expected) in cases {
                let (status, answer) = try await post(harness, body)
                #expect(status == 400, "\(body) → \(status) \(answer)")
                #expect(answer["ok"]?.boolValue == false)
                #expect(answer["error"]?.stringValue?.contains(expected) == true, "\(body) → \(answer)")
            }
            #expect(harness.modelInputs.isEmpty, "no run may start for a refused hook")
        }
    }
}

@Suite("agent deliver to channels")
struct AgentDeliveryTests {
    @Test("agent with deliver sends the reply through the channel and says so in meta; bad destinations are refused before the ack")
    func agentDelivers() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#, fallback: OpenAIScript.text(["deployed"])) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let params: JSONValue = ["message": "ship it", "idempotencyKey": "deliver-1", "deliver": true, "channel": "fake", "to": "carol"]
            try await socket.send("a1", "agent", params)
            let ack = try await socket.response("a1")
            #expect(ack["payload"]?["status"] == "accepted")
            let final = try await socket.response("a1", timeout: .seconds(15))
            #expect(final["ok"] == true, "\(final)")
            #expect(final["payload"]?["result"]?["meta"]?["delivered"] == true)
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "carol")
            #expect(sent.text == "deployed")

            let refusals: [(JSONValue, String)] = [
                (["message": "x", "idempotencyKey": "d-2", "deliver": true, "channel": "fake"], "deliver needs a channel"),
                (["message": "x", "idempotencyKey": "d-3", "deliver": true, "channel": "pigeon", "to": "carol"], "unsupported channel: pigeon"),
                (
                    ["message": "x", "idempotencyKey": "d-4", "deliver": true, "replyChannel": "fake", "to": "carol", "replyAccountId": "nope"],
                    "unknown account nope"
                ),
            ]
            for (index, (params, expected)) in refusals.enumerated() {
                let answer = try await socket.call("r\(index)", "agent", params)
                #expect(answer["ok"] == false)
                #expect(answer["error"]?["code"] == "INVALID_REQUEST")
                #expect(answer["error"]?["message"]?.stringValue?.contains(expected) == true, "\(answer)")
            }
            #expect(harness.modelInputs == ["ship it"])
            await socket.close()
        }
    }

    @Test("a channel message records the session's last route; deliver without a destination uses it")
    func deliverToTheLastRoute() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good","dmPolicy":"open"}}"#, fallback: OpenAIScript.text(["noted"])) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("alice", "remind me later"))
            _ = try await harness.events.nextSent()
            let socket = try await harness.connect()
            let list = try await socket.call("l", "sessions.list", [:])
            let main = list["payload"]?["sessions"]?.arrayValue?.first { $0["key"] == "agent:main:main" }
            #expect(main?["lastChannel"] == "fake")
            #expect(main?["lastTo"] == "alice")
            #expect(main?["lastAccountId"] == "default")

            try await socket.send("a", "agent", ["message": "reminder time", "idempotencyKey": "last-route", "deliver": true])
            _ = try await socket.response("a")
            let final = try await socket.response("a", timeout: .seconds(15))
            #expect(final["payload"]?["result"]?["meta"]?["delivered"] == true, "\(final)")
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "alice")
            await socket.close()
        }
    }
}
