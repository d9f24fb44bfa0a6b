// Tests/Conformance/Channels/IRCGatewayTests.swift - the irc channel in a gateway, against ngircd and a scripted model

import Foundation
import Runtime
import TestUpstream
import Testing

@Suite("IRC channel end to end", .enabled(if: IRCServer.isAvailable, "ngircd is not installed"))
struct IRCGatewayTests {
    /// The built-in plugin with quick reconnects and flood control, so the test does not wait on them.
    static let plugin = IRCChannelPlugin { options in
        options.floodBurst = 20
        options.floodInterval = .milliseconds(50)
        options.reconnectMinimum = .milliseconds(200)
        options.reconnectMaximum = .seconds(1)
    }

    @Test("a mention in a channel is answered there; an unknown DM gets a pairing code, then answers; the server restarting is survived")
    func mentionPairingAndRestart() async throws {
        try await IRCServer.with { server in
            let channels = ##"""
                {"irc":{"host":"127.0.0.1","port":\##(server.port),"tls":false,"nick":"clawbot","channels":["#room"],
                        "groups":{"#room":{"allowFrom":["*"]}}}}
                """##
            let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
            try await alice.join("#room")
            do {
                try await ChannelHarness.with(
                    channels: channels, fallback: OpenAIScript.text(["the answer is 42"]), setup: ChannelSetup(plugins: [Self.plugin])
                ) { harness in
                    try await alice.waitFor { $0.command == "JOIN" && $0.sourceNick == "clawbot" }

                    try await alice.send("PRIVMSG #room :just chatting, no bot here")
                    try await alice.send("PRIVMSG #room :clawbot: what is the answer?")
                    let answer = try await alice.waitFor { $0.command == "PRIVMSG" && $0.sourceNick == "clawbot" }
                    #expect(answer.params == ["#room", "the answer is 42"])
                    #expect(
                        harness.modelInputs == [
                            "[Chat messages since your last reply - for context]\nalice: just chatting, no bot here\n\n[Current message - respond to this]\nalice: clawbot: what is the answer?"
                        ])

                    let bob = try await IRCTestClient.connect(port: server.port, nick: "bob")
                    try await bob.send("PRIVMSG clawbot :hi there")
                    let pairing = try await bob.waitFor {
                        $0.command == "PRIVMSG" && $0.sourceNick == "clawbot" && ($0.params.last ?? "").contains("Pairing code")
                    }
                    let store = PairingStore(stateDir: harness.stateDir)
                    let code = try #require(store.pending(channel: "irc").first?.code)
                    #expect(pairing.params.last?.contains(code) == true)
                    #expect(try store.approve(channel: "irc", code: code)?.id.hasPrefix("bob!") == true)
                    try await bob.send("PRIVMSG clawbot :now?")
                    let direct = try await bob.waitFor { $0.command == "PRIVMSG" && $0.sourceNick == "clawbot" && $0.params.last == "the answer is 42" }
                    #expect(direct.params.first == "bob")
                    await bob.quit()

                    try await server.restart()
                    let carol = try await IRCTestClient.connect(port: server.port, nick: "carol")
                    try await carol.join("#room")
                    // The bot is back in the channel: either it was already there (NAMES) or it joins after us.
                    try await carol.waitFor { message in
                        (message.command == "353" && (message.params.last ?? "").split(separator: " ").contains { $0.hasSuffix("clawbot") })
                            || (message.command == "JOIN" && message.sourceNick == "clawbot")
                    }
                    try await carol.send("PRIVMSG #room :clawbot, still there?")
                    let again = try await carol.waitFor { $0.command == "PRIVMSG" && $0.sourceNick == "clawbot" }
                    #expect(again.params == ["#room", "the answer is 42"])
                    await carol.quit()
                }
            } catch {
                Issue.record(error)
            }
            await alice.quit()
        }
    }
}
