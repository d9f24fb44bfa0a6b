// Tests/Conformance/Automation/HeartbeatTests.swift - the heartbeat runner over real sockets, on a clock the test moves

import AsyncHTTPClient
import Foundation
import Generated
import NIOCore
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

@Suite("Heartbeat runner")
struct HeartbeatTests {
    /// 2027-01-15T10:00:00Z: a weekday morning, so active hours can be placed around it.
    static let start = 1_800_007_200_000
    static let halfHour = 30 * 60_000
    static let prompt = ConfigDefaults.agentsDefaultsHeartbeatPrompt
    /// How long wake requests are gathered before a beat (upstream's 250 ms).
    static let coalesceMs = 250

    static func heartbeat(_ members: String) -> String { #""heartbeat":{"# + members + "}" }

    @Test("a due beat runs the prompt and delivers the alert to its target; last-heartbeat answers it")
    func beatDeliversAlert() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good"}}"#, agentDefaults: Self.heartbeat(#""every":"30m","target":"fake","to":"alice""#),
            fallback: OpenAIScript.text(["Water the plants."]), clock: clock
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let before = try await socket.call("h0", "last-heartbeat", .null)
            #expect(before["payload"] == .null, "\(before)")
            clock.advance(by: Self.halfHour)
            let event = try await socket.event("heartbeat")
            #expect(event["status"] == "sent", "\(event)")
            #expect(event["to"] == "alice")
            #expect(event["channel"] == "fake")
            #expect(event["preview"] == "Water the plants.")
            #expect(event["indicatorType"] == "alert")
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "alice")
            #expect(sent.text == "Water the plants.")
            #expect(harness.modelInputs == [Self.prompt])
            let last = try await socket.call("h1", "last-heartbeat", .null)
            #expect(last["payload"]?["status"] == "sent")
            #expect(last["payload"]?["ts"]?.intValue == Self.start + Self.halfHour)
            let health = try await socket.call("h2", "health", ["probe": true])
            #expect(health["payload"]?["heartbeatSeconds"]?.intValue == 1800)
            #expect(health["payload"]?["agents"]?[0]?["heartbeat"]?["target"] == "fake")
            await socket.close()
        }
    }

    @Test("HEARTBEAT_OK is an acknowledgement: nothing is sent unless showOk, and then the token is")
    func acknowledgements() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good"}}"#, agentDefaults: Self.heartbeat(#""every":"30m","target":"fake","to":"alice""#),
            replies: [OpenAIScript.text(["**HEARTBEAT_OK**"]), OpenAIScript.text(["All quiet. HEARTBEAT_OK"])], clock: clock, hotReload: true
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            clock.advance(by: Self.halfHour)
            let first = try await socket.event("heartbeat")
            #expect(first["status"] == "ok-token", "\(first)")
            #expect(first["silent"] == true)
            #expect(first["indicatorType"] == "ok")
            #expect(first["reason"] == "interval")
            // showOk on the channel: the next acknowledgement sends the token itself.
            let patch = try await socket.call(
                "p", "config.patch", ["raw": #"{"channels":{"fake":{"heartbeat":{"showOk":true}}}}"#, "baseHash": try await Self.hash(socket)]
            )
            #expect(patch["ok"] == true, "\(patch)")
            _ = try await harness.events.next { $0 == .started("default") }
            clock.advance(by: Self.halfHour)
            let second = try await socket.event("heartbeat")
            #expect(second["status"] == "ok-token", "\(second)")
            #expect(second["silent"] == false)
            let sent = try await harness.events.nextSent()
            #expect(sent.text == "HEARTBEAT_OK")
            await socket.close()
        }
    }

    @Test("an empty HEARTBEAT.md skips the beat without calling the model; the same alert twice within 24 h is sent once")
    func skipRules() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good"}}"#, agentDefaults: Self.heartbeat(#""every":"30m","target":"fake","to":"alice""#),
            fallback: OpenAIScript.text(["Check the backups."]), clock: clock
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let workspace = harness.stateDir + "/workspace"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            try "# Heartbeat tasks\n\n- [ ]\n-\n".write(toFile: workspace + "/HEARTBEAT.md", atomically: true, encoding: .utf8)
            let socket = try await harness.connect()
            clock.advance(by: Self.halfHour)
            let skipped = try await socket.event("heartbeat")
            #expect(skipped["status"] == "skipped", "\(skipped)")
            #expect(skipped["reason"] == "empty-heartbeat-file")
            #expect(harness.modelInputs.isEmpty)

            try "# Heartbeat tasks\n\n- check the backups\n".write(toFile: workspace + "/HEARTBEAT.md", atomically: true, encoding: .utf8)
            clock.advance(by: Self.halfHour)
            #expect(try await socket.event("heartbeat")["status"] == "sent")
            clock.advance(by: Self.halfHour)
            let duplicate = try await socket.event("heartbeat")
            #expect(duplicate["status"] == "skipped", "\(duplicate)")
            #expect(duplicate["reason"] == "duplicate")
            clock.advance(by: 24 * 2 * Self.halfHour)
            #expect(try await socket.event("heartbeat")["status"] == "sent")
            #expect(harness.events.sentTexts == ["Check the backups.", "Check the backups."])
            await socket.close()
        }
    }

    @Test("wake now beats at once with the text as a system event; next-heartbeat waits for the interval")
    func wakeModes() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good"}}"#, agentDefaults: Self.heartbeat(#""every":"30m","target":"none""#),
            fallback: OpenAIScript.text(["Noted."]), clock: clock
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let later = try await socket.call("w1", "wake", ["mode": "next-heartbeat", "text": "Backup finished"])
            #expect(later["payload"]?["ok"] == true, "\(later)")
            let blank = try await socket.call("w0", "wake", ["mode": "now", "text": "   "])
            #expect(blank["payload"]?["ok"] == false, "\(blank)")
            let now = try await socket.call("w2", "wake", ["mode": "now", "text": "Deploy finished"])
            #expect(now["payload"]?["ok"] == true, "\(now)")
            clock.advance(by: Self.coalesceMs)
            let event = try await socket.event("heartbeat")
            #expect(event["status"] == "skipped", "\(event)")
            #expect(event["reason"] == "target-none")
            let input = try #require(harness.modelInputs.first)
            #expect(input.contains("System: Backup finished"), "\(input)")
            #expect(input.contains("System: Deploy finished"))
            #expect(input.hasSuffix(Self.prompt))
            let bad = try await socket.call("w3", "wake", ["mode": "soon", "text": "x"])
            #expect(bad["ok"] == false)
            #expect(bad["error"]?["code"] == "INVALID_REQUEST")
            await socket.close()
        }
    }

    @Test("set-heartbeats turns the timer off and on; bad params get upstream's message")
    func setHeartbeats() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good"}}"#, agentDefaults: Self.heartbeat(#""every":"1h""#), extra: #""cron":{"enabled":false}"#, clock: clock
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            let bad = try await socket.call("s0", "set-heartbeats", ["enabled": "yes"])
            #expect(bad["error"]?["code"] == "INVALID_REQUEST")
            #expect(bad["error"]?["message"] == "invalid set-heartbeats params: enabled (boolean) required")
            #expect(clock.nextDeadline == Self.start + 2 * Self.halfHour)
            let off = try await socket.call("s1", "set-heartbeats", ["enabled": false])
            #expect(off["payload"] == ["ok": true, "enabled": false], "\(off)")
            #expect(clock.nextDeadline == nil)
            let on = try await socket.call("s2", "set-heartbeats", ["enabled": true])
            #expect(on["payload"]?["enabled"] == true)
            #expect(clock.nextDeadline == Self.start + 2 * Self.halfHour)
            await socket.close()
        }
    }

    @Test("a reload keeps the last beat: a new interval counts from it")
    func reloadKeepsSchedule() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good"}}"#, agentDefaults: Self.heartbeat(#""every":"30m","target":"none""#), extra: #""cron":{"enabled":false}"#,
            fallback: OpenAIScript.text(["HEARTBEAT_OK"]), clock: clock, hotReload: true
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            let socket = try await harness.connect()
            clock.advance(by: Self.halfHour)
            #expect(try await socket.event("heartbeat")["status"] == "ok-token")
            let patch = try await socket.call(
                "p", "config.patch", ["raw": #"{"agents":{"defaults":{"heartbeat":{"every":"45m"}}}}"#, "baseHash": try await Self.hash(socket)]
            )
            #expect(patch["ok"] == true, "\(patch)")
            // The reload re-arms the timer 45 minutes after the last beat, not after the reload.
            await clock.waitForSleeper(until: Self.start + Self.halfHour + 45 * 60_000)
            let health = try await socket.call("h", "health", ["probe": true])
            #expect(health["payload"]?["heartbeatSeconds"]?.intValue == 2700)
            await socket.close()
        }
    }

    @Test("target last delivers to the chat the main session last talked in; POST /hooks/wake now starts a beat")
    func lastRouteAndHookWake() async throws {
        let clock = ManualAutomationClock(nowMs: Self.start)
        try await ChannelHarness.with(
            channels: #"{"fake":{"token":"good","dmPolicy":"open","allowFrom":["*"]}}"#, agentDefaults: Self.heartbeat(#""every":"30m","target":"last""#),
            extra: #""hooks":{"enabled":true,"token":"wake-hook-token"}"#, replies: [OpenAIScript.text(["hello bob"])],
            fallback: OpenAIScript.text(["Your 3 pm meeting starts soon."]), clock: clock
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            await harness.plugin.inject(.dm("bob", "hi"))
            #expect(try await harness.events.nextSent().text == "hello bob")
            let socket = try await harness.connect()
            var request = HTTPClientRequest(url: harness.url.replacingOccurrences(of: "ws://", with: "http://") + "/hooks/wake")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer wake-hook-token")
            request.body = .bytes(ByteBuffer(string: #"{"text":"Meeting at 3 pm","mode":"now"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 200)
            clock.advance(by: Self.coalesceMs)
            let event = try await socket.event("heartbeat")
            #expect(event["status"] == "sent", "\(event)")
            #expect(event["to"] == "bob")
            let sent = try await harness.events.nextSent()
            #expect(sent.target.peerId == "bob")
            #expect(sent.text == "Your 3 pm meeting starts soon.")
            #expect(harness.modelInputs.last?.contains("System: Meeting at 3 pm") == true)
            await socket.close()
        }
    }

    static func hash(_ socket: AgentSocket) async throws -> JSONValue {
        let snapshot = try await socket.call("hash-\(UUID().uuidString)", "config.get", .null)
        return snapshot["payload"]?["hash"] ?? .null
    }
}
