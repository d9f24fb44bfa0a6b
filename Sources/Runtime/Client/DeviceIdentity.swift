// Sources/Runtime/Client/DeviceIdentity.swift - the CLI's own Ed25519 device identity, kept in the state dir

import Crypto
import Foundation
import Generated

/// An Ed25519 key pair that identifies this installation to gateways (`<stateDir>/identity/device.json`).
public struct DeviceIdentity: Sendable {
    /// The raw 32-byte private key (kept as bytes: Crypto's key type is not `Sendable`).
    private let rawPrivateKey: Data

    public init(privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.rawPrivateKey = privateKey.rawRepresentation
    }

    public var privateKey: Curve25519.Signing.PrivateKey {
        // The bytes came from a valid key, so this cannot fail.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey)
    }

    /// Lowercase hex SHA-256 of the raw public key.
    public var deviceId: String { DeviceID.derive(publicKey: privateKey.publicKey.rawRepresentation) }
    public var publicKey: String { Base64URL.encode(privateKey.publicKey.rawRepresentation) }

    /// Signs the v3 payload for `params` with the challenge `nonce`.
    public func sign(_ params: ConnectParams, nonce: String, signedAt: Int = Int(Date().timeIntervalSince1970 * 1000)) throws -> ConnectDevice {
        var device = ConnectDevice(id: deviceId, publicKey: publicKey, signature: "", signedAt: signedAt, nonce: nonce)
        let payload = DevicePayload.v3(
            device: device, params: params, role: params.role ?? "operator", scopes: params.scopes ?? [], token: DevicePayload.signedToken(params.auth),
            nonce: nonce
        )
        device.signature = Base64URL.encode(try privateKey.signature(for: Data(payload.utf8)))
        return device
    }

    private struct Stored: Codable {
        var version: Int
        var deviceId: String
        var publicKey: String
        var privateKey: String
        var createdAtMs: Int
    }

    /// Loads the identity from `stateDir`, creating it (mode 0600) on first use.
    public static func loadOrCreate(stateDir: String) throws -> DeviceIdentity {
        let path = stateDir + "/identity/device.json"
        if let data = FileManager.default.contents(atPath: path), let stored = try? JSONDecoder().decode(Stored.self, from: data),
            let raw = Base64URL.decode(stored.privateKey), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        {
            return DeviceIdentity(privateKey: key)
        }
        let identity = DeviceIdentity()
        let stored = Stored(
            version: 1, deviceId: identity.deviceId, publicKey: identity.publicKey,
            privateKey: Base64URL.encode(identity.privateKey.rawRepresentation), createdAtMs: Int(Date().timeIntervalSince1970 * 1000)
        )
        try FileManager.default.createDirectory(atPath: stateDir + "/identity", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(stored).write(to: URL(fileURLWithPath: path), options: .atomic)
        chmod(path, 0o600)
        return identity
    }
}
