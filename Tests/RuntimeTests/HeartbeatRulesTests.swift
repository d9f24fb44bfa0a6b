// Tests/RuntimeTests/HeartbeatRulesTests.swift - HEARTBEAT_OK, HEARTBEAT.md, active hours, durations, which agents beat

import Foundation
import Generated
import ProtocolSupport
import Testing

@testable import Runtime

@Suite("Heartbeat rules")
struct HeartbeatRulesTests {
    @Test(
        "HEARTBEAT_OK counts at the edges, with markup, and with little text beside it",
        arguments: [
            ("HEARTBEAT_OK", HeartbeatReply.Kind.ack),
            ("**HEARTBEAT_OK**", .ack),
            ("<b>HEARTBEAT_OK</b>&nbsp;", .ack),
            ("HEARTBEAT_OK.", .ack),
            ("All good. HEARTBEAT_OK", .ack),
            ("HEARTBEAT_OK HEARTBEAT_OK", .ack),
            ("   ", .empty),
            ("Water the plants.", .alert("Water the plants.")),
            ("Call mom HEARTBEAT_OK and then sleep", .alert("Call mom HEARTBEAT_OK and then sleep")),
        ]
    )
    func replies(text: String, kind: HeartbeatReply.Kind) {
        #expect(HeartbeatReply.classify(text, ackMaxChars: 300) == kind)
    }

    @Test("text beside the token beyond ackMaxChars is an alert, without the token")
    func ackMaxChars() {
        #expect(HeartbeatReply.classify("HEARTBEAT_OK " + String(repeating: "x", count: 20), ackMaxChars: 10) == .alert(String(repeating: "x", count: 20)))
        #expect(HeartbeatReply.classify("HEARTBEAT_OK 12345", ackMaxChars: 5) == .ack)
    }

    @Test("HEARTBEAT.md with only headings, blank lines and empty items asks for nothing")
    func heartbeatFile() {
        #expect(HeartbeatFile.isEffectivelyEmpty("# Tasks\n\n- [ ]\n-\n## Later\n"))
        #expect(HeartbeatFile.isEffectivelyEmpty(""))
        #expect(!HeartbeatFile.isEffectivelyEmpty("# Tasks\n- water plants\n"))
        #expect(!HeartbeatFile.isEffectivelyEmpty("#hashtag is text"))
    }

