// Tests/Conformance/Harness/CaseRunner.swift - plays a case's steps over a real socket

import Crypto
import Foundation
import Generated
import Runtime
import Testing

/// Plays one case against a gateway and records every mismatch as a test issue.
struct CaseRunner {
    let gateway: TestGateway
    let socket: WireClient
    var nonce: String?
    /// Frames read while looking for another one; later expectations look here first.
    var backlog: [JSONValue] = []

    /// The protocol version the standard `connect` offers.
    var version = ProtocolVersion.current

    init(gateway: TestGateway, socket: WireClient) {
        self.gateway = gateway
        self.socket = socket
    }

    mutating func run(_ testCase: ConformanceCase) async throws {
        version = testCase.version
        for (index, step) in testCase.steps.enumerated() {
            let label = "step \(index + 1)"
            switch step {
            case .send(let value): try await socket.send(value.text)
            case .sendText(let text): try await socket.send(text)
            case .sendBinary(let text): try await socket.sendBinary(Array(text.utf8))
            case .sendLarge(let bytes, let json):
                let text =
                    json
                    ? #"{"type":"req","id":"big","method":"health","params":{"pad":""# + String(repeating: "x", count: max(0, bytes - 60)) + #""}}"#
                    : String(repeating: "x", count: bytes)
                try await socket.send(text)
            case .connect(let overrides):
                try await sendConnect(overrides)
            case .expectEvent(let name, let match):
                // The first event of that name that matches; others of the name (earlier broadcasts) are passed over.
                var lastSeen: JSONValue?
                do {
                    _ = try await nextFrame(label) { frame in
                        guard frame["type"] == "event", frame["event"]?.stringValue == name else { return false }
                        lastSeen = frame
                        return match.map { JSONPattern.mismatch(frame, $0) == nil } ?? true
                    }
                } catch {
                    if let lastSeen, let match, let problem = JSONPattern.mismatch(lastSeen, match) {
                        Issue.record("\(label) (\(name) event): \(problem)\n  last \(name) frame: \(lastSeen.text)")
                    }
                    throw error
                }
            case .expectResponse(let match):
                let frame = try await nextFrame(label) { $0["type"] == "res" }
                if let problem = JSONPattern.mismatch(frame, match) {
                    Issue.record("\(label) (response): \(problem)\n  frame: \(frame.text)")
                }
            case .expectClose(let code, let reason):
                let close = try await socket.waitForClose()
                if let code, Int(close.code ?? 0) != code {
                    Issue.record("\(label): expected close \(code), got \(close.code.map(String.init) ?? "none") (\(close.reason ?? ""))")
                }
                if let reason {
                    let actual: JSONValue = close.reason.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null
                    if let problem = JSONPattern.mismatch(actual, reason) { Issue.record("\(label) (close reason): \(problem)") }
                }
            }
        }
    }

    /// The next frame accepted by `filter`, skipping others; records the challenge nonce on the way.
    private mutating func nextFrame(_ label: String, where filter: (JSONValue) -> Bool) async throws -> JSONValue {
        if let index = backlog.firstIndex(where: filter) { return backlog.remove(at: index) }
        while true {
            switch try await socket.next() {
            case .closed(let code, let reason):
                struct Closed: Error, CustomStringConvertible { var description: String }
                throw Closed(description: "\(label): socket closed (\(code.map(String.init) ?? "no code") \(reason ?? "")) while waiting for a frame")
            case .text(let text):
                let frame = try JSONValue.parse(text)
                if frame["event"]?.stringValue == "connect.challenge" { nonce = frame["payload"]?["nonce"]?.stringValue }
                if filter(frame) { return frame }
                backlog.append(frame)
            }
        }
    }

    private mutating func sendConnect(_ overrides: JSONValue) async throws {
        if nonce == nil { _ = try await nextFrame("connect") { $0["event"]?.stringValue == "connect.challenge" } }
        var params: JSONValue = [
            "minProtocol": .int(version), "maxProtocol": .int(version),
            "client": ["id": "gateway-client", "version": "1.0.0", "platform": "linux", "mode": "backend"],
            "role": "operator", "scopes": ["operator.admin"],
        ]
        switch overrides["$auth"]?.stringValue {
        case "omit": break
        case "wrong": params = params.merging(["auth": ["token": "wrong-token"]])
        case "wrongPassword": params = params.merging(["auth": ["password": "wrong-password"]])
        default:
            if let token = gateway.token { params = params.merging(["auth": ["token": .string(token)]]) }
            if let password = gateway.password { params = params.merging(["auth": ["password": .string(password)]]) }
        }
        var cleaned = overrides.objectValue ?? [:]
        for key in ["$auth", "$device", "$id"] { cleaned[key] = nil }
        params = params.merging(.object(cleaned))
        if let device = overrides["$device"] { params = params.merging(["device": try signedDevice(params, options: device)]) }
        let request: JSONValue = ["type": "req", "id": overrides["$id"] ?? "connect", "method": "connect", "params": params]
        try await socket.send(request.text)
    }

    /// A device block signed over the v3 (or v2) payload, then altered as the case asks.
    private func signedDevice(_ params: JSONValue, options: JSONValue) throws -> JSONValue {
        let key = Curve25519.Signing.PrivateKey()
        let rawPublic = key.publicKey.rawRepresentation
        let deviceId = options["id"]?.stringValue ?? DeviceID.derive(publicKey: rawPublic)
        let nonce = options["nonce"]?.stringValue ?? self.nonce ?? ""
        let signedAt = Int(Date().timeIntervalSince1970 * 1000) + (options["signedAtOffsetMs"]?.intValue ?? 0)
        let decoded = try JSONDecoder().decode(ConnectParams.self, from: Data(params.text.utf8))
        let device = ConnectDevice(id: deviceId, publicKey: Base64URL.encode(rawPublic), signature: "", signedAt: signedAt, nonce: nonce)
        let payload =
            options["payload"]?.stringValue == "v2"
            ? DevicePayload.v2(
                device: device, params: decoded, role: decoded.role ?? "operator", scopes: decoded.scopes ?? [], token: DevicePayload.signedToken(decoded.auth),
                nonce: nonce)
            : DevicePayload.v3(
                device: device, params: decoded, role: decoded.role ?? "operator", scopes: decoded.scopes ?? [], token: DevicePayload.signedToken(decoded.auth),
                nonce: nonce)
        var signature = Base64URL.encode(try key.signature(for: Data(payload.utf8)))
        if options["tamperSignature"]?.boolValue == true { signature = Base64URL.encode(try key.signature(for: Data("something else".utf8))) }
        var block: JSONValue = [
            "id": .string(deviceId), "publicKey": .string(Base64URL.encode(rawPublic)), "signature": .string(signature), "signedAt": .int(signedAt),
            "nonce": .string(nonce),
        ]
        if options["omitNonce"]?.boolValue == true { block = block.merging(["nonce": .null]) }
        if let publicKey = options["publicKey"]?.stringValue {
            let raw = Base64URL.decode(publicKey) ?? Data()
            block = block.merging(["publicKey": .string(publicKey), "id": .string(DeviceID.derive(publicKey: raw))])
        }
        return block
    }
}
