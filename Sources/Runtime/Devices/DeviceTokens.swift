// Sources/Runtime/Devices/DeviceTokens.swift - minting and comparing device tokens

import Crypto
import Foundation

/// Device tokens are bearer secrets bound to one device and role (reference/pairing.md §2.1).
enum DeviceTokens {
    /// 32 random bytes from the system CSPRNG, base64url without padding (43 characters).
    static func mint() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(Data(bytes))
    }

    /// Compares in time that does not depend on where (or whether) the two differ.
    static func matches(_ presented: String, _ stored: String) -> Bool {
        SharedSecretAuth.constantTimeEquals(presented, stored)
    }
}
