// Tests/RuntimeTests/AgentBindingsTests.swift - binding precedence and account scoping

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Agent bindings")
struct AgentBindingsTests {
    private static let agents: Set<String> = ["main", "ops", "bob-agent", "room", "topic", "every"]

    private func bindings(_ json: String) throws -> AgentBindings {
        AgentBindings(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), knownAgents: Self.agents)
    }

    private func dm(_ sender: String) -> ChannelInboundMessage { ChannelInboundMessage(senderId: sender, chatType: .direct, text: "x") }

    @Test("peer beats account beats channel-wide, whatever the list order")
    func precedence() throws {
        let list = try bindings(
            #"""
            [{"agentId":"every","match":{"channel":"telegram","accountId":"*"}},
             {"agentId":"ops","match":{"channel":"telegram","accountId":"ops"}},
             {"agentId":"bob-agent","match":{"channel":"telegram","accountId":"*","peer":{"kind":"dm","id":"42"}}}]
            """#)
        #expect(list.agentId(channel: "telegram", accountId: "ops", defaultAccountId: "default", message: dm("42")) == "bob-agent")
        #expect(list.agentId(channel: "telegram", accountId: "ops", defaultAccountId: "default", message: dm("7")) == "ops")
        #expect(list.agentId(channel: "telegram", accountId: "default", defaultAccountId: "default", message: dm("7")) == "every")
        #expect(list.agentId(channel: "irc", accountId: "default", defaultAccountId: "default", message: dm("7")) == nil)
    }

    @Test("without accountId a binding covers only the default account")
    func defaultAccountOnly() throws {
        let list = try bindings(#"[{"agentId":"ops","match":{"channel":"irc"}}]"#)
        #expect(list.agentId(channel: "irc", accountId: "libera", defaultAccountId: "libera", message: dm("n")) == "ops")
        #expect(list.agentId(channel: "irc", accountId: "oftc", defaultAccountId: "libera", message: dm("n")) == nil)
    }

    @Test("a forum topic binding beats its group's binding, which still covers the other topics")
    func topics() throws {
        let list = try bindings(
            #"""
            [{"agentId":"room","match":{"channel":"telegram","peer":{"kind":"group","id":"-100"}}},
             {"agentId":"topic","match":{"channel":"telegram","peer":{"kind":"group","id":"-100:topic:7"}}}]
            """#)
        func group(_ thread: String?) -> ChannelInboundMessage {
            ChannelInboundMessage(senderId: "1", chatType: .group, groupId: "-100", threadId: thread, text: "x")
        }
        #expect(list.agentId(channel: "telegram", accountId: "default", defaultAccountId: "default", message: group("7")) == "topic")
        #expect(list.agentId(channel: "telegram", accountId: "default", defaultAccountId: "default", message: group("8")) == "room")
        #expect(list.agentId(channel: "telegram", accountId: "default", defaultAccountId: "default", message: group(nil)) == "room")
        // A group binding never matches a DM from someone whose id equals the group's.
        #expect(list.agentId(channel: "telegram", accountId: "default", defaultAccountId: "default", message: dm("-100")) == nil)
    }

    @Test("unknown agents, unsupported match keys and malformed entries never match")
    func skipped() throws {
        let list = try bindings(
            #"""
            [{"agentId":"nobody","match":{"channel":"irc","accountId":"*"}},
             {"agentId":"ops","match":{"channel":"irc","accountId":"*","guildId":"1"}},
             {"agentId":"ops","match":{"channel":"irc","peer":{"kind":"planet","id":"x"}}},
             {"agentId":"ops"},
             "junk"]
            """#)
        #expect(list.agentId(channel: "irc", accountId: "default", defaultAccountId: "default", message: dm("x")) == nil)
        #expect(try bindings(#"{"not":"a list"}"#).agentId(channel: "irc", accountId: "default", defaultAccountId: "default", message: dm("x")) == nil)
    }
}
