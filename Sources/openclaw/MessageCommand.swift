// Sources/openclaw/MessageCommand.swift - `openclaw message send`: one text out through a channel via the gateway's send

import ArgumentParser
import Foundation
import Generated
import Runtime

struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "message", abstract: MessageOptions.helpAbstract, subcommands: [Send.self])

    struct Send: CLICommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: MessageSendOptions.helpAbstract)

        @OptionGroup var options: MessageSendOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            guard let to = options.to, !to.isEmpty else { throw ValidationError("--to is required") }
            guard let message = options.message, !message.isEmpty else { throw ValidationError("--message is required") }
            var params: [String: JSONValue] = [
                "to": .string(to), "message": .string(message), "idempotencyKey": .string(UUID().uuidString.lowercased()),
            ]
            if let channel = options.channel { params["channel"] = .string(channel) }
            if let account = options.account { params["accountId"] = .string(account) }
            if let thread = options.thread { params["threadId"] = .string(thread) }
            let payload = try await CLIConnection.withClient(connection) { client in
                try await client.request(GatewayMethod.send.rawValue, params: .object(params), timeoutMs: connection.timeout)
            }
            if connection.json {
                print(try JSONOutput.render(payload, pretty: true))
                return
            }
            let channel = payload["channel"]?.stringValue ?? options.channel ?? "?"
            print("Sent via \(channel) to \(to) (message \(payload["messageId"]?.stringValue ?? "unknown")).")
        }
    }
}
