// Sources/Runtime/Client/GatewayClient+Target.swift - the CLI's connect: device token in, device token kept, pairing explained

import Foundation
import Generated

extension GatewayClient {
    /// Connects to a CLI target, signing with the installation's identity and sending its stored device token
    /// (`auth.deviceToken`) beside any shared secret: the gateway tries the shared secret first and the device token
    /// only when that fails (reference/pairing.md §2.2). The token in `hello-ok.auth.deviceToken` is stored;
    /// `AUTH_DEVICE_TOKEN_MISMATCH` forgets the stored one; `NOT_PAIRED` becomes `DevicePairingError.pairingRequired`,
    /// naming the command to run on the gateway host.
    /// - Parameter protocolVersion: Offer only this version (`gateway call --protocol`); nil offers every one.
    public static func connect(target: ClientTarget, timeoutMs: Int, protocolVersion: Int? = nil) async throws -> GatewayClient {
        var options = target.clientOptions(timeoutMs: timeoutMs)
        if let protocolVersion { options.protocolVersions = protocolVersion...protocolVersion }
        let store = target.deviceAuth
        let client: GatewayClient
        do {
            client = try await connect(options)
        } catch {
            throw explain(error, options: options, store: store)
        }
        if let identity = options.identity, let auth = client.hello.auth, let token = auth.deviceToken {
            // Best effort: a state dir that cannot be written must not fail the command.
            try? store.save(deviceId: identity.deviceId, role: auth.role, token: token, scopes: auth.scopes)
        }
        return client
    }

    /// A refusal about this device's pairing or token, as `DevicePairingError`; anything else unchanged.
    private static func explain(_ failure: GatewayClientError, options: GatewayClientOptions, store: DeviceAuthStore) -> any Error {
        guard case .rejected(let url, let error, _) = failure else { return failure }
        let detail = error.details?["code"]?.stringValue
        if detail == ErrorDetailCode.authDeviceTokenMismatch.rawValue, let identity = options.identity, options.deviceToken != nil {
            _ = try? store.forget(deviceId: identity.deviceId, role: options.role)
            return DevicePairingError.deviceTokenRejected(
                url: url, deviceId: identity.deviceId, path: store.path, sharedSecretSent: options.token != nil || options.password != nil
            )
        }
        if error.code == .notPaired || detail == ErrorDetailCode.pairingRequired.rawValue {
            return DevicePairingError.pairingRequired(
                url: url, deviceId: options.identity?.deviceId, requestId: error.details?["requestId"]?.stringValue,
                reason: error.details?["reason"]?.stringValue
            )
        }
        return failure
    }
}

/// A connect refused because of this device's pairing, with what to do about it.
public enum DevicePairingError: Error, Sendable, CustomStringConvertible {
    /// The gateway filed (or refreshed) a pairing request: an operator must approve it on the gateway host.
    case pairingRequired(url: String, deviceId: String?, requestId: String?, reason: String?)
    /// The stored device token was refused (revoked, rotated or the device removed); it has been forgotten. The gateway
    /// checks a device token only after the shared secret failed, so a secret that was sent was wrong too.
    case deviceTokenRejected(url: String, deviceId: String, path: String, sharedSecretSent: Bool)

    public var description: String {
        switch self {
        case .pairingRequired(let url, let deviceId, let requestId, let reason):
            let device = deviceId.map { "this device (\($0))" } ?? "this device"
            let why = reason.map { " (\($0))" } ?? ""
            guard let requestId else {
                return
                    "pairing required: the gateway at \(url) has not approved \(device)\(why). On the gateway host run: openclaw devices list, then openclaw devices approve <requestId>"
            }
            return "pairing required: the gateway at \(url) has not approved \(device)\(why); request id: \(requestId)\n"
                + "On the gateway host run: openclaw devices approve \(requestId)"
        case .deviceTokenRejected(let url, let deviceId, let path, let sharedSecretSent):
            let shared = sharedSecretSent ? " The token or password sent with it was not accepted either." : ""
            return "gateway at \(url) rejected this device's token (AUTH_DEVICE_TOKEN_MISMATCH: revoked, rotated or removed); forgot it in \(path).\(shared)\n"
                + "Pairing is required again for device \(deviceId): connect with the gateway's token or password to file a request, then run openclaw devices approve <requestId> on the gateway host."
        }
    }
}
