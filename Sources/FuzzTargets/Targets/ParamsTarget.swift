// Sources/FuzzTargets/Targets/ParamsTarget.swift - every method's params, decoded through the generated method table

import Foundation
import Generated
import ProtocolSupport

extension FuzzTarget {
    /// The params of every method in `GatewayMethod` (and `connect`), decoded as dispatch does: through
    /// `GatewayMethod.call` with the type the generated table names, for no version and each supported one.
    ///
    /// Input: `<method>\n<params JSON>`; a head that is not a method name picks one by hash, so every input
    /// decodes as something. Invariants: a refusal is `InvalidParams` with a JSON pointer (`""` or `/…`);
    /// accepted params encode and decode to an equal value for the same version.
    public static let params = FuzzTarget(
        name: "params",
        summary: "generated params types of every method via GatewayMethod.call: typed refusals, round trips per version",
        seeds: ParamsSeeds.all,
        dictionary: ParamsSeeds.dictionary,
        check: { input throws(InvariantBreak) in try await ParamsCheck.run(input) }
    )
}

enum ParamsCheck {
    static let methods = GatewayMethod.allCases
    static let versions: [Int?] = [nil] + ProtocolVersion.supported.map { $0 }

    static func run(_ input: [UInt8]) async throws(InvariantBreak) -> Bool {
        let (head, body) = splitHead(input)
        let method = variant(head, of: methods) { $0.rawValue }
        var accepted = false
        for version in versions {
            let params = requestParams(body, version: version)
            if method == .connect {
                let connect: ConnectParams
                do {
                    connect = try params.decode(ConnectParams.self, method: method.rawValue)
                } catch {
                    try check(error.issue, method: method)
                    continue
                }
                try check(ParamsProbe.Decoded(connect), version: version, method: method)
                accepted = true
                continue
            }
            do {
                _ = try await method.call(ParamsProbe(), params: params, context: ())
                throw InvariantBreak("\(method.rawValue): the probe handler returned instead of throwing")
            } catch let decoded as ParamsProbe.Decoded {
                try check(decoded, version: version, method: method)
                accepted = true
            } catch let invalid as InvalidParams {
                try check(invalid.issue, method: method)
            } catch let broken as InvariantBreak {
                throw broken
            } catch {
                throw InvariantBreak("\(method.rawValue): params decoding threw \(type(of: error)), not InvalidParams: \(error)")
            }
        }
        return accepted
    }

    /// What dispatch builds for a frame with these params; blank text means the frame had none.
    static func requestParams(_ body: ArraySlice<UInt8>, version: Int?) -> RequestParams {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return RequestParams(message: Data(), isPresent: false, protocolVersion: version)
        }
        return RequestParams(message: Data(#"{"params":"#.utf8) + Data(body) + Data("}".utf8), isPresent: true, protocolVersion: version)
    }

    private static func check(_ decoded: ParamsProbe.Decoded, version: Int?, method: GatewayMethod) throws(InvariantBreak) {
        if let problem = decoded.roundTrip(version) { throw InvariantBreak("\(method.rawValue) v\(version.map(String.init) ?? "any"): \(problem)") }
    }

    private static func check(_ issue: ValidationIssue, method: GatewayMethod) throws(InvariantBreak) {
        guard issue.pointer.isEmpty || issue.pointer.hasPrefix("/") else {
            throw InvariantBreak("\(method.rawValue): refusal with a pointer that is not a JSON pointer: \(issue.pointer.debugDescription)")
        }
        guard !issue.message.isEmpty else { throw InvariantBreak("\(method.rawValue): refusal without a message") }
    }
}

/// One valid-looking params object per method, plus the conformance cases' (`SeedCorpus`).
enum ParamsSeeds {
    static let all: [[UInt8]] = [
        "agent\n" + #"{"message":"hi","idempotencyKey":"k1","sessionKey":"main","timeout":30}"#,
        "agent.wait\n" + #"{"runId":"r","timeoutMs":1000}"#,
        "chat.send\n" + #"{"sessionKey":"main","message":"hello","idempotencyKey":"i1","attachments":[]}"#,
        "chat.history\n" + #"{"sessionKey":"main","limit":50}"#,
        "chat.abort\n" + #"{"sessionKey":"main","runId":"r"}"#,
        "chat.inject\n" + #"{"sessionKey":"main","message":"x"}"#,
        "config.set\n" + #"{"raw":"{ gateway: { mode: 'local' } }","baseHash":"abc"}"#,
        "config.patch\n" + #"{"raw":"{ logging: { level: 'debug' } }","baseHash":"abc"}"#,
        "config.apply\n" + #"{"raw":"{}","baseHash":"abc","restartDelayMs":2000}"#,
        "device.pair.approve\n" + #"{"requestId":"r1"}"#,
        "device.token.rotate\n" + #"{"deviceId":"d","role":"operator","scopes":["operator.read"]}"#,
        "logs.tail\n" + #"{"limit":10,"maxBytes":1000,"cursor":0}"#,
        "sessions.list\n" + #"{"limit":5,"search":"a","activeMinutes":10,"includeGlobal":true}"#,
        "sessions.patch\n" + #"{"key":"main","label":"x"}"#,
        "health\n" + #"{"probe":true}"#,
        "system-event\n" + #"{"text":"Node: box","instanceId":"box-1","host":"box"}"#,
        "send\n" + ##"{"to":"#room","message":"hi","channel":"irc","idempotencyKey":"s1"}"##,
        "connect\n"
            + #"{"minProtocol":3,"maxProtocol":4,"client":\#(FrameSeeds.client),"role":"operator","scopes":["operator.admin"],"auth":{"token":"T"},"device":{"id":"d","publicKey":"k","signature":"s","signedAt":1,"nonce":"n"}}"#,
        "status\n", "health\n{}",
    ].map(bytes)

    static let dictionary: [[UInt8]] =
        (GatewayMethod.allCases.map { $0.rawValue + "\n" } + [
            #""sessionKey":"#, #""idempotencyKey":"#, #""limit":"#, #""timeoutMs":"#, #""message":"#, #""raw":"#, #""baseHash":"#,
            #""scopes":[]"#, #""role":"#, "null", "-1", "1e30", "1.5", "2147483648", "9223372036854775808",
        ]).map(bytes)
}
