// Sources/Runtime/HTTP/Hooks/HookWake.swift - POST <hooks.path>/wake

import Foundation
import Hummingbird
import Logging
import ProtocolSupport

/// `{text, mode?: "now" | "next-heartbeat"}`: upstream queues `text` as a system event for the
/// main session and wakes the heartbeat. This gateway has no heartbeat runner or system-event
/// queue yet, so the event is logged (info, subsystem hooks) and acknowledged as queued.
struct HookWake: Sendable {
    enum Mode: String, Sendable {
        case now
        case nextHeartbeat = "next-heartbeat"
    }

    var text: String
    var mode: Mode

    init(text: String, mode: Mode) {
        self.text = text
        self.mode = mode
    }

    init(_ body: JSONValue) throws(HookError) {
        guard let text = body["text"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw .invalid("text required: a non-empty string")
        }
        self.text = text
        // Like upstream, anything but "next-heartbeat" means now.
        mode = body["mode"]?.stringValue == Mode.nextHeartbeat.rawValue ? .nextHeartbeat : .now
    }

    func perform(logger: Logger) -> Response {
        let preview = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
        logger.info("[hooks] wake (\(mode.rawValue)): \(preview)")
        let answer: JSONValue = ["ok": true, "mode": .string(mode.rawValue), "eventOutcome": "queued"]
        return HTTPJSON.response(answer)
    }
}
