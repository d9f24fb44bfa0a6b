// Sources/openclaw/MessageCommand.swift - `openclaw message send`: one text out through a channel via the gateway's send

import ArgumentParser
import Foundation
import Generated
import Runtime

struct MessageCommand: AsyncParsableCommand {
    static let configuration = MessageOptions.configuration(subcommands: [Send.self])

    struct Send: CLICommand {
        static let configuration = MessageSendOptions.configuration()

        @OptionGroup var options: MessageSendOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            guard let to = options.to, !to.isEmpty else { throw ValidationError("--to is required") }
            guard let message = options.message, !message.isEmpty else { throw ValidationError("--message is required") }
            let params = SendParams(
                to: to, message: message, channel: options.channel, accountId: options.account, threadId: options.thread,
                idempotencyKey: UUID().uuidString.lowercased()
            )
            let sent = try await CLIConnection.withClient(connection) { client in
                try await client.send(params, timeoutMs: connection.timeout)
            }
            if connection.json {
                print(try JSONOutput.render(sent, pretty: true))
                return
            }
            print("Sent via \(sent.channel) to \(to) (message \(sent.messageId)).")
        }
    }
}