    @Test("active hours: inclusive start, exclusive end, wrapping midnight, 24:00, equal ends, zones")
    func activeHours() throws {
        func at(_ hour: Int, _ minute: Int, zone: String = "UTC") -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: zone)!
            return calendar.date(from: DateComponents(year: 2027, month: 1, day: 15, hour: hour, minute: minute))!
        }
        let day = try #require(ActiveHours(start: "08:00", end: "22:00", timezone: "UTC", userTimezone: nil))
        #expect(day.contains(at(8, 0)))
        #expect(day.contains(at(21, 59)))
        #expect(!day.contains(at(22, 0)))
        #expect(!day.contains(at(7, 59)))
        let night = try #require(ActiveHours(start: "22:00", end: "06:00", timezone: "UTC", userTimezone: nil))
        #expect(night.contains(at(23, 0)) && night.contains(at(5, 59)) && !night.contains(at(12, 0)))
        let toMidnight = try #require(ActiveHours(start: "18:00", end: "24:00", timezone: "UTC", userTimezone: nil))
        #expect(toMidnight.contains(at(23, 59)))
        let never = try #require(ActiveHours(start: "09:00", end: "09:00", timezone: "UTC", userTimezone: nil))
        #expect(!never.contains(at(9, 0)))
        #expect(ActiveHours(start: "9am", end: "17:00", timezone: nil, userTimezone: nil) == nil, "malformed means always active")
        let berlin = try #require(ActiveHours(start: "09:00", end: "10:00", timezone: nil, userTimezone: "Europe/Berlin"))
        #expect(berlin.contains(at(9, 30, zone: "Europe/Berlin")))
        #expect(!berlin.contains(at(9, 30, zone: "UTC")))
    }

    @Test("heartbeat intervals: units, sums, bare minutes; zero, negative and junk turn it off")
    func intervals() {
        func interval(_ every: String) -> Int? {
            var config = AgentsDefaultsHeartbeatConfig()
            config.every = every
            return HeartbeatPolicy(agentId: "main", config: config, userTimezone: nil, workspace: "/w").intervalMs
        }
        #expect(interval("30m") == 1_800_000)
        #expect(interval("1h30m") == 5_400_000)
        #expect(interval("45") == 2_700_000)
        #expect(interval("90s") == 90_000)
        #expect(interval("0m") == nil)
        #expect(interval("-5m") == nil)
        #expect(interval("soon") == nil)
        #expect(interval("5 parsecs") == nil)
    }

    @Test("only the default agent beats unless list entries have heartbeat; entries merge over the defaults")
    func whichAgentsBeat() throws {
        var config = OpenClawConfig()
        var defaults = AgentsDefaultsConfig()
        var heartbeat = AgentsDefaultsHeartbeatConfig()
        heartbeat.every = "1h"
        heartbeat.target = "last"
        defaults.heartbeat = heartbeat
        var agents = AgentsConfig()
        agents.defaults = defaults
        agents.list = [["id": "ops"], ["id": "home", "default": true]]
        config.agents = agents
        var policies = HeartbeatPolicy.resolve(config: config, catalog: AgentCatalog(config: config), stateDir: "/s", home: "/h")
        #expect(policies.map(\.agentId) == ["home"])
        #expect(policies[0].intervalMs == 3_600_000)
        #expect(policies[0].workspace == "/s/workspace")

        agents.list = [["id": "ops", "heartbeat": ["every": "10m", "to": "#ops"], "workspace": "~/ops"], ["id": "home", "default": true]]
        config.agents = agents
        policies = HeartbeatPolicy.resolve(config: config, catalog: AgentCatalog(config: config), stateDir: "/s", home: "/h")
        #expect(policies.map(\.agentId) == ["ops"])
        #expect(policies[0].intervalMs == 600_000)
        #expect(policies[0].target == "last", "unset keys come from the defaults")
        #expect(policies[0].to == "#ops")
        #expect(policies[0].workspace == "/h/ops")
        #expect(policies[0].sessionKey(defaultAgent: "home") == "agent:ops:main")
        #expect(policies[0].prompt == ConfigDefaults.agentsDefaultsHeartbeatPrompt)

        heartbeat.every = "0m"
        defaults.heartbeat = heartbeat
        agents.defaults = defaults
        agents.list = nil
        config.agents = agents
        policies = HeartbeatPolicy.resolve(config: config, catalog: AgentCatalog(config: config), stateDir: "/s", home: "/h")
        #expect(policies.first?.intervalMs == nil, "0m turns the heartbeat off")
    }

    @Test("outbound targets: last route (not webchat), a channel with to or its last recipient, the account on the same channel")
    func outboundTargets() {
        var entry = SessionEntry(key: "agent:main:main", sessionId: "s", agentId: "main", createdAt: 0, updatedAt: 0)
        #expect(OutboundTarget(channel: "last", to: nil, accountId: nil, lastRouteOf: entry) == nil, "no last route")
        entry.record(SessionRoute(channel: "telegram", to: "42", accountId: "bot"))
        #expect(
            OutboundTarget(channel: nil, to: nil, accountId: nil, lastRouteOf: entry)
                == OutboundTarget(channel: "telegram", to: "42", accountId: "bot", lastRouteOf: nil))
        #expect(OutboundTarget(channel: "last", to: "7", accountId: nil, lastRouteOf: entry)?.to == "7")
        #expect(OutboundTarget(channel: "IRC", to: nil, accountId: nil, lastRouteOf: entry) == nil, "no recipient on another channel")
        let irc = OutboundTarget(channel: "irc", to: "#ops", accountId: nil, lastRouteOf: entry)
        #expect(irc?.channel == "irc" && irc?.to == "#ops" && irc?.accountId == nil, "the last account is only for its own channel")
        entry.record(SessionRoute(channel: "webchat", to: "ui", accountId: "default"))
        #expect(OutboundTarget(channel: "last", to: nil, accountId: nil, lastRouteOf: entry) == nil, "webchat has no outbound")
    }

    @Test("the manual clock wakes sleepers in deadline order and cancelled ones throw")
    func manualClock() async throws {
        let clock = ManualAutomationClock(nowMs: 1000)
        async let first: Void = clock.sleep(untilMs: 2000)
        let cancelled = Task { try await clock.sleep(untilMs: 5000) }
        while clock.sleeperCount < 2 { await Task.yield() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        clock.advance(by: 1000)
        try await first
        #expect(clock.nowMs == 2000)
        #expect(clock.sleeperCount == 0)
    }
}
