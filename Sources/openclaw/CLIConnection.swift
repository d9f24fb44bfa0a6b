// Sources/openclaw/CLIConnection.swift - connect, run one thing, close; failures print and exit 1

import ArgumentParser
import Foundation
import Generated
import Runtime

enum CLIConnection {
    static func withClient<T>(_ options: ConnectionOptions, protocolVersion: Int? = nil, _ body: (GatewayClient) async throws -> T) async throws -> T {
        let client: GatewayClient
        do {
            let target = try ClientTarget.resolve(url: options.url, token: options.token, password: options.password, environment: CLIEnvironment.current)
            client = try await GatewayClient.connect(target: target, timeoutMs: options.timeout, protocolVersion: protocolVersion)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        return try await run(closing: client) { try await body(client) }
    }

    /// Runs `body`, then closes `client`; a failure is printed and becomes exit code 1.
    static func run<T>(closing client: GatewayClient, _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            await client.close()
            return value
        } catch {
            await client.close()
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

enum JSONOutput {
    /// A generated result, printed as the wire has it (keys sorted).
    static func render(_ value: some Encodable, pretty: Bool) throws -> String {
        try render(WireJSON.decode(JSONValue.self, from: WireJSON.encode(value)), pretty: pretty)
    }

    static func render(_ value: JSONValue, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
