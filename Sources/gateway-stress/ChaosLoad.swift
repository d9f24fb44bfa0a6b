// Sources/gateway-stress/ChaosLoad.swift - the writes in flight when the gateway is killed: runs, pairings, config

import Foundation
import Generated
import ProtocolSupport
import Runtime

/// The load of one chaos round; every task runs until its socket dies with the gateway.
struct ChaosLoad: Sendable {
    let gateway: SpawnedGateway
    let ledger: ChaosLedger
    let round: Int

    /// `chat.send` and `agent` requests (each starts a run against the paced fake model) on the writer's own
    /// session; each acknowledged one is recorded.
    func messages(writer: Int) async {
        guard let client = try? await gateway.connect(timeout: .seconds(5)) else { return }
        await sendMessages(client, sessionKey: "chaos-r\(round)-w\(writer)", writer: writer)
        await client.close()
    }

    private func sendMessages(_ client: GatewayClient, sessionKey: String, writer: Int) async {
        for sequence in 0... {
            let marker = "chaos r\(round) w\(writer) #\(sequence) \(UUID().uuidString.prefix(8))"
            let method = sequence % 3 == 2 ? "agent" : "chat.send"
            let params: JSONValue = [
                "sessionKey": .string(sessionKey), "message": .string(marker), "idempotencyKey": .string("k-\(marker)"),
            ]
            do {
                let answer = try await client.request(method, params: params, timeoutMs: 10_000)
                guard answer["runId"]?.stringValue != nil else { return }
                ledger.acknowledged(.init(sessionKey: sessionKey, marker: marker, method: method))
            } catch {
                return
            }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 5...30)))
        }
    }

    /// New devices: a first signed connect (paired silently on loopback), then a connect asking for more scopes,
    /// which files a request that an operator client approves.
    func pairings() async {
        guard let operatorClient = try? await gateway.connect(timeout: .seconds(5)) else { return }
        await pairDevices(approvingWith: operatorClient)
        await operatorClient.close()
    }

    private func pairDevices(approvingWith operatorClient: GatewayClient) async {
        while true {
            let identity = DeviceIdentity()
            var options = GatewayClientOptions(url: gateway.url, token: gateway.token, identity: identity)
            options.clientId = .cli
            options.clientMode = .cli
            options.scopes = ["operator.read"]
            options.requestTimeoutMs = 10_000
            do {
                let first = try await GatewayClient.connect(options, logger: StressLog.quiet)
                let token = first.hello.auth?.deviceToken
                await first.close()
                guard token != nil else { return }
                ledger.acknowledged(.init(deviceId: identity.deviceId, scopes: ["operator.read"], byOperator: false))
            } catch {
                return
            }
            options.scopes = ["operator.read", "operator.write"]
            let requestId: String
            do {
                let second = try await GatewayClient.connect(options, logger: StressLog.quiet)
                await second.close()
                return  // a scope upgrade must not be approved silently; the verification will not find it either
            } catch {
                guard case .rejected(_, let shape, _) = error, let id = shape.details?["requestId"]?.stringValue else { return }
                requestId = id
            }
            do {
                _ = try await operatorClient.request("device.pair.approve", params: ["requestId": .string(requestId)], timeoutMs: 10_000)
                ledger.acknowledged(.init(deviceId: identity.deviceId, scopes: ["operator.read", "operator.write"], byOperator: true))
            } catch {
                return
            }
        }
    }

    /// Writes of `agents.defaults.systemPrompt` (a key whose change reloads nothing), each on the hash of the one
    /// before: `config.patch` with a merge patch, and every other one `config.set` with the whole (redacted) tree
    /// `config.get` returned, the value changed. The ledger keeps the last acknowledged value and the one in flight.
    func configWrites() async {
        guard let client = try? await gateway.connect(timeout: .seconds(5)) else { return }
        await writeConfig(client)
        await client.close()
    }

    private func writeConfig(_ client: GatewayClient) async {
        for sequence in 0... {
            let value = "chaos-r\(round)-c\(sequence)"
            do {
                let snapshot = try await client.request("config.get", timeoutMs: 10_000)
                guard let hash = snapshot["hash"]?.stringValue, case .object(var tree)? = snapshot["parsed"] else { return }
                let method: String
                let raw: [UInt8]
                if sequence % 2 == 0 {
                    method = "config.patch"
                    raw = Array(#"{"agents":{"defaults":{"systemPrompt":"\#(value)"}}}"#.utf8)
                } else {
                    method = "config.set"
                    var agents = tree["agents"]?.objectValue ?? [:]
                    var defaults = agents["defaults"]?.objectValue ?? [:]
                    defaults["systemPrompt"] = .string(value)
                    agents["defaults"] = .object(defaults)
                    tree["agents"] = .object(agents)
                    raw = try WireJSON.encode(JSONValue.object(tree))
                }
                ledger.config.withLock { $0.inFlight = value }
                _ = try await client.request(
                    method, params: ["raw": .string(String(decoding: raw, as: UTF8.self)), "baseHash": .string(hash)], timeoutMs: 10_000
                )
                ledger.config.withLock { state in
                    state.acknowledged = value
                    state.inFlight = nil
                    state.writes += 1
                }
            } catch {
                return
            }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 20...80)))
        }
    }
}
