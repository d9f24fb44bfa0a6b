// Sources/gateway-bench/DeviceHandshakes.swift - what device auth adds to a handshake: signature, pairing lookup, token

import Foundation
import Generated
import Runtime

/// Sequential connect → hello-ok → close with one client (Runtime's operator client, as the CLI), three ways: the shared token
/// and no device; a signed device (paired silently on loopback by the first connect, so each measured connect
/// verifies the Ed25519 signature and looks the pairing up); and the device token alone (no shared secret: the
/// token is checked against the store). The client's own signing is in the numbers, so compare them with each other.
struct DeviceHandshakes {
    let gateway: GatewayProcess
    let report: Report
    let count: Int

    func run() async throws {
        let identity = DeviceIdentity()
        let plain = options(token: gateway.token, identity: nil)
        let signed = options(token: gateway.token, identity: identity)
        // The first signed connect pairs the device and hands out its token.
        let first = try await GatewayClient.connect(signed)
        guard let deviceToken = first.hello.auth?.deviceToken else { throw BenchError("a signed loopback connect got no device token") }
        await first.close()
        var tokenOnly = options(token: nil, identity: identity)
        tokenOnly.deviceToken = deviceToken

        for (key, label, options) in [
            ("handshake_client_plain", "shared token, no device", plain),
            ("handshake_client_signed", "signed device + shared token", signed),
            ("handshake_client_device_token", "signed device + device token only", tokenOnly),
        ] {
            let samples = try await measure(options)
            let percentiles = Percentiles(samples)
            report.recordMs("\(key)_p50_ms", percentiles(50), label: "handshake, \(label), p50 (\(count) sequential, GatewayClient)")
            report.recordMs("\(key)_p99_ms", percentiles(99), label: "handshake, \(label), p99")
        }
    }

    private func options(token: String?, identity: DeviceIdentity?) -> GatewayClientOptions {
        var options = GatewayClientOptions(url: gateway.url, token: token, identity: identity)
        // The CLI's identity: a local backend client with the shared secret skips pairing (upstream), a CLI does not.
        options.clientId = .cli
        options.clientMode = .cli
        options.scopes = ["operator.read"]
        return options
    }

    private func measure(_ options: GatewayClientOptions) async throws -> [Duration] {
        let warmUp = 10
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        for index in 0..<(warmUp + count) {
            let started = ContinuousClock.now
            let client = try await GatewayClient.connect(options)
            let elapsed = ContinuousClock.now - started
            await client.close()
            if index >= warmUp { samples.append(elapsed) }
        }
        return samples
    }
}
