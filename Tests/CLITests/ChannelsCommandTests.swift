// Tests/CLITests/ChannelsCommandTests.swift - `openclaw pairing`, `openclaw channels status`, `openclaw message send`

import Foundation
import Generated
import Runtime
import Testing

@Suite("channels commands", .serialized)
struct ChannelsCommandTests {
    private func run(_ arguments: [String], _ environment: [String: String]) async throws -> (status: Int32, text: String) {
        let process = try await OpenClawProcess(arguments, environment: environment)
        let status = await process.wait()
        return (status, process.text)
    }

    @Test func pairingListAndApproveEditTheStoreWithoutAGateway() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let env = sandbox.environment()
        let store = PairingStore(stateDir: sandbox.stateDir)
        let code = try #require(store.request(channel: "telegram", senderId: "12345", meta: ["name": "Ada"])?.code)

        let empty = try await run(["pairing", "list", "irc"], env)
        #expect(empty.status == 0)
        #expect(empty.text.contains("No pending pairing requests."))

        let list = try await run(["pairing", "list"], env)
        #expect(list.status == 0, "\(list.text)")
        #expect(list.text.contains("telegram  \(code)  12345 (Ada)"), "\(list.text)")

        let json = try await run(["pairing", "list", "telegram", "--json"], env)
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.text.utf8))
        #expect(object["requests"]?[0]?["code"]?.stringValue == code)
        #expect(object["requests"]?[0]?["channel"] == "telegram")

        let wrong = try await run(["pairing", "approve", "telegram", "ZZZZZZZZ"], env)
        #expect(wrong.status == 1)
        #expect(wrong.text.contains("No pending pairing request found for code: ZZZZZZZZ"))

        let approve = try await run(["pairing", "approve", "telegram", code.lowercased()], env)
        #expect(approve.status == 0, "\(approve.text)")
        #expect(approve.text.contains("Approved telegram sender 12345."))
        #expect(store.approved(channel: "telegram") == ["12345"])
        #expect(store.pending(channel: "telegram").isEmpty)
    }

    @Test func channelsStatusAndMessageSendTalkToTheGateway() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let port = Sandbox.freePort()
        let env = try sandbox.isolatedEnvironment(port: port)
        let gateway = try await OpenClawProcess(["gateway", "--allow-unconfigured"], environment: env)
        defer { Task { await gateway.stop() } }
        #expect(await gateway.waitForOutput("[gateway] ready"), "\(gateway.text)")

        let status = try await run(["channels", "status"], env)
        #expect(status.status == 0, "\(status.text)")
        #expect(status.text.contains("WebChat:"), "\(status.text)")
        #expect(status.text.contains("  - default (Gateway WebSocket): ready"), "\(status.text)")

        let json = try await run(["channels", "status", "--probe", "--json"], env)
        #expect(json.status == 0, "\(json.text)")
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.text.utf8))
        #expect(object["channelOrder"]?.arrayValue?.last == "webchat")
        #expect(object["channelLabels"]?["webchat"] == "WebChat")

        let webchat = try await run(["message", "send", "--channel", "webchat", "--to", "x", "--message", "hi"], env)
        #expect(webchat.status != 0)
        #expect(webchat.text.contains("unsupported channel: webchat"), "\(webchat.text)")

        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
    }
}
