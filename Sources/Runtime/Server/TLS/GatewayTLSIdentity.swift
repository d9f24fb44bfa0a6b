// Sources/Runtime/Server/TLS/GatewayTLSIdentity.swift - the certificate and key the gateway serves TLS with

import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The gateway's TLS identity: `gateway.tls.certPath`/`keyPath` (default `<stateDir>/gateway/tls/gateway-{cert,key}.pem`),
/// made once in-process as a self-signed ECDSA P-256 certificate when both are missing and `autoGenerate` is on
/// (upstream shells out to openssl; swift-certificates does it here). Clients pin it by `fingerprint`.
struct GatewayTLSIdentity: Sendable {
    let certificateChain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey
    let certPath: String
    let keyPath: String
    /// Whether this start wrote the files.
    let generated: Bool

    /// SHA-256 of the leaf certificate's DER, as `AB:CD:…` (what `gateway.remote.tlsFingerprint` pins).
    var fingerprint: String { TLSFingerprint.display(of: certificateChain[0]) }

    /// TLS 1.2 or newer, as upstream.
    var serverConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    static func defaultPaths(stateDir: String) -> (cert: String, key: String) {
        let directory = stateDir + "/gateway/tls"
        return (directory + "/gateway-cert.pem", directory + "/gateway-key.pem")
    }

    /// Loads the configured pair, generating it first when both files are missing and `autoGenerate` allows.
    /// `home` expands `~` in configured paths.
    static func load(
        certPath: String?, keyPath: String?, caPath: String? = nil, autoGenerate: Bool, stateDir: String, home: String
    ) throws(TLSIdentityError) -> GatewayTLSIdentity {
        let defaults = defaultPaths(stateDir: stateDir)
        let certPath = certPath.map { StatePaths.expand($0, home: home) } ?? defaults.cert
        let keyPath = keyPath.map { StatePaths.expand($0, home: home) } ?? defaults.key
        let files = FileManager.default
        var generated = false
        if !files.fileExists(atPath: certPath) && !files.fileExists(atPath: keyPath) {
            guard autoGenerate else {
                throw TLSIdentityError(
                    "gateway.tls is enabled but \(certPath) and \(keyPath) do not exist (set gateway.tls.certPath/keyPath, or gateway.tls.autoGenerate: true)")
            }
            do {
                try SelfSignedCertificate.write(certPath: certPath, keyPath: keyPath, hosts: SelfSignedCertificate.localNames())
            } catch {
                throw TLSIdentityError("could not create a self-signed TLS certificate at \(certPath): \(error)")
            }
            generated = true
        }
        do {
            var chain = try NIOSSLCertificate.fromPEMFile(certPath)
            guard !chain.isEmpty else { throw TLSIdentityError("\(certPath) holds no PEM certificate") }
            if let caPath { chain += try NIOSSLCertificate.fromPEMFile(StatePaths.expand(caPath, home: home)) }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            return GatewayTLSIdentity(certificateChain: chain, privateKey: key, certPath: certPath, keyPath: keyPath, generated: generated)
        } catch let error as TLSIdentityError {
            throw error
        } catch {
            throw TLSIdentityError("could not load the TLS certificate \(certPath) / key \(keyPath): \(error)")
        }
    }
}

/// Why the gateway cannot serve TLS; start-up refuses with it.
struct TLSIdentityError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A self-signed server certificate for this machine's names, valid ten years (upstream's `-days 3650`).
enum SelfSignedCertificate {
    /// `localhost`, the host name, loopback and every interface address: what a client may dial.
    static func localNames() -> [String] {
        var names = ["localhost", HostFacts.hostname, "127.0.0.1", "::1"]
        names += HostFacts.interfaceAddresses
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    static func write(certPath: String, keyPath: String, hosts: [String], now: Date = Date()) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("openclaw-gateway") }
        let alternativeNames = hosts.map { host -> GeneralName in
            if let bytes = IPAddressBytes.parse(host) { return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))) }
            return .dnsName(host)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(3650 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                KeyUsage(digitalSignature: true, keyCertSign: true)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: .init(key)
        )
        let directory = (certPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // New files are 0600 (ConfigWriter.writeAtomically): the key must be; the certificate may as well be.
        try ConfigWriter.writeAtomically(Data(key.pemRepresentation.utf8), to: keyPath)
        try ConfigWriter.writeAtomically(Data(try certificate.serializeAsPEM().pemString.utf8), to: certPath)
    }
}

/// IPv4/IPv6 literals as address bytes (for certificate IP SANs).
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
