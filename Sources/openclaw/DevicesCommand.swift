// Sources/openclaw/DevicesCommand.swift - `openclaw devices …`: device pairing and device tokens through the running gateway

import ArgumentParser
import Foundation
import Generated
import Runtime

/// Every subcommand calls one `device.*` method with its generated params and reads the generated result.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: DevicesOptions.helpAbstract,
        subcommands: [List.self, Approve.self, Reject.self, Remove.self, Rotate.self, Revoke.self], defaultSubcommand: List.self
    )

    struct List: CLICommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: DevicesListOptions.helpAbstract)

        @OptionGroup var options: DevicesListOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.call(.devicePairList, as: DevicePairListResult.self, timeoutMs: connection.timeout)
            }
            if connection.json {
                print(try DevicesText.json(result))
                return
            }
            print(DevicesText.render(result, now: Int(Date().timeIntervalSince1970 * 1000)))
        }
    }

    struct Approve: CLICommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: DevicesApproveOptions.helpAbstract)

        @OptionGroup var options: DevicesApproveOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client -> DevicePairApproveResult? in
                var requestId = options.latest ? nil : options.requestId
                if requestId == nil {
                    let pending = try await client.call(.devicePairList, as: DevicePairListResult.self, timeoutMs: connection.timeout).pending
                    requestId = pending.max { $0.ts < $1.ts }?.requestId
                }
                guard let requestId else { return nil }
                return try await client.call(.devicePairApprove, DevicePairRequestIdParams(requestId: requestId), as: DevicePairApproveResult.self, timeoutMs: connection.timeout)
            }
            guard let result else {
                FileHandle.standardError.write(Data("No pending device pairing requests to approve\n".utf8))
                throw ExitCode(1)
            }
            if connection.json {
                print(try DevicesText.json(result))
                return
            }
            let device = result.device
            let name = device.displayName.map { "\($0) (\(device.deviceId))" } ?? device.deviceId
            print("Approved \(name) (\(result.requestId))")
        }
    }

    struct Reject: CLICommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: DevicesRejectOptions.helpAbstract)

        @OptionGroup var options: DevicesRejectOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.call(.devicePairReject, DevicePairRequestIdParams(requestId: options.requestId), as: DevicePairRejectResult.self, timeoutMs: connection.timeout)
            }
            print(connection.json ? try DevicesText.json(result) : "Rejected \(result.deviceId)")
        }
    }

    struct Remove: CLICommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: DevicesRemoveOptions.helpAbstract)

        @OptionGroup var options: DevicesRemoveOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.call(.devicePairRemove, DeviceIdParams(deviceId: options.deviceId), as: DeviceIdParams.self, timeoutMs: connection.timeout)
            }
            print(connection.json ? try DevicesText.json(result) : "Removed \(result.deviceId)")
        }
    }

    struct Rotate: CLICommand {
        static let configuration = CommandConfiguration(commandName: "rotate", abstract: DevicesRotateOptions.helpAbstract)

        @OptionGroup var options: DevicesRotateOptions
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard options.device?.isEmpty == false, options.role?.isEmpty == false else { throw ValidationError("--device and --role are required") }
        }

        func execute() async throws {
            let params = DeviceTokenRotateParams(deviceId: options.device ?? "", role: options.role ?? "", scopes: options.scope.isEmpty ? nil : options.scope)
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.call(.deviceTokenRotate, params, as: DeviceTokenRotateResult.self, timeoutMs: connection.timeout)
            }
            print(try DevicesText.json(result))
        }
    }

    struct Revoke: CLICommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: DevicesRevokeOptions.helpAbstract)

        @OptionGroup var options: DevicesRevokeOptions
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard options.device?.isEmpty == false, options.role?.isEmpty == false else { throw ValidationError("--device and --role are required") }
        }

        func execute() async throws {
            let params = DeviceTokenRevokeParams(deviceId: options.device ?? "", role: options.role ?? "")
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.call(.deviceTokenRevoke, params, as: DeviceTokenRevokeResult.self, timeoutMs: connection.timeout)
            }
            print(try DevicesText.json(result))
        }
    }
}
