// Tests/Conformance/Channels/IRCProtocolTests.swift - parsing, line splitting and flood control, offline

import Runtime
import Testing

@Suite("IRC protocol pieces")
struct IRCProtocolTests {
    @Test func parsesPrefixCommandParamsAndTrailing() {
        let message = IRCMessage.parse("@time=2026-01-01T00:00:00Z :alice!~a@host PRIVMSG #room :hello  there")
        #expect(message == IRCMessage(prefix: "alice!~a@host", command: "PRIVMSG", params: ["#room", "hello  there"]))
        #expect(message?.sourceNick == "alice")
        #expect(IRCMessage.parse("ping :irc.test")?.command == "PING")
        #expect(IRCMessage.parse(":srv 001 bot :Welcome")?.params == ["bot", "Welcome"])
        #expect(IRCMessage.parse(":srv MODE  #c  +o   bot")?.params == ["#c", "+o", "bot"])
        #expect(IRCMessage.parse("PRIVMSG #c ::)")?.params == ["#c", ":)"])
        #expect(IRCMessage.parse("   ") == nil)
        #expect(IRCMessage.parse(":only-prefix") == nil)
    }

    @Test func serializesTheLastParameterAsTrailingWhenNeeded() {
        #expect(IRCMessage(command: "PRIVMSG", params: ["#c", "hi there"]).serialized == "PRIVMSG #c :hi there")
        #expect(IRCMessage(command: "PONG", params: ["irc.test"]).serialized == "PONG irc.test")
        #expect(IRCMessage(command: "PRIVMSG", params: ["#c", ":)"]).serialized == "PRIVMSG #c ::)")
        #expect(IRCMessage(command: "PRIVMSG", params: ["#c", ""]).serialized == "PRIVMSG #c :")
    }

    @Test func parsesSources() {
        let source = IRCSource(prefix: "alice!~alice@203.0.113.7")
        #expect(source.nick == "alice" && source.user == "~alice" && source.host == "203.0.113.7")
        #expect(source.full == "alice!~alice@203.0.113.7")
        #expect(IRCSource(prefix: "irc.server").nick == "irc.server")
    }

    @Test func splitsAtSpacesWithinTheByteBudget() {
        let pieces = IRCTextSplitter.split("aaa bbb ccc ddd", budget: 8)
        #expect(pieces == ["aaa bbb", "ccc ddd"])
        #expect(IRCTextSplitter.split("line one\r\n\nline two", budget: 100) == ["line one", "line two"])
        #expect(IRCTextSplitter.split("tab\there\u{0}", budget: 100) == ["tab here"])
    }

    @Test func neverCutsInsideACharacter() {
        let text = String(repeating: "日本語🦀", count: 50)
        let pieces = IRCTextSplitter.split(text, budget: 10)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.utf8.count <= 10 })
    }

    @Test func budgetsForTheWholeRelayedLine() {
        let prefix = ":clawbot!~clawbot@127.0.0.1 "
        let budget = IRCTextSplitter.textBudget(target: "#room", sourcePrefixBytes: prefix.utf8.count)
        #expect(prefix.utf8.count + "PRIVMSG #room :".utf8.count + budget + 2 == 512)
    }

    @Test func tokenBucketAllowsABurstThenOneLinePerInterval() {
        let start = ContinuousClock.now
        var bucket = IRCTokenBucket(burst: 2, interval: .milliseconds(500), now: start)
        #expect(bucket.take(now: start) == .zero)
        #expect(bucket.take(now: start) == .zero)
        #expect(bucket.take(now: start) == .milliseconds(500))
        #expect(bucket.take(now: start) == .milliseconds(1000))
        let later = start + .seconds(10)
        #expect(bucket.take(now: later) == .zero)
    }
}
