// Tests/Conformance/Channels/IRCPluginTests.swift - the irc plugin's config, mentions, targets and probe

import Foundation
import ProtocolSupport
import Runtime
import Testing

@Suite("IRC channel plugin")
struct IRCPluginTests {
    private func view(_ json: String, environment: [String: String] = [:]) throws -> ChannelConfigView {
        ChannelConfigView(section: try WireJSON.decode(JSONValue.self, from: Data(json.utf8)), environment: environment)
    }

    private func account(_ json: String, _ id: String = "default", environment: [String: String] = [:]) throws -> IRCAccount {
        try #require(IRCChannelPlugin().resolveAccount(try view(json, environment: environment), accountId: id) as? IRCAccount)
    }

    @Test func resolvesUpstreamDefaults() throws {
        let account = try account(##"{"host":"irc.example.com","nick":"openclaw-bot","channels":["#openclaw"]}"##)
        #expect(account.configured && account.enabled)
        #expect(account.options.tls && account.options.port == 6697)
        #expect(account.options.username == "openclaw-bot" && account.options.realname == "OpenClaw")
        #expect(account.options.channels == ["#openclaw"])
        #expect(account.passwordSource == "none")
        let plain = try self.account(#"{"host":"h","nick":"n","tls":false}"#)
        #expect(plain.options.port == 6667)
    }

    @Test func environmentFillsOnlyTheDefaultAccount() throws {
        let environment = [
            "IRC_HOST": "env.example", "IRC_NICK": "envbot", "IRC_PORT": "7000", "IRC_TLS": "false",
            "IRC_CHANNELS": "#a, #b", "IRC_PASSWORD": "pw", "IRC_NICKSERV_PASSWORD": "ns",
        ]
        let fromEnv = try account("{}", environment: environment)
        #expect(fromEnv.configured)
        #expect(fromEnv.options.host == "env.example" && fromEnv.options.nick == "envbot" && fromEnv.options.port == 7000 && !fromEnv.options.tls)
        #expect(fromEnv.options.channels == ["#a", "#b"])
        #expect(fromEnv.options.password == "pw" && fromEnv.passwordSource == "env")
        #expect(fromEnv.options.nickServ?.password == "ns" && fromEnv.options.nickServ?.service == "NickServ")

        let json = #"{"accounts":{"default":{},"work":{"nick":"workbot"}},"host":"shared.example"}"#
        let work = try account(json, "work", environment: environment)
        #expect(work.options.host == "shared.example" && work.options.nick == "workbot" && work.options.password.isEmpty)
        let missing = try account(#"{"accounts":{"x":{}}}"#, "x", environment: environment)
        #expect(!missing.configured)
        #expect(missing.problem?.contains("channels.irc.accounts.x.host") == true)
    }

    @Test func readsPasswordFilesButNotSymlinks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("irc-pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("pw").path
        try "secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        let link = directory.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        let fromFile = try account(#"{"host":"h","nick":"n","passwordFile":"\#(file)","password":"inline"}"#)
        #expect(fromFile.options.password == "secret" && fromFile.passwordSource == "passwordFile")
        let linked = try account(#"{"host":"h","nick":"n","passwordFile":"\#(link)"}"#)
        #expect(!linked.configured)
        #expect(linked.problem?.contains("symlinks") == true)
        let register = try account(#"{"host":"h","nick":"n","nickserv":{"password":"p","register":true}}"#)
        #expect(register.problem?.contains("registerEmail") == true)
    }

    @Test func detectsMentions() throws {
        let account = try account(#"{"host":"h","nick":"clawbot","mentionPatterns":["^!ask\\b"]}"#)
        func inbound(_ text: String, target: String = "#room") -> ChannelInboundMessage {
            let message = IRCIncomingMessage(
                source: IRCSource(prefix: "alice!~a@host"), target: target, text: text, isNotice: false,
                isDirect: !target.hasPrefix("#"), botNick: "clawbot"
            )
            return IRCChannelPlugin.inbound(message, account: account)
        }
        #expect(inbound("clawbot: hi").mentionsBot)
        #expect(inbound("ClawBot, hi").mentionsBot)
        #expect(inbound("ask clawbot please").mentionsBot)
        #expect(!inbound("clawbotty is not me").mentionsBot)
        #expect(!inbound("nothing here").mentionsBot)
        #expect(inbound("!ask what").mentionsBot)
        let direct = inbound("hello", target: "clawbot")
        #expect(direct.chatType == .direct && direct.groupId == nil && direct.mentionsBot)
        let group = inbound("clawbot: x")
        #expect(group.chatType == .group && group.groupId == "#room")
        #expect(group.senderId == "alice!~a@host" && group.senderName == "alice" && group.senderAliases.isEmpty)
    }

    @Test func resolvesTargets() throws {
        let plugin = IRCChannelPlugin()
        let account = try account(#"{"host":"h","nick":"n"}"#)
        #expect(try plugin.resolveTarget("#room", account: account) == ChannelTarget(peerId: "#room", chatType: .group))
        #expect(try plugin.resolveTarget("irc:alice!~a@h", account: account) == ChannelTarget(peerId: "alice", chatType: .direct))
        #expect(throws: ChannelError.self) { try plugin.resolveTarget("two words", account: account) }
    }

    @Test(.enabled(if: IRCServer.isAvailable, "ngircd is not installed"))
    func probesTheServer() async throws {
        let plugin = IRCChannelPlugin()
        let good = try await IRCServer.with { server in
            let good = try account(#"{"host":"127.0.0.1","port":\#(server.port),"tls":false,"nick":"prober"}"#)
            let result = await plugin.probe(good, timeout: .seconds(10))
            #expect(result.ok, "\(result.error ?? "")")
            #expect(result.details["nick"] == "prober")
            return good
        }
        // The server is gone now: the probe says so instead of hanging.
        let down = await plugin.probe(good, timeout: .seconds(10))
        #expect(!down.ok && down.error != nil)
    }
}
