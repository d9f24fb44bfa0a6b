// Tests/Conformance/Channels/ChannelsMethodsTests.swift - channels.status, channels.logout and send over the wire

import Foundation
import Generated
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Channels methods")
struct ChannelsMethodsTests {
    @Test("channels.status lists channels in order with labels, accounts, default account, warnings and probes")
    func statusShape() async throws {
        let channels = #"{"fake":{"defaultAccount":"a","accounts":{"a":{"token":"good","name":"Main"},"b":{"dmPolicy":"open"}}}}"#
        try await ChannelHarness.with(channels: channels) { harness in
            _ = try await harness.events.next { $0 == .started("a") }
            let socket = try await harness.connect()
            let response = try await socket.call("1", "channels.status", ["probe": true, "timeoutMs": 2000])
            #expect(response["ok"] == true)
            let payload = try #require(response["payload"])
            #expect(payload["ts"]?.intValue != nil)
            // Built-in channels (IRC, Telegram…) come first; the test plugin is added after them, webchat last.
            let order = payload["channelOrder"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(order.suffix(2) == ["fake", "webchat"])
            #expect(payload["channelLabels"]?["fake"] == "Fake")
            #expect(payload["channelLabels"]?["webchat"] == "WebChat")
            #expect(payload["channelDefaultAccountId"]?["fake"] == "a")
            let meta = payload["channelMeta"]?.arrayValue?.first { $0["id"] == "fake" }
            #expect(meta?["detailLabel"] == "Fake test channel")
            #expect(payload["channels"]?["fake"]?["configured"] == true)
            #expect(payload["channels"]?["fake"]?["connected"] == true)
            let accounts = try #require(payload["channelAccounts"]?["fake"]?.arrayValue)
            #expect(accounts.count == 2)
            let a = accounts[0]
            #expect(a["accountId"] == "a")
            #expect(a["name"] == "Main")
            #expect(a["configured"] == true)
            #expect(a["running"] == true)
            #expect(a["connected"] == true)
            #expect(a["dmPolicy"] == "pairing")
            #expect(a["probe"]?["ok"] == true)
            #expect(a["probe"]?["bot"] == "fakebot")
            #expect(a["details"]?["kind"] == "fake")
            #expect(a["warnings"] == nil)
            let b = accounts[1]
            #expect(b["accountId"] == "b")
            #expect(b["configured"] == false)
            #expect(b["running"] == false)
            #expect(b["probe"] == nil)
            let warnings = b["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(warnings.contains { $0.contains("set channels.fake.token") })
            #expect(payload["channelAccounts"]?["webchat"]?[0]?["connected"] == true)
            let health = try await socket.call("2", "health", ["probe": true])
            // health lists configured channels only.
            #expect(health["payload"]?["channelOrder"] == ["fake"])
            #expect(health["payload"]?["channels"]?["fake"]?["running"] == true)
            let status = try await socket.call("3", "status", [:])
            #expect(status["payload"]?["channelSummary"]?.arrayValue?.contains("Fake: connected (1/1)") == true)
            await socket.close()
        }
    }

    @Test("send delivers through the channel, a retry with the same idempotencyKey does not send again, webchat is refused")
    func sendDedupe() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#, chunkLimit: 10) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let params: JSONValue = ["to": "#room", "message": "hello world again", "channel": "fake", "idempotencyKey": "k1"]
            let first = try await socket.call("1", "send", params)
            #expect(first["ok"] == true)
            #expect(first["payload"]?["runId"] == "k1")
            #expect(first["payload"]?["channel"] == "fake")
            #expect(first["payload"]?["chunks"] == 3)
            let messageId = try #require(first["payload"]?["messageId"]?.stringValue)
            let one = try await harness.events.nextSent()
            let two = try await harness.events.nextSent()
            let three = try await harness.events.nextSent()
            #expect(one.target == ChannelTarget(peerId: "#room", chatType: .group))
            #expect([one.text, two.text, three.text] == ["hello", "world", "again"])
            let retry = try await socket.call("2", "send", params)
            #expect(retry["payload"]?["messageId"]?.stringValue == messageId)
            #expect(harness.events.pending.isEmpty)
            // Without `channel` the only running channel is used.
            let implicit = try await socket.call("3", "send", ["to": "bob", "message": "hi", "idempotencyKey": "k2"])
            #expect(implicit["payload"]?["channel"] == "fake")
            #expect(try await harness.events.nextSent().target.peerId == "bob")
            let webchat = try await socket.call("4", "send", ["to": "x", "message": "hi", "channel": "webchat", "idempotencyKey": "k3"])
            #expect(webchat["ok"] == false)
            #expect(webchat["error"]?["code"] == "INVALID_REQUEST")
            let unknown = try await socket.call("5", "send", ["to": "x", "message": "hi", "channel": "nope", "idempotencyKey": "k4"])
            #expect(unknown["error"]?["code"] == "INVALID_REQUEST")
            await socket.close()
        }
    }

    @Test("channels.logout stops the account")
    func logout() async throws {
        try await ChannelHarness.with(channels: #"{"fake":{"token":"good"}}"#) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let response = try await socket.call("1", "channels.logout", ["channel": "fake"])
            #expect(response["payload"] == ["channel": "fake", "accountId": "default", "cleared": false])
            _ = try await harness.events.next { $0 == .stopped("default") }
            let status = try await socket.call("2", "channels.status", [:])
            #expect(status["payload"]?["channelAccounts"]?["fake"]?[0]?["running"] == false)
            await socket.close()
        }
    }
}

@Suite("Channel health monitor")
struct ChannelHealthMonitorTests {
    @Test("a stuck account is restarted at most gateway.channelMaxRestartsPerHour times")
    func restartCap() async throws {
        let setup = ChannelSetup(healthCheckInterval: .milliseconds(30), staleAfter: .zero)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good","connect":false}}"#, extra: #""gateway":{"channelMaxRestartsPerHour":2}"#, setup: setup
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            for _ in 0..<2 {
                _ = try await harness.events.next { $0 == .stopped("default") }
                _ = try await harness.events.next { $0 == .started("default") }
            }
            // The budget is spent: several more checks pass without another restart.
            await #expect(throws: FakeChannelError.self) {
                _ = try await harness.events.next(timeout: .milliseconds(400)) { $0 == .stopped("default") }
            }
            let socket = try await harness.connect()
            let status = try await socket.call("1", "channels.status", [:])
            let account = status["payload"]?["channelAccounts"]?["fake"]?[0]
            #expect(account?["restartCount"] == 2)
            #expect(account?["running"] == true)
            #expect(account?["connected"] == false)
            await socket.close()
        }
    }
}
