// Tests/RuntimeTests/HTTPHooksPolicyTests.swift - the pure rules behind /tools/invoke and the hooks routes

import Generated
import Testing

@testable import Runtime

@Suite("HTTP tool policy and hooks settings")
struct HTTPHooksPolicyTests {
    @Test func allowLiftsTheDefaultDenyListAndDenyWins() {
        #expect(ToolsInvokePolicy().denied == ToolsInvokePolicy.defaultDeny)
        let lifted = ToolsInvokePolicy(allow: ["exec", " Cron "])
        #expect(!lifted.denied.contains("exec"))
        #expect(!lifted.denied.contains("cron"))
        #expect(lifted.denied.contains("shell"))
        let both = ToolsInvokePolicy(allow: ["exec", "current_time"], deny: ["current_time", "exec"])
        #expect(both.denied.contains("exec"))
        #expect(both.tool(named: "current_time") == nil)
        #expect(ToolsInvokePolicy().tool(named: " Current_Time ") == .currentTime)
        #expect(ToolsInvokePolicy().tool(named: "exec") == nil)
    }

    @Test func hooksNeedAToken() {
        var config = HooksConfig()
        #expect(HooksSettings.resolve(config) == .off)
        config.enabled = true
        guard case .misconfigured = HooksSettings.resolve(config) else {
            Issue.record("tokenless hooks must stay off")
            return
        }
        config.token = "t"
        config.path = "/"
        guard case .misconfigured = HooksSettings.resolve(config) else {
            Issue.record("hooks.path \"/\" must be refused")
            return
        }
        config.path = "in/"
        guard case .on(let settings) = HooksSettings.resolve(config) else {
            Issue.record("hooks should be on")
            return
        }
        #expect(settings.basePath == "/in")
        #expect(settings.maxBodyBytes == 262_144)
        #expect(settings.subpath(of: "/in") == "")
        #expect(settings.subpath(of: "/in/wake") == "wake")
        #expect(settings.subpath(of: "/inbox") == nil)
    }

    @Test func sessionKeyPrefixesMatchTheKeyOrItsAgentlessRest() {
        var config = HooksConfig()
        config.enabled = true
        config.token = "t"
        config.allowedSessionKeyPrefixes = ["Hook:"]
        config.allowedAgentIds = ["Main"]
        guard case .on(let settings) = HooksSettings.resolve(config) else {
            Issue.record("hooks should be on")
            return
        }
        #expect(settings.allows(sessionKey: "agent:main:hook:abc"))
        #expect(settings.allows(sessionKey: "hook:abc"))
        #expect(!settings.allows(sessionKey: "agent:main:main"))
        #expect(settings.allows(agent: "main"))
        #expect(!settings.allows(agent: "ops"))
    }
}
