// Sources/gateway-stress/ChaosVerifier.swift - after a restart: every acknowledged message, pairing and config write

import Foundation
import ProtocolSupport
import Runtime

/// Checks a restarted gateway against the ledger, through its own API (`chat.history`, `device.pair.list`,
/// `config.get`) and, for the config, the file itself (`ConfigLoader`, as the next start would read it).
struct ChaosVerifier {
    let gateway: SpawnedGateway
    let ledger: ChaosLedger

    struct Findings {
        var messagesKept = 0
        var messagesLost: [String] = []
        var pairingsKept = 0
        var pairingsLost: [String] = []
        var configProblems: [String] = []

        var problems: [String] { messagesLost.map { "lost message: \($0)" } + pairingsLost.map { "lost pairing: \($0)" } + configProblems }
    }

    func verify(client: GatewayClient) async throws -> Findings {
        var findings = Findings()
        try await verifyMessages(client, into: &findings)
        try await verifyPairings(client, into: &findings)
        try await verifyConfig(client, into: &findings)
        return findings
    }

    private func verifyMessages(_ client: GatewayClient, into findings: inout Findings) async throws {
        let bySession = Dictionary(grouping: ledger.messages.withLock { $0 }, by: \.sessionKey)
        for (sessionKey, messages) in bySession.sorted(by: { $0.key < $1.key }) {
            let history = try await client.request("chat.history", params: ["sessionKey": .string(sessionKey), "limit": 1000])
            let texts = Set(
                (history["messages"]?.arrayValue ?? []).compactMap { message -> String? in
                    guard message["role"]?.stringValue == "user" else { return nil }
                    return (try? WireJSON.encode(message)).map { String(decoding: $0, as: UTF8.self) }
                })
            for message in messages {
                if texts.contains(where: { $0.contains(message.marker) }) {
                    findings.messagesKept += 1
                } else {
                    findings.messagesLost.append("\(message.method) \(message.marker.debugDescription) in \(sessionKey)")
                }
            }
        }
    }

    private func verifyPairings(_ client: GatewayClient, into findings: inout Findings) async throws {
        let list = try await client.request("device.pair.list")
        var paired: [String: Set<String>] = [:]
        for device in list["paired"]?.arrayValue ?? [] {
            guard let id = device["deviceId"]?.stringValue else { continue }
            paired[id] = Set((device["scopes"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        // The last acknowledgement per device is the one that must hold.
        var expected: [String: ChaosLedger.Pairing] = [:]
        for pairing in ledger.pairings.withLock({ $0 }) { expected[pairing.deviceId] = pairing }
        for pairing in ledger.pairings.withLock({ $0 }) {
            let latest = expected[pairing.deviceId]!
            if let scopes = paired[pairing.deviceId], scopes.isSuperset(of: latest.scopes) {
                findings.pairingsKept += 1
            } else {
                let how = pairing.byOperator ? "approved" : "silently paired"
                findings.pairingsLost.append(
                    "\(how) device \(pairing.deviceId.prefix(12)) with \(latest.scopes), now \(paired[pairing.deviceId].map { "\($0.sorted())" } ?? "not paired")"
                )
            }
        }
    }

    private func verifyConfig(_ client: GatewayClient, into findings: inout Findings) async throws {
        let state = ledger.config.withLock { $0 }
        let allowed = [state.acknowledged] + (state.inFlight.map { [$0] } ?? [])
        let path = gateway.stateDir + "/openclaw.json"
        do {
            let loaded = try ConfigLoader(environment: [:]).load(path: path)
            let value = loaded.tree["agents"]?["defaults"]?["systemPrompt"]?.stringValue ?? "(none)"
            if !allowed.contains(value) {
                findings.configProblems.append(
                    "config file holds systemPrompt \(value.debugDescription), the last acknowledged write was \(state.acknowledged.debugDescription)")
            }
            // The next writes build on the file's state.
            ledger.config.withLock { state in
                state.acknowledged = value
                state.inFlight = nil
            }
        } catch {
            findings.configProblems.append("config file is not valid after the kill: \(error)")
        }
        let snapshot = try await client.request("config.get")
        if snapshot["valid"]?.boolValue != true { findings.configProblems.append("config.get says the config is not valid: \(snapshot["issues"] ?? .null)") }
    }
}
