// Tests/Conformance/Channels/TelegramPluginTests.swift - the telegram ChannelPlugin: accounts, start/stop, inbound, send, probe

import Foundation
import Logging
import ProtocolSupport
import Runtime
import TestUpstream
import Testing

/// Stands in for the gateway's router: records what the account delivers.
final class InboundRecorder: ChannelInbound {
    let messages: AsyncStream<ChannelInboundMessage>
    private let sink: AsyncStream<ChannelInboundMessage>.Continuation

    init() { (messages, sink) = AsyncStream.makeStream() }

    func receive(_ message: ChannelInboundMessage, channel: String, accountId: String) async {
        if channel == "telegram" { sink.yield(message) }
    }

    func next(_ count: Int) async throws -> [ChannelInboundMessage] {
        try await within(10) {
            var got: [ChannelInboundMessage] = []
            for await message in self.messages {
                got.append(message)
                if got.count == count { break }
            }
            return got
        }
    }
}

@Suite("Telegram channel plugin")
struct TelegramPluginTests {
    let plugin = TelegramChannelPlugin(pollTimeout: 1, backoff: ChannelBackoff(initial: .milliseconds(20), maximum: .milliseconds(100), jitter: 0))

    static func view(_ json: String, env: [String: String] = [:]) throws -> ChannelConfigView {
        ChannelConfigView(section: try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), environment: env)
    }

    /// Each account run gets its own state dir (the update offset is kept there).
    static func freshStateDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-telegram-\(UUID().uuidString)").path
    }

    static func account(_ plugin: TelegramChannelPlugin, _ view: ChannelConfigView, _ id: String = "default") throws -> TelegramAccount {
        try #require(plugin.resolveAccount(view, accountId: id) as? TelegramAccount)
    }

    @Test func resolvesTokensAsUpstream() throws {
        let direct = try Self.account(plugin, Self.view(#"{"botToken":"1:config","apiRoot":"http://127.0.0.1:8081/"}"#, env: ["TELEGRAM_BOT_TOKEN": "1:env"]))
        #expect(direct.token == "1:config" && direct.tokenSource == "config" && direct.configured)
        #expect(direct.apiRoot == "http://127.0.0.1:8081/")
        #expect(plugin.describeAccount(direct)["tokenSource"] == "config")
        #expect(!"\(plugin.describeAccount(direct))".contains("1:config"))

        let env = try Self.account(plugin, Self.view("{}", env: ["TELEGRAM_BOT_TOKEN": "1:env"]))
        #expect(env.token == "1:env" && env.tokenSource == "env" && env.apiRoot == "https://api.telegram.org")

        // The environment variable serves the default account only.
        let named = try Self.view(#"{"accounts":{"work":{"name":"Work bot"}}}"#, env: ["TELEGRAM_BOT_TOKEN": "1:env"])
        #expect(plugin.listAccountIds(named) == ["work"])
        let work = try Self.account(plugin, named, "work")
        #expect(work.name == "Work bot")
        #expect(work.token == "1:env")  // the only account is the default one
        let two = try Self.view(#"{"accounts":{"a":{"botToken":"1:a"},"b":{}}}"#, env: ["TELEGRAM_BOT_TOKEN": "1:env"])
        let b = try Self.account(plugin, two, "b")
        #expect(!b.configured)
        #expect(b.problem == "no bot token: set channels.telegram.accounts.b.botToken (or tokenFile)")

        let missing = try Self.account(plugin, Self.view("{}"))
        #expect(!missing.configured)
        #expect(missing.problem?.contains("channels.telegram.botToken") == true)
        let badRoot = try Self.account(plugin, Self.view(#"{"botToken":"1:x","apiRoot":"ftp://x"}"#))
        #expect(!badRoot.configured)
    }

    @Test func readsTokenFilesButNotSymlinks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("token")
        try "1:fromfile\n".write(to: file, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        let fromFile = try Self.account(plugin, Self.view(#"{"tokenFile":"\#(file.path)"}"#))
        #expect(fromFile.token == "1:fromfile" && fromFile.tokenSource == "tokenFile")
        let viaLink = try Self.account(plugin, Self.view(#"{"tokenFile":"\#(link.path)"}"#))
        #expect(viaLink.token == nil)
        #expect(viaLink.problem?.contains("symlinks are refused") == true)
    }

    @Test func resolvesTargets() throws {
        let account = try Self.account(plugin, Self.view(#"{"botToken":"1:x"}"#))
        #expect(try plugin.resolveTarget("123456789", account: account) == ChannelTarget(peerId: "123456789", chatType: .direct))
        #expect(
            try plugin.resolveTarget("tg:-1001234567890:topic:42", account: account)
                == ChannelTarget(peerId: "-1001234567890", chatType: .group, threadId: "42"))
        #expect(throws: ChannelError.self) { try plugin.resolveTarget("@someone", account: account) }
    }

    @Test func probesWithGetMe() async throws {
        try await TelegramFake.with { fake, api in
            let good = try Self.account(plugin, Self.view(#"{"botToken":"\#(fake.token)","apiRoot":"\#(api.apiRoot)"}"#))
            let ok = await plugin.probe(good, timeout: .seconds(5))
            #expect(ok.ok)
            #expect(ok.details["bot"]?["username"] == "openclaw_test_bot")
            // Status output names the bot once it is known.
            #expect(plugin.describeAccount(good)["botUsername"] == "openclaw_test_bot")
            let bad = try Self.account(plugin, Self.view(#"{"botToken":"1:wrong","apiRoot":"\#(api.apiRoot)"}"#))
            let refused = await plugin.probe(bad, timeout: .seconds(5))
            #expect(!refused.ok)
            #expect(refused.error?.contains("401") == true)
        }
    }

    @Test func aRunningAccountDeliversMessagesAndSendsReplies() async throws {
        try await TelegramFake.with { fake, api in
            let account = try Self.account(plugin, Self.view(#"{"botToken":"\#(fake.token)","apiRoot":"\#(api.apiRoot)"}"#))
            let inbound = InboundRecorder()
            let status = ChannelStatusCell()
            let context = ChannelAccountContext(
                channel: "telegram", accountId: "default", inbound: inbound, logger: Logger(label: "test.telegram"),
                stateDir: Self.freshStateDir(), status: status)
            let handle = try await plugin.startAccount(account, context: context)
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "hello bot")
            fake.pushMessage(chatId: -1_009, chatType: .supergroup, from: TelegramFake.bob, text: "@openclaw_test_bot ping", chatTitle: "Team")
            let messages = try await inbound.next(2)
            #expect(status.current.connected)
            #expect(messages[0].chatType == .direct && messages[0].senderId == "1001" && messages[0].senderAliases == ["tg:1001", "@alice"])
            #expect(messages[0].text == "hello bot" && messages[0].senderName == "Alice")
            #expect(messages[1].chatType == .group && messages[1].groupId == "-1009" && messages[1].groupName == "Team" && messages[1].mentionsBot)

            let target = messages[1].replyTarget
            await handle.sendTyping(to: target)
            let result = try await handle.sendText("**pong**", to: target)
            let sent = try #require(fake.sentMessages.last)
            #expect(result.messageId == String(sent.messageId))
            #expect(sent.chatId == -1_009 && sent.text == "<b>pong</b>" && sent.replyToMessageId.map(String.init) == messages[1].messageId)
            #expect(fake.calls("sendChatAction").count == 1)
            await handle.stop()
            #expect(!status.current.connected)
        }
    }

    @Test func aRestartedAccountResumesAfterTheLastHandledUpdate() async throws {
        try await TelegramFake.with { fake, api in
            let account = try Self.account(plugin, Self.view(#"{"botToken":"\#(fake.token)","apiRoot":"\#(api.apiRoot)"}"#))
            let stateDir = Self.freshStateDir()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            func context(_ inbound: InboundRecorder) -> ChannelAccountContext {
                ChannelAccountContext(
                    channel: "telegram", accountId: "default", inbound: inbound, logger: Logger(label: "test.telegram"), stateDir: stateDir,
                    status: ChannelStatusCell())
            }
            let first = InboundRecorder()
            let handle = try await plugin.startAccount(account, context: context(first))
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "one")
            fake.pushMessage(chatId: TelegramFake.alice.id, from: TelegramFake.alice, text: "two")
            #expect(try await first.next(2).map(\.text) == ["one", "two"])
            await handle.stop()
            let before = fake.calls("getUpdates").count
            let again = try await plugin.startAccount(account, context: context(InboundRecorder()))
            let resumed = try #require(await fake.waitForCalls("getUpdates", count: before + 1)?.last)
            #expect(resumed.params["offset"]?.intValue == 3)
            await again.stop()
        }
    }

    @Test func aBadTokenStopsTheAccountWithTheReason() async throws {
        try await TelegramFake.with { fake, api in
            let account = try Self.account(plugin, Self.view(#"{"botToken":"1:revoked","apiRoot":"\#(api.apiRoot)"}"#))
            let status = ChannelStatusCell()
            let (errors, errorSink) = AsyncStream.makeStream(of: String.self)
            let context = ChannelAccountContext(
                channel: "telegram", accountId: "default", inbound: InboundRecorder(),
                logger: Logger(label: "test.telegram") { _ in ErrorLogCapture(sink: errorSink) },
                stateDir: Self.freshStateDir(), status: status)
            let handle = try await plugin.startAccount(account, context: context)
            // The account logs the reason once it has given up (after recording it in its status).
            let logged = try await within(10) { await errors.first { _ in true } }
            #expect(logged?.contains("returned 401") == true)
            await handle.stop()
            #expect(fake.calls("getMe").count == 1)
            #expect(fake.calls("getUpdates").isEmpty)
            #expect(status.current.lastError?.contains("bot token is invalid") == true)
            #expect(status.current.lastError?.contains("channels.telegram.botToken") == true)
            #expect(!status.current.connected)
        }
    }

    @Test func anUnconfiguredAccountDoesNotStart() async throws {
        let account = try Self.account(plugin, Self.view("{}"))
        let context = ChannelAccountContext(
            channel: "telegram", accountId: "default", inbound: InboundRecorder(), logger: Logger(label: "test.telegram"),
            stateDir: Self.freshStateDir(), status: ChannelStatusCell())
        await #expect(throws: ChannelError.self) { _ = try await plugin.startAccount(account, context: context) }
    }
}

/// Forwards error-level log messages to a stream (how a test awaits "the account gave up").
struct ErrorLogCapture: LogHandler {
    let sink: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level >= .error { sink.yield(event.message.description) }
    }
}
