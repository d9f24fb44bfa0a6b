// Tests/Conformance/Channels/ChannelBindingsTests.swift - `bindings` pick the agent for channel traffic

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

@Suite("Channel bindings")
struct ChannelBindingsTests {
    @Test("a peer binding and a group binding send those conversations to their agent; everyone else gets the default agent")
    func bindingsPickTheAgent() async throws {
        let channels = ##"{"fake":{"token":"good","dmPolicy":"open","groupPolicy":"open","groups":{"*":{"requireMention":false}}}}"##
        let agents = #"[{"id":"main","default":true},{"id":"support","systemPrompt":"You are support."}]"#
        let bindings =
            ##""bindings":[{"agentId":"support","match":{"channel":"fake","peer":{"kind":"direct","id":"Bob"}}},{"agentId":"support","match":{"channel":"fake","peer":{"kind":"group","id":"#help"}}},{"agentId":"ghost","match":{"channel":"fake","accountId":"*"}}]"##
        try await ChannelHarness.with(
            channels: channels, agentList: agents, extra: #""session":{"dmScope":"per-channel-peer"},"# + bindings
        ) { harness in
            _ = try await harness.events.next { $0 == .started("default") }
            for message in [
                ChannelInboundMessage.dm("bob", "from bob"), .dm("alice", "from alice"), .group("#help", from: "carol", "help me", mention: false),
                .group("#lobby", from: "carol", "lobby talk", mention: false),
            ] {
                await harness.plugin.inject(message)
                _ = try await harness.events.nextSent()
            }
            let socket = try await harness.connect()
            let list = try await socket.call("1", "sessions.list", [:])
            let keys = Set(list["payload"]?["sessions"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? [])
            #expect(
                keys.isSuperset(of: [
                    "agent:support:fake:direct:bob", "agent:main:fake:direct:alice", "agent:support:fake:group:#help", "agent:main:fake:group:#lobby",
                ]), "\(keys)")
            #expect(!keys.contains { $0.hasPrefix("agent:ghost:") }, "a binding to an unknown agent must not route")
            await socket.close()
        }
    }
}
