// Tests/Conformance/Harness/ConformanceCase.swift - a case file's cases and steps

import Foundation
import Generated
import Testing

/// One conformance case: the gateway it needs and the steps to play on one socket, at one protocol version.
///
/// A case runs once per version the gateway speaks (its standard `connect` offers exactly that version, and
/// `"$protocol"` anywhere in its steps stands for it), or only at the versions its `versions` key lists.
/// `OPENCLAW_CONFORMANCE_VERSIONS` (e.g. `3`) limits the versions, for a gateway that speaks fewer.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    var gateway: GatewaySetup
    var steps: [Step]
    var version: Int

    var testDescription: String { "\(file): \(name) (v\(version))" }

    /// The versions cases run at.
    static var versions: [Int] {
        let wanted = ProcessInfo.processInfo.environment["OPENCLAW_CONFORMANCE_VERSIONS"]?.split(separator: ",").compactMap { Int($0) }
        return ProtocolVersion.supported.filter { wanted?.contains($0) ?? true }
    }

    /// One thing to send or expect.
    enum Step: Sendable {
        /// Send this JSON as a text frame.
        case send(JSONValue)
        case sendText(String)
        /// Send UTF-8 text as a binary frame.
        case sendBinary(String)
        /// Send a text frame of this many bytes (a JSON request padded to size when `json`).
        case sendLarge(bytes: Int, json: Bool)
        /// Send the standard `connect` request, with these params merged in; `$auth`, `$device`, `$id` steer it.
        case connect(JSONValue)
        /// The next event with this name (other events are skipped) must match.
        case expectEvent(name: String, match: JSONValue?)
        /// The next response (events are skipped) must match.
        case expectResponse(JSONValue)
        /// The socket must close, with this code and reason (`<any>` / null allowed).
        case expectClose(code: Int?, reason: JSONValue?)
    }

    /// Every case under `Cases/`.
    static let all: [ConformanceCase] = {
        guard let directory = Bundle.module.url(forResource: "Cases", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return [] }
        return files.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }.flatMap { url in
            do {
                return try load(url)
            } catch {
                fatalError("cannot load \(url.lastPathComponent): \(error)")
            }
        }
    }()

    static func load(_ url: URL) throws -> [ConformanceCase] {
        let root = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        guard let cases = root["cases"]?.arrayValue else { throw LoadError(message: "no 'cases' array") }
        return try cases.map { item in
            guard let name = item["name"]?.stringValue, let steps = item["steps"]?.arrayValue else {
                throw LoadError(message: "a case needs 'name' and 'steps'")
            }
            var setup = GatewaySetup()
            if let gateway = item["gateway"] {
                setup = try JSONDecoder().decode(GatewaySetup.self, from: Data(gateway.text.utf8))
            }
            let only = item["versions"]?.arrayValue?.compactMap(\.intValue)
            return try versions.filter { only?.contains($0) ?? true }.map { version in
                let resolved = steps.map { substitute($0, version: version) }
                return ConformanceCase(name: name, file: url.lastPathComponent, gateway: setup, steps: try resolved.map(parseStep), version: version)
            }
        }.flatMap { $0 }
    }

    /// `"$protocol"` → the case's version.
    private static func substitute(_ value: JSONValue, version: Int) -> JSONValue {
        switch value {
        case .string("$protocol"): .int(version)
        case .array(let elements): .array(elements.map { substitute($0, version: version) })
        case .object(let members): .object(members.mapValues { substitute($0, version: version) })
        default: value
        }
    }

    struct LoadError: Error { var message: String }

    private static func parseStep(_ value: JSONValue) throws -> Step {
        guard case .object(let object) = value, object.count == 1, let (kind, body) = object.first else {
            throw LoadError(message: "a step is an object with one key: \(value.text)")
        }
        switch kind {
        case "send": return .send(body)
        case "sendText": return .sendText(body.stringValue ?? "")
        case "sendBinary": return .sendBinary(body.stringValue ?? "")
        case "sendLarge": return .sendLarge(bytes: body["bytes"]?.intValue ?? 0, json: body["json"]?.boolValue ?? false)
        case "connect": return .connect(body)
        case "expectEvent": return .expectEvent(name: body["event"]?.stringValue ?? "", match: body["match"])
        case "expectResponse": return .expectResponse(body)
        case "expectClose": return .expectClose(code: body["code"]?.intValue, reason: body["reason"])
        default: throw LoadError(message: "unknown step '\(kind)'")
        }
    }
}
