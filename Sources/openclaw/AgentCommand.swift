// Sources/openclaw/AgentCommand.swift - `openclaw agent`: one agent turn through the gateway's two-phase `agent` method

import ArgumentParser
import Foundation
import Generated
import Runtime

struct AgentCommand: CLICommand {
    static let configuration = AgentOptions.configuration()

    @OptionGroup var options: AgentOptions

    /// How long the connection waits beyond the run's own timeout for the final answer.
    static let answerGraceSeconds = 30

    func execute() async throws {
        let message = try readMessage()
        guard options.sessionKey != nil || options.sessionId != nil || options.to != nil || options.agent != nil else {
            throw ValidationError("Pass --to <dest>, --session-key <key>, --session-id <id> or --agent <id> to choose a session")
        }
        if let verbose = options.verbose, !["on", "off"].contains(verbose) { throw ValidationError("--verbose takes on or off") }
        let params = AgentParams(
            message: message, idempotencyKey: UUID().uuidString.lowercased(), agentId: options.agent, to: options.to, replyTo: options.replyTo,
            sessionId: options.sessionId, sessionKey: options.sessionKey, thinking: options.thinking, deliver: options.deliver ? true : nil,
            channel: options.channel, replyChannel: options.replyChannel, replyAccountId: options.replyAccount, timeout: options.timeout
        )

        var connection = ConnectionOptions()
        connection.url = options.url
        connection.token = options.token
        connection.password = options.password
        connection.timeout = ((options.timeout ?? 600) + Self.answerGraceSeconds) * 1000
        let verbose = options.verbose
        let answer = try await CLIConnection.withClient(connection) { client in
            let answer = try await client.agent(params, timeoutMs: connection.timeout)
            if let verbose, let key = answer.result?.meta.sessionKey {
                _ = try await client.sessionsPatch(SessionsPatchParams(key: key, verboseLevel: .value(verbose)))
            }
            return answer
        }
        if options.json {
            print(try JSONOutput.render(answer, pretty: true))
            return
        }
        let replies = answer.result?.payloads.compactMap(\.text) ?? []
        print(replies.isEmpty ? "(no reply)" : replies.joined(separator: "\n\n"))
        if answer.result?.meta.delivered == true {
            let channel = options.replyChannel ?? options.channel ?? "?"
            FileHandle.standardError.write(Data("Delivered via \(channel) to \(options.replyTo ?? options.to ?? "?").\n".utf8))
        }
    }

    /// `--message`, or the contents of `--message-file`; one of them, not empty.
    private func readMessage() throws -> String {
        if options.message != nil, options.messageFile != nil { throw ValidationError("Pass --message or --message-file, not both") }
        if let path = options.messageFile {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read --message-file \(path)") }
            guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("--message-file \(path) is not UTF-8 text") }
            return try nonEmpty(text)
        }
        guard let message = options.message else { throw ValidationError("--message (or --message-file) is required") }
        return try nonEmpty(message)
    }

    private func nonEmpty(_ text: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("The message is empty") }
        return text
    }
}
