// Tests/RuntimeTests/ReloadRuleTests.swift - the generated reload table classifies paths as upstream's §4.3

import Generated
import Testing

@Suite("Reload rules")
struct ReloadRuleTests {
    @Test(arguments: [
        ("gateway.port", ReloadKind.restart),
        ("gateway.bind", .restart),
        ("gateway.auth.token", .restart),
        ("gateway.auth.rateLimit.maxAttempts", .hot),
        ("gateway.remote.url", .none),
        ("gateway.reload.mode", .none),
        ("gateway.something.new", .restart),
        ("hooks.path", .hot),
        ("channels.telegram.botToken", .hot),
        ("agents.defaults.model", .none),
        ("logging.level", .none),
        ("plugins.load", .restart),
        ("discovery.mdns", .restart),
        ("unknownSection.x", .restart),
    ])
    func classify(_ path: String, _ expected: ReloadKind) {
        #expect(ConfigSchema.reloadRules.classify(path).kind == expected)
    }

    @Test func longestPrefixWins() {
        let rules = [ReloadRule(prefix: "gateway", kind: .restart), ReloadRule(prefix: "gateway.remote", kind: .none)]
        #expect(rules.classify("gateway.remote.token").kind == .none)
        #expect(rules.classify("gateway.remoteish").kind == .restart)
        #expect(rules.classify("gateway").kind == .restart)
    }

    @Test func hotRulesNameTheirAction() {
        #expect(ConfigSchema.reloadRules.classify("hooks.gmail").action == "reload-hooks")
        #expect(ConfigSchema.reloadRules.classify("channels.irc").action == "restart-channels")
        #expect(ConfigSchema.reloadRules.classify("channels.irc.accounts.work.nick").reloadAction == .restartChannels)
        #expect(ConfigSchema.reloadRules.classify("logging.level").reloadAction == .reloadLogging)
        #expect(ConfigSchema.reloadRules.classify("gateway.auth.rateLimit").reloadAction == .reconfigureAuthLimits)
        #expect(ConfigSchema.reloadRules.classify("gateway.port").reloadAction == nil)
    }

    @Test func secretsAreFlagged() {
        #expect(
            ConfigSchema.secretPaths == [
                "gateway.auth.token", "gateway.auth.password", "gateway.remote.token", "gateway.remote.password", "hooks.token", "channels.telegram.botToken",
                "channels.irc.password", "channels.irc.nickserv.password", "diagnostics.otel.headers",
            ])
    }
}
