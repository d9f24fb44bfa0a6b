// Sources/Runtime/Client/ClientTLSPin.swift - which certificate the CLI expects from a wss:// gateway

import Foundation
import Generated
import NIOSSL

/// Upstream's pin order: an explicit option, else `gateway.remote.tlsFingerprint` (remote mode, not with `--url`),
/// else the fingerprint of this machine's own gateway certificate (a local gateway with `gateway.tls.enabled`).
enum ClientTLSPin {
    /// `wss` when the local gateway serves TLS, else `ws`.
    static func localScheme(_ config: OpenClawConfig) -> String {
        config.gateway?.tls?.enabled == true ? "wss" : "ws"
    }

    static func resolve(explicit: String?, config: OpenClawConfig, remote: Bool, explicitURL: Bool, paths: StatePaths, home: String) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if remote, !explicitURL, let pin = config.gateway?.remote?.tlsFingerprint, !pin.isEmpty { return pin }
        return localCertificate(config: config, paths: paths, home: home)
    }

    /// SHA-256 of the local gateway's certificate, when TLS is on and the file exists.
    static func localCertificate(config: OpenClawConfig, paths: StatePaths, home: String) -> String? {
        guard config.gateway?.tls?.enabled == true else { return nil }
        let path =
            config.gateway?.tls?.certPath.map { StatePaths.expand($0, home: home) }
            ?? GatewayTLSIdentity.defaultPaths(stateDir: paths.stateDir).cert
        guard let certificate = try? NIOSSLCertificate.fromPEMFile(path).first else { return nil }
        return TLSFingerprint.hex(of: certificate)
    }
}
