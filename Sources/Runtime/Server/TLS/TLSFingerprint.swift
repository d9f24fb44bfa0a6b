// Sources/Runtime/Server/TLS/TLSFingerprint.swift - SHA-256 certificate fingerprints, written and compared as upstream

import Crypto
import Foundation
import NIOSSL

/// A certificate's SHA-256 over its DER bytes. Upstream normalises a pin by dropping a `sha256:` prefix and every
/// non-hex character and lowercasing, so `AB:CD:…`, `sha256:abcd…` and `abcd…` are the same pin.
public enum TLSFingerprint {
    public static func hex(of certificate: NIOSSLCertificate) -> String {
        let der = (try? certificate.toDERBytes()) ?? []
        return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    /// `AB:CD:…`, as the gateway logs it.
    public static func display(of certificate: NIOSSLCertificate) -> String {
        var pairs: [String] = []
        var hex = Substring(hex(of: certificate).uppercased())
        while !hex.isEmpty {
            pairs.append(String(hex.prefix(2)))
            hex = hex.dropFirst(2)
        }
        return pairs.joined(separator: ":")
    }

    public static func normalize(_ pin: String) -> String {
        var text = pin.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("sha256:") { text.removeFirst("sha256:".count) }
        return String(text.filter(\.isHexDigit))
    }
}
