// Tests/Conformance/Channels/ChannelHarness.swift - a gateway with the fake channel plugin and a scripted model

import Foundation
import Generated
import Logging
import ProtocolSupport
import Runtime
import TestUpstream

/// A fake model upstream, an in-process gateway whose config (written to its state dir) has a
/// `channels.fake` section, and the fake plugin it serves.
struct ChannelHarness {
    let upstream: FakeModelServer
    let gateway: Gateway
    let plugin: FakeChannelPlugin
    let stateDir: String
    let url: String
    static let token = "channel-test-token"

    var events: FakeEventLog { plugin.events }

    /// Starts everything with `channels` as the JSON of the `channels` section (`agentList` as
    /// `agents.list`, `agentDefaults` as more members of `agents.defaults`, and `extra` top-level
    /// members, e.g. `"session":{"dmScope":"per-channel-peer"}`), runs `body`, stops everything.
    /// `clock` drives the heartbeat and cron schedulers; `hotReload` applies edits of the config file; `stateDir`
    /// reuses a state directory (a restart), else a fresh one is made.
    static func with(
        channels: String, agentList: String? = nil, agentDefaults: String = "", extra: String = "", replies: [FakeModelServer.Reply] = [],
        fallback: FakeModelServer.Reply? = OpenAIScript.text(["ok"]),
        chunkLimit: Int = 4000, setup: ChannelSetup = ChannelSetup(), clock: (any AutomationClock)? = nil, hotReload: Bool = false, stateDir: String? = nil,
        _ body: (ChannelHarness) async throws -> Void
    ) async throws {
        let upstream = FakeModelServer(replies: replies, fallback: fallback)
        let baseURL = await upstream.start()
        let stateDir = stateDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-channels-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let configPath = stateDir + "/openclaw.json"
        let text = """
            {"models":{"providers":{"local":{"baseUrl":"\(baseURL)","api":"openai-completions","apiKey":"k","models":[{"id":"test-model"}]}}},
             "agents":{"defaults":{"model":{"primary":"local/test-model"},"timeoutSeconds":30\(agentDefaults.isEmpty ? "" : "," + agentDefaults)}\(agentList.map { ",\"list\":" + $0 } ?? "")},
             "channels":\(channels)\(extra.isEmpty ? "" : "," + extra)}
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        let plugin = FakeChannelPlugin(chunkLimit: chunkLimit)
        var settings = GatewaySettings.inProcess(auth: .token(token), stateDir: stateDir)
        settings.config = try ConfigLoader(environment: [:]).load(path: configPath)
        var channelSetup = setup
        channelSetup.plugins.append(plugin)
        settings.channelSetup = channelSetup
        if let clock { settings.automationClock = clock }
        var logger = Logger(label: "channels-test")
        logger.logLevel = .warning
        let gateway = Gateway(settings: settings, logger: logger)
        let task = Task { try await gateway.run(handleSignals: false) }
        let port = await gateway.waitUntilListening()
        let watcher = hotReload ? gateway.watchConfig() : nil
        defer { watcher?.cancel() }
        let harness = ChannelHarness(upstream: upstream, gateway: gateway, plugin: plugin, stateDir: stateDir, url: "ws://127.0.0.1:\(port)")
        do {
            try await body(harness)
        } catch {
            await gateway.stop()
            _ = try? await task.value
            await upstream.stop()
            throw error
        }
        await gateway.stop()
        _ = try? await task.value
        await upstream.stop()
    }

    /// An operator socket with admin scope.
    func connect() async throws -> AgentSocket {
        let socket = try await WireClient.connect(url)
        _ = try await socket.next()
        let params: JSONValue = [
            "minProtocol": 3, "maxProtocol": 3,
            "client": ["id": "gateway-client", "version": "1", "platform": "linux", "mode": "backend"],
            "role": "operator", "scopes": ["operator.admin"], "auth": ["token": .string(Self.token)],
        ]
        try await socket.send(JSONValue.object(["type": "req", "id": "connect", "method": "connect", "params": params]).text)
        let agentSocket = AgentSocket(socket: socket)
        let hello = try await agentSocket.next { $0["type"] == "res" }
        guard hello["ok"] == true else { throw HarnessError("connect failed: \(hello.text)") }
        return agentSocket
    }

    /// The user messages the model was sent, last one of each request.
    var modelInputs: [String] {
        upstream.requests.withLock { requests in
            requests.compactMap { request in
                request.body["messages"]?.arrayValue?.last(where: { $0["role"]?.stringValue == "user" })?["content"]?.stringValue
            }
        }
    }
}

extension ChannelInboundMessage {
    static func dm(_ sender: String, _ text: String, name: String? = nil) -> ChannelInboundMessage {
        ChannelInboundMessage(senderId: sender, senderName: name, chatType: .direct, text: text, messageId: UUID().uuidString)
    }

    static func group(_ group: String, from sender: String, _ text: String, mention: Bool, thread: String? = nil) -> ChannelInboundMessage {
        ChannelInboundMessage(
            senderId: sender, chatType: .group, groupId: group, threadId: thread, text: text, mentionsBot: mention, messageId: UUID().uuidString)
    }
}
