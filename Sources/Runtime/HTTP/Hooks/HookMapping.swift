// Sources/Runtime/HTTP/Hooks/HookMapping.swift - `hooks.mappings` and `hooks.presets`: POST <path>/<name>

import Foundation
import ProtocolSupport

/// One of upstream's webhook mappings: a `POST <hooks.path>/<name>` whose sub-path (`match.path`)
/// and payload `source` (`match.source`) match becomes a wake or an agent run, with templates
/// (`HookTemplate`) filling in the text, message, session key and destination. The first matching
/// mapping wins; user mappings come before presets.
///
/// `transform` (a JavaScript module upstream) cannot run here: a matching mapping that names one
/// answers 500 `hook mapping failed` and says why in the log, never silently doing less.
struct HookMapping: Sendable, Equatable {
    enum Action: String, Sendable {
        case wake, agent
    }

    var id: String
    var matchPath: String?
    var matchSource: String?
    var action: Action
    var wakeMode: String
    var name: String?
    var agentId: String?
    var sessionKey: String?
    var messageTemplate: String?
    var textTemplate: String?
    var deliver: Bool?
    var channel: String?
    var to: String?
    var accountId: String?
    var timeoutSeconds: Int?
    var transform: String?

    /// Upstream's built-in mappings by preset name.
    static let presets: [String: [JSONValue]] = [
        "gmail": [
            [
                "id": "gmail", "match": ["path": "gmail"], "action": "agent", "wakeMode": "now", "name": "Gmail",
                "sessionKey": "hook:gmail:{{messages[0].id}}",
                "messageTemplate": "New email from {{messages[0].from}}\nSubject: {{messages[0].subject}}\n{{messages[0].snippet}}\n{{messages[0].body}}",
            ]
        ]
    ]

    /// `hooks.mappings` then the mappings of `hooks.presets`; entries that are not mappings are
    /// reported in `problems` (logged once) and left out.
    static func resolve(mappings: JSONValue?, presets: JSONValue?) -> (mappings: [HookMapping], problems: [String]) {
        var entries = mappings?.arrayValue ?? []
        var problems: [String] = []
        if let mappings, mappings.arrayValue == nil, mappings != .null { problems.append("hooks.mappings must be a list") }
        for preset in presets?.arrayValue?.compactMap(\.stringValue) ?? [] {
            if let known = Self.presets[preset] { entries += known } else { problems.append("unknown hooks preset \"\(preset)\"") }
        }
        var resolved: [HookMapping] = []
        for (index, entry) in entries.enumerated() {
            guard entry.objectValue != nil else {
                problems.append("hooks.mappings[\(index)] is not an object")
                continue
            }
            let actionText = entry["action"]?.stringValue ?? Action.agent.rawValue
            guard let action = Action(rawValue: actionText) else {
                problems.append("hooks.mappings[\(index)].action must be \"wake\" or \"agent\", not \"\(actionText)\"")
                continue
            }
            let text = { (key: String) in HookFields.text(entry[key]) }
            resolved.append(
                HookMapping(
                    id: text("id") ?? "mapping-\(index + 1)", matchPath: entry["match"]?["path"]?.stringValue.flatMap(Self.normalize),
                    matchSource: entry["match"]?["source"]?.stringValue?.trimmingCharacters(in: .whitespaces).nonEmpty, action: action,
                    wakeMode: entry["wakeMode"]?.stringValue == "next-heartbeat" ? "next-heartbeat" : "now", name: text("name"),
                    agentId: text("agentId"), sessionKey: text("sessionKey"), messageTemplate: entry["messageTemplate"]?.stringValue,
                    textTemplate: entry["textTemplate"]?.stringValue, deliver: entry["deliver"]?.boolValue, channel: text("channel"),
                    to: text("to"), accountId: text("accountId"), timeoutSeconds: entry["timeoutSeconds"]?.intValue,
                    transform: entry["transform"].map { $0["module"]?.stringValue ?? "(transform)" }
                )
            )
        }
        return (resolved, problems)
    }

    /// Leading and trailing slashes do not count; an empty path matches every sub-path.
    static func normalize(path: String) -> String? {
        let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
        return trimmed.isEmpty ? nil : trimmed
    }

    func matches(path: String, payload: JSONValue) -> Bool {
        if let matchPath, matchPath != Self.normalize(path: path) { return false }
        if let matchSource, payload["source"]?.stringValue != matchSource { return false }
        return true
    }

    /// What the mapping turns this request into.
    enum Outcome: Sendable {
        case wake(HookWake)
        /// A `/hooks/agent` body built from the templates; its session key comes from the config.
        case agent(JSONValue)
    }

    func apply(_ context: HookTemplate.Context) throws(HookError) -> Outcome {
        let render = { (template: String?) -> String? in
            guard let template else { return nil }
            let text = HookTemplate(template).render(context).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        let renderedKey = render(sessionKey)
        if let sessionKey, HookTemplate(sessionKey).isTemplated, renderedKey == nil {
            throw .invalid("hook mapping sessionKey template rendered empty")
        }
        switch action {
        case .wake:
            guard let text = render(textTemplate) else { throw .invalid("hook mapping requires text") }
            return .wake(HookWake(text: text, mode: wakeMode == "next-heartbeat" ? .nextHeartbeat : .now))
        case .agent:
            guard let message = render(messageTemplate) else { throw .invalid("hook mapping requires message") }
            var body: [String: JSONValue] = ["message": .string(message)]
            body["name"] = render(name).map(JSONValue.string)
            body["agentId"] = agentId.map(JSONValue.string)
            body["sessionKey"] = renderedKey.map(JSONValue.string)
            body["deliver"] = deliver.map(JSONValue.bool)
            body["channel"] = channel.map(JSONValue.string)
            body["to"] = render(to).map(JSONValue.string)
            body["accountId"] = accountId.map(JSONValue.string)
            body["timeoutSeconds"] = timeoutSeconds.map(JSONValue.int)
            return .agent(.object(body))
        }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
