// Tests/Conformance/Channels/IRCClientTests.swift - the IRC client against a real server (ngircd)

import Foundation
import Runtime
import Testing

@Suite("IRC client against ngircd", .enabled(if: IRCServer.isAvailable, "ngircd is not installed"))
struct IRCClientTests {
    @Test func registersJoinsAndTalks() async throws {
        try await IRCServer.with { server in
            let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
            try await alice.join("#room")
            let bot = IRCBot(IRCBot.options(port: server.port))
            do {
                #expect(try await bot.waitRegistered() == "clawbot")
                try await bot.waitJoined("#room")
                try await alice.waitFor { $0.command == "JOIN" && $0.sourceNick == "clawbot" }

                try await alice.send("PRIVMSG #room :clawbot: what time is it?")
                let inChannel = try await bot.waitMessage()
                #expect(inChannel.target == "#room")
                #expect(inChannel.text == "clawbot: what time is it?")
                #expect(!inChannel.isDirect)
                #expect(inChannel.source.nick == "alice")
                #expect(inChannel.source.full.hasPrefix("alice!"))

                try await alice.send("PRIVMSG clawbot :\u{01}PING 123\u{01}")
                try await alice.send("PRIVMSG clawbot :\u{01}VERSION\u{01}")
                try await alice.send("PRIVMSG clawbot :hello in private")
                let direct = try await bot.waitMessage()
                #expect(direct.isDirect)
                #expect(direct.text == "hello in private")
                let version = try await alice.waitFor { $0.command == "NOTICE" && $0.sourceNick == "clawbot" }
                #expect(version.params.last == "\u{01}VERSION OpenClaw gateway\u{01}")

                #expect(try bot.client.send("noon", to: "#room") == 1)
                let said = try await alice.waitFor { $0.command == "PRIVMSG" && $0.sourceNick == "clawbot" }
                #expect(said.params == ["#room", "noon"])
                #expect(throws: IRCClientError.self) { try bot.client.send("x", to: "#a b") }

                let status = bot.client.status
                #expect(status.connected && status.nick == "clawbot" && status.joinedChannels == ["#room"])
            } catch {
                Issue.record(error)
            }
            await bot.stop()
            let quit = try? await alice.waitFor { $0.command == "QUIT" && $0.sourceNick == "clawbot" }
            #expect(quit?.params.last?.contains("Gateway stopping") == true)
            #expect(!bot.client.status.running)
            await alice.quit()
        }
    }

    @Test func longMessagesAreSplitIntoLinesOfAtMost512Bytes() async throws {
        try await IRCServer.with { server in
            let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
            try await alice.join("#room")
            let bot = IRCBot(IRCBot.options(port: server.port))
            do {
                try await bot.waitJoined("#room")
                let words = (0..<300).map { index in ["héllo", "wörld", "🦀crab", "日本語", "x\(index)"][index % 5] }
                let text = words.joined(separator: " ") + "\nsecond line"
                let count = try bot.client.send(text, to: "#room")
                #expect(count > 3)
                var received: [String] = []
                var longest = 0
                for _ in 0..<count {
                    let line = try await alice.waitForLine { $0.message.command == "PRIVMSG" && $0.message.sourceNick == "clawbot" }
                    #expect(line.byteCount <= 512, "relayed line of \(line.byteCount) bytes")
                    longest = max(longest, line.byteCount)
                    received.append(line.message.params.last ?? "")
                }
                // Full lines use the room they have (the budget is exact once the bot knows its hostmask).
                #expect(longest > 490, "longest relayed line \(longest) bytes")
                #expect(received.last == "second line")
                #expect(received.dropLast().joined(separator: " ").split(separator: " ").map(String.init) == words)
            } catch {
                Issue.record(error)
            }
            await bot.stop()
            await alice.quit()
        }
    }

    @Test func takesAnotherNickWhenItsNickIsInUse() async throws {
        try await IRCServer.with { server in
            let squatter = try await IRCTestClient.connect(port: server.port, nick: "clawbot")
            try await squatter.join("#room")
            let bot = IRCBot(IRCBot.options(port: server.port))
            do {
                #expect(try await bot.waitRegistered() == "clawbot_")
                try await squatter.waitFor { $0.command == "JOIN" && $0.sourceNick == "clawbot_" }
                #expect(bot.client.status.nick == "clawbot_")
            } catch {
                Issue.record(error)
            }
            await bot.stop()
            await squatter.quit()
        }
    }

    @Test func keepsWithinTheServersNickLengthWhenItsNickIsInUse() async throws {
        try await IRCServer.with(maxNickLength: 7) { server in
            let squatter = try await IRCTestClient.connect(port: server.port, nick: "clawbot")
            let bot = IRCBot(IRCBot.options(port: server.port))
            do {
                #expect(try await bot.waitRegistered() == "clawbo_")
            } catch {
                Issue.record(error)
            }
            await bot.stop()
            await squatter.quit()
        }
    }

    @Test func answersServerPingsAndStaysConnected() async throws {
        try await IRCServer.with(pingTimeout: 5) { server in
            let bot = IRCBot(IRCBot.options(port: server.port))
            do {
                _ = try await bot.waitRegistered()
                // ngircd drops a client that misses a PONG within 5 s; a second PING proves the first was answered.
                try await bot.waitFor { if case .pinged = $0 { true } else { false } }
                try await bot.waitFor { if case .pinged = $0 { true } else { false } }
                let status = bot.client.status
                #expect(status.connected && status.connections == 1)
            } catch {
                Issue.record(error)
            }
            await bot.stop()
        }
    }

    @Test func reconnectsAndRejoinsAfterTheServerRestarts() async throws {
        try await IRCServer.with { server in
            let bot = IRCBot(IRCBot.options(port: server.port))
            do {
                try await bot.waitJoined("#room")
                try await server.restart()
                try await bot.waitFor { if case .disconnected(_, let retry) = $0 { retry != nil } else { false } }
                #expect(try await bot.waitRegistered() == "clawbot")
                try await bot.waitJoined("#room")
                #expect(bot.client.status.connections == 2)
                let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
                try await alice.join("#room")
                let names = try await alice.waitFor { $0.command == "353" }
                #expect(names.params.last?.split(separator: " ").contains { $0.hasSuffix("clawbot") } == true)
                #expect(try bot.client.send("back", to: "#room") == 1)
                try await alice.waitFor { $0.command == "PRIVMSG" && $0.params.last == "back" }
                await alice.quit()
            } catch {
                Issue.record(error)
            }
            await bot.stop()
        }
    }

    @Test func connectsOverTLSAndVerifiesTheCertificate() async throws {
        try await IRCServer.with(tls: true) { server in
            var trusted = IRCBot.options(port: try #require(server.tlsPort))
            trusted.tls = true
            trusted.tlsTrustRootsPEM = [try #require(server.certificatePEM)]
            let bot = IRCBot(trusted)
            do {
                #expect(try await bot.waitRegistered() == "clawbot")
                try await bot.waitJoined("#room")
            } catch {
                Issue.record(error)
            }
            await bot.stop()

            var untrusted = trusted
            untrusted.tlsTrustRootsPEM = []
            untrusted.nick = "doubter"
            let doubter = IRCBot(untrusted)
            do {
                let event = try await doubter.waitFor { if case .disconnected = $0 { true } else { false } }
                guard case .disconnected(let reason, _) = event else { return }
                #expect(reason.lowercased().contains("certificate") || reason.contains("handshake"), "\(reason)")
                #expect(!doubter.client.status.connected)
            } catch {
                Issue.record(error)
            }
            await doubter.stop()
        }
    }
}
