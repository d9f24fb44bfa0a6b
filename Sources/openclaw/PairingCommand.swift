// Sources/openclaw/PairingCommand.swift - `openclaw pairing list|approve`: DM pairing requests in the state dir

import ArgumentParser
import Foundation
import Generated
import Runtime

/// Edits `<stateDir>/credentials/` directly (the gateway re-reads it on every message), so approval
/// works whether or not the gateway runs and needs no RPC.
struct PairingCommand: AsyncParsableCommand {
    static let configuration = PairingOptions.configuration(
        subcommands: [List.self, Approve.self], defaultSubcommand: List.self
    )

    static var store: PairingStore {
        PairingStore(stateDir: StatePaths.resolve(environment: CLIEnvironment.current).stateDir)
    }

    struct List: CLICommand {
        static let configuration = PairingListOptions.configuration()

        @OptionGroup var options: PairingListOptions

        func execute() async throws {
            let store = PairingCommand.store
            let channels = options.channel.map { [$0.lowercased()] } ?? store.channelsWithRequests()
            let rows = channels.flatMap { channel in store.pending(channel: channel).map { (channel, $0) } }
            if options.json {
                let requests: [JSONValue] = rows.map { channel, request in
                    var row: [String: JSONValue] = [
                        "channel": .string(channel), "code": .string(request.code), "id": .string(request.id),
                        "createdAt": .string(request.createdAt), "lastSeenAt": .string(request.lastSeenAt),
                    ]
                    if let meta = request.meta { row["meta"] = .object(meta.mapValues(JSONValue.string)) }
                    return .object(row)
                }
                print(try JSONOutput.render(JSONValue.object(["requests": .array(requests)]), pretty: true))
                return
            }
            guard !rows.isEmpty else {
                print("No pending pairing requests.")
                return
            }
            for (channel, request) in rows {
                let name = request.meta?["name"].map { " (\($0))" } ?? ""
                print("\(channel)  \(request.code)  \(request.id)\(name)  requested \(request.createdAt)")
            }
            print("Approve with: openclaw pairing approve <channel> <code>")
        }
    }

    struct Approve: CLICommand {
        static let configuration = PairingApproveOptions.configuration()

        @OptionGroup var options: PairingApproveOptions

        func execute() async throws {
            let channel = options.channel.lowercased()
            guard let request = try PairingCommand.store.approve(channel: channel, code: options.code) else {
                FileHandle.standardError.write(Data("No pending pairing request found for code: \(options.code.uppercased())\n".utf8))
                throw ExitCode(1)
            }
            print("Approved \(channel) sender \(request.id).")
        }
    }
}
