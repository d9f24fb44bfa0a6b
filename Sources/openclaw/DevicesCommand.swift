// Sources/openclaw/DevicesCommand.swift - `openclaw devices …`: device pairing and device tokens through the running gateway

import ArgumentParser
import Foundation
import Generated
import Runtime

/// Every subcommand calls one `device.*` method with its generated params and reads the generated result.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = DevicesOptions.configuration(
        subcommands: [List.self, Approve.self, Reject.self, Remove.self, Rotate.self, Revoke.self], defaultSubcommand: List.self
    )

    struct List: CLICommand {
        static let configuration = DevicesListOptions.configuration()

        @OptionGroup var options: DevicesListOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await DevicesCommand.throughGatewayOrStore(
                connection, verb: "read",
                gateway: { client in try await client.devicePairList(timeoutMs: connection.timeout) },
                store: { store in try await store.list() }
            )
            if connection.json {
                print(try DevicesText.json(result))
                return
            }
            print(DevicesText.render(result, now: Int(Date().timeIntervalSince1970 * 1000)))
        }
    }

    struct Approve: CLICommand {
        static let configuration = DevicesApproveOptions.configuration()

        @OptionGroup var options: DevicesApproveOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let chosen = options.latest ? nil : options.requestId
            let result = try await DevicesCommand.throughGatewayOrStore(
                connection, verb: "edited",
                gateway: { client -> DevicePairApproveResult? in
                    var requestId = chosen
                    if requestId == nil {
                        let pending = try await client.devicePairList(timeoutMs: connection.timeout).pending
                        requestId = pending.max { $0.ts < $1.ts }?.requestId
                    }
                    guard let requestId else { return nil }
                    return try await client.devicePairApprove(DevicePairRequestIdParams(requestId: requestId), timeoutMs: connection.timeout)
                },
                store: { store in
                    let result = try await store.approve(requestId: chosen)
                    if result == nil, let chosen {
                        FileHandle.standardError.write(Data("unknown requestId: \(chosen)\n".utf8))
                        throw ExitCode(1)
                    }
                    return result
                }
            )
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

    /// Runs `gateway` against the running gateway; when the implicit local gateway (no `--url`, no env or remote
    /// URL) does not answer and no gateway for this config can be running, runs `store` on the pairing files
    /// instead and says so on stderr ("gateway not reachable; <verb> <dir> directly").
    static func throughGatewayOrStore<T>(
        _ connection: ConnectionOptions, verb: String, gateway: (GatewayClient) async throws -> T, store: (OfflinePairing) async throws -> T
    ) async throws -> T {
        let environment = CLIEnvironment.current
        let target: ClientTarget
        let client: GatewayClient
        do {
            target = try ClientTarget.resolve(url: connection.url, token: connection.token, password: connection.password, environment: environment)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            client = try await GatewayClient.connect(target: target, timeoutMs: connection.timeout)
        } catch {
            let down: Bool
            switch error as? GatewayClientError {
            case .unreachable: down = true
            default: down = false
            }
            guard target.isImplicitLocal, down, !OfflinePairing.gatewayMayBeRunning(environment: environment) else {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
            let offline = OfflinePairing(stateDir: target.stateDir)
            do {
                let value = try await store(offline)
                FileHandle.standardError.write(Data("gateway not reachable; \(verb) \(offline.directory) directly\n".utf8))
                return value
            } catch let exit as ExitCode {
                throw exit
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        return try await CLIConnection.run(closing: client) { try await gateway(client) }
    }

    struct Reject: CLICommand {
        static let configuration = DevicesRejectOptions.configuration()

        @OptionGroup var options: DevicesRejectOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.devicePairReject(DevicePairRequestIdParams(requestId: options.requestId), timeoutMs: connection.timeout)
            }
            print(connection.json ? try DevicesText.json(result) : "Rejected \(result.deviceId)")
        }
    }

    struct Remove: CLICommand {
        static let configuration = DevicesRemoveOptions.configuration()

        @OptionGroup var options: DevicesRemoveOptions
        @OptionGroup var connection: ConnectionOptions

        func execute() async throws {
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.devicePairRemove(DeviceIdParams(deviceId: options.deviceId), timeoutMs: connection.timeout)
            }
            print(connection.json ? try DevicesText.json(result) : "Removed \(result.deviceId)")
        }
    }

    struct Rotate: CLICommand {
        static let configuration = DevicesRotateOptions.configuration()

        @OptionGroup var options: DevicesRotateOptions
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard options.device?.isEmpty == false, options.role?.isEmpty == false else { throw ValidationError("--device and --role are required") }
        }

        func execute() async throws {
            let params = DeviceTokenRotateParams(deviceId: options.device ?? "", role: options.role ?? "", scopes: options.scope.isEmpty ? nil : options.scope)
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.deviceTokenRotate(params, timeoutMs: connection.timeout)
            }
            print(try DevicesText.json(result))
        }
    }

    struct Revoke: CLICommand {
        static let configuration = DevicesRevokeOptions.configuration()

        @OptionGroup var options: DevicesRevokeOptions
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard options.device?.isEmpty == false, options.role?.isEmpty == false else { throw ValidationError("--device and --role are required") }
        }

        func execute() async throws {
            let params = DeviceTokenRevokeParams(deviceId: options.device ?? "", role: options.role ?? "")
            let result = try await CLIConnection.withClient(connection) { client in
                try await client.deviceTokenRevoke(params, timeoutMs: connection.timeout)
            }
            print(try DevicesText.json(result))
        }
    }
}
