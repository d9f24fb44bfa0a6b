// Sources/Runtime/Auth/DeviceIdentityVerifier.swift - Ed25519 device signatures over the v3 / v2 payloads

import Crypto
import Foundation
import Generated

/// A device check that failed: upstream's message, `details.reason` and detail code.
struct DeviceAuthFailure: Error, Equatable {
    var message: String
    var reason: String
    var code: ErrorDetailCode

    static let idMismatch = DeviceAuthFailure(message: "device identity mismatch", reason: "device-id-mismatch", code: .deviceAuthDeviceIdMismatch)
    static let expired = DeviceAuthFailure(message: "device signature expired", reason: "device-signature-stale", code: .deviceAuthSignatureExpired)
    static let nonceRequired = DeviceAuthFailure(message: "device nonce required", reason: "device-nonce-missing", code: .deviceAuthNonceRequired)
    static let nonceMismatch = DeviceAuthFailure(message: "device nonce mismatch", reason: "device-nonce-mismatch", code: .deviceAuthNonceMismatch)
    static let signatureInvalid = DeviceAuthFailure(message: "device signature invalid", reason: "device-signature", code: .deviceAuthSignatureInvalid)
    static let publicKeyInvalid = DeviceAuthFailure(message: "device public key invalid", reason: "device-public-key", code: .deviceAuthPublicKeyInvalid)
}

/// Verifies a `connect.device` block against the challenge, in upstream's order of checks.
struct DeviceIdentityVerifier {
    let nonce: String
    let skewMs: Int

    func verify(_ device: ConnectDevice, params: ConnectParams, role: String, scopes: [String], now: UInt64 = Clock.nowMs) throws(DeviceAuthFailure) {
        guard let rawKey = Base64URL.decode(device.publicKey) else { throw .idMismatch }
        guard DeviceID.derive(publicKey: rawKey) == device.id else { throw .idMismatch }
        guard abs(Int(now) - device.signedAt) <= skewMs else { throw .expired }
        guard let sent = device.nonce?.trimmingCharacters(in: .whitespaces), !sent.isEmpty else { throw .nonceRequired }
        guard sent == nonce else { throw .nonceMismatch }
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey) else { throw .publicKeyInvalid }
        guard let signature = Base64URL.decode(device.signature) else { throw .signatureInvalid }
        let token = DevicePayload.signedToken(params.auth)
        let payloads = [
            DevicePayload.v3(device: device, params: params, role: role, scopes: scopes, token: token, nonce: sent),
            DevicePayload.v2(device: device, params: params, role: role, scopes: scopes, token: token, nonce: sent),
        ]
        guard payloads.contains(where: { key.isValidSignature(signature, for: Data($0.utf8)) }) else { throw .signatureInvalid }
    }
}

/// The strings a device signs.
public enum DevicePayload {
    /// The `token` field of the payload: the token actually sent (`auth.token`, else `auth.deviceToken`), or empty.
    public static func signedToken(_ auth: ConnectAuth?) -> String {
        auth?.token ?? auth?.deviceToken ?? ""
    }

    /// `v2|deviceId|clientId|clientMode|role|scopesCSV|signedAtMs|token|nonce`
    public static func v2(device: ConnectDevice, params: ConnectParams, role: String, scopes: [String], token: String, nonce: String) -> String {
        [
            "v2", device.id, params.client.id.rawValue, params.client.mode.rawValue, role, scopes.joined(separator: ","),
            String(device.signedAt), token, nonce,
        ].joined(separator: "|")
    }

    /// The v2 payload followed by `|platform|deviceFamily`, each trimmed with A–Z lowercased.
    public static func v3(device: ConnectDevice, params: ConnectParams, role: String, scopes: [String], token: String, nonce: String) -> String {
        let v2Fields = v2(device: device, params: params, role: role, scopes: scopes, token: token, nonce: nonce).dropFirst(2)
        return "v3" + v2Fields + "|" + normalize(params.client.platform) + "|" + normalize(params.client.deviceFamily)
    }

    static func normalize(_ value: String?) -> String {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return "" }
        return String(String.UnicodeScalarView(trimmed.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }
}

/// Device ids: lowercase hex SHA-256 of the raw public key.
public enum DeviceID {
    public static func derive(publicKey: Data) -> String {
        SHA256.hash(data: publicKey).map { String(format: "%02x", $0) }.joined()
    }
}

/// Unpadded base64url, as device keys and signatures use.
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
