// Sources/Runtime/Agents/BuiltinTools.swift - the tools the gateway runs for models (spec/tools/)

import Foundation
import Generated
import ProtocolSupport

/// What a built-in tool knows about the run that called it.
struct ToolContext: Sendable {
    let store: SessionStore
    let sessionKey: String
    let now: Date
}

/// Implements the spec's built-in tools. Each returns data, never prose: the model phrases it.
struct BuiltinTools: BuiltinToolHandler {
    func currentTime(_ arguments: CurrentTimeArgs, context: ToolContext) async throws -> CurrentTimeResult {
        let zone: TimeZone
        if let name = arguments.timeZone {
            guard let named = TimeZone(identifier: name) else { throw ToolFailure("unknown time zone \"\(name)\" (use an IANA name such as Europe/Paris)") }
            zone = named
        } else {
            zone = .current
        }
        return CurrentTimeResult(
            utc: Self.iso(context.now, zone: TimeZone(identifier: "UTC")!), local: Self.iso(context.now, zone: zone), timeZone: zone.identifier,
            epochMs: Int(context.now.timeIntervalSince1970 * 1000)
        )
    }

    func sessionsList(_ arguments: SessionsListToolArgs, context: ToolContext) async throws -> SessionsListToolResult {
        let now = Int(context.now.timeIntervalSince1970 * 1000)
        let entries = try context.store.list(SessionQuery(limit: arguments.limit ?? 20, search: arguments.search, now: now))
        let rows = entries.map { entry in
            SessionToolRow(
                key: entry.key, title: entry.label ?? entry.derivedTitle, updatedAt: Self.iso(ms: entry.updatedAt),
                lastMessage: entry.lastMessagePreview
            )
        }
        return SessionsListToolResult(count: rows.count, sessions: rows)
    }

    func sessionStatus(_ arguments: SessionStatusArgs, context: ToolContext) async throws -> SessionStatusResult {
        let key = arguments.sessionKey ?? context.sessionKey
        guard let entry = try context.store.entry(key: key) else {
            return SessionStatusResult(sessionKey: key, exists: false, messages: 0, inputTokens: 0, outputTokens: 0)
        }
        let messages = try context.store.transcript(key: key).count
        return SessionStatusResult(
            sessionKey: key, exists: true, sessionId: entry.sessionId, messages: messages, inputTokens: entry.inputTokens,
            outputTokens: entry.outputTokens, model: entry.model, updatedAt: Self.iso(ms: entry.updatedAt)
        )
    }

    /// Runs the tool a model called. Failures (unknown tool, bad arguments, tool errors) become an
    /// error result the model reads, never a failed run.
    func run(_ call: ModelToolCall, context: ToolContext) async -> (text: String, isError: Bool) {
        guard let tool = BuiltinTool(rawValue: call.name) else {
            let known = BuiltinTool.allCases.map(\.rawValue).joined(separator: ", ")
            return ("error: unknown tool \"\(call.name)\"; available tools: \(known)", true)
        }
        do {
            let result = try await tool.call(self, arguments: .standalone(Array(call.arguments.utf8)), context: context)
            return (String(decoding: result.bytes, as: UTF8.self), false)
        } catch {
            return ("error: \(error)", true)
        }
    }

    /// The tool list models are offered.
    static let modelTools: [ModelTool] = BuiltinTool.allCases.map { tool in
        ModelTool(
            name: tool.rawValue, description: tool.summary,
            parameters: (try? WireJSON.decode(JSONValue.self, from: Data(tool.parametersSchema.utf8))) ?? ["type": "object"]
        )
    }

    static func iso(_ date: Date, zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func iso(ms: Int) -> String {
        iso(Date(timeIntervalSince1970: Double(ms) / 1000), zone: TimeZone(identifier: "UTC")!)
    }
}

/// A tool's own error, worded for the model.
struct ToolFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
