// Tests/Conformance/Channels/IRCServer.swift - a real IRC server (Debian's ngircd) on a loopback port

import Foundation
import Runtime
import Synchronization
import TestSupport
import TestUpstream
import Testing

/// An `ngircd` the test starts in the foreground (`-n`) with a generated config, and stops.
///
/// Readiness is ngircd's own "ready." log line, not a connect loop. `restart()` keeps the port so a
/// client can reconnect to the same address.
final class IRCServer: Sendable {
    static let executable = ["/usr/sbin/ngircd", "/usr/local/sbin/ngircd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Tests that need the server are skipped where it is not installed (.ci/run installs it).
    static var isAvailable: Bool { executable != nil }

    let port: Int
    /// The TLS port when started with `tls: true` (a self-signed certificate for 127.0.0.1).
    let tlsPort: Int?
    /// That certificate, PEM, for the client's trust roots.
    let certificatePEM: String?
    let directory: URL
    private let process: Mutex<SpawnedProcess?>

    private init(port: Int, tlsPort: Int?, certificatePEM: String?, directory: URL) {
        self.port = port
        self.tlsPort = tlsPort
        self.certificatePEM = certificatePEM
        self.directory = directory
        self.process = Mutex(nil)
    }

    /// Starts ngircd; `pingTimeout` is seconds of silence before it PINGs a client (ngircd's minimum is 5).
    static func start(pingTimeout: Int = 120, tls: Bool = false, maxNickLength: Int = 30) async throws -> IRCServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-ngircd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = tls ? try await makeCertificate(in: directory) : nil
        let server = IRCServer(port: try freePort(), tlsPort: tls ? try freePort() : nil, certificatePEM: certificate, directory: directory)
        let sslSection =
            server.tlsPort.map { port in
                "[SSL]\nCertFile = \(directory.path)/cert.pem\nKeyFile = \(directory.path)/key.pem\nPorts = \(port)\n"
            } ?? ""
        let config = """
            [Global]
            Name = irc.test.local
            Info = OpenClaw test server
            AdminInfo1 = OpenClaw tests
            AdminInfo2 = loopback
            AdminEMail = tests@example.invalid
            Listen = 127.0.0.1
            Ports = \(server.port)
            MotdPhrase = test server
            PidFile = \(directory.path)/ngircd.pid
            [Limits]
            MaxConnectionsIP = 0
            MaxNickLength = \(maxNickLength)
            PingTimeout = \(max(pingTimeout, 5))
            PongTimeout = 5
            [Options]
            PAM = no
            Ident = no
            DNS = no
            \(sslSection)
            """
        try config.write(to: directory.appendingPathComponent("ngircd.conf"), atomically: true, encoding: .utf8)
        try await server.launch()
        return server
    }

    /// Starts a server, runs `body`, and stops the server even when `body` throws.
    static func with<Result>(
        pingTimeout: Int = 120, tls: Bool = false, maxNickLength: Int = 30, _ body: (IRCServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(pingTimeout: pingTimeout, tls: tls, maxNickLength: maxNickLength)
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    private func launch() async throws {
        guard let executable = Self.executable else { throw IRCServerError(message: "ngircd is not installed") }
        let output = Pipe()
        let lines = PipeReader.lines(of: output.fileHandleForReading)
        let child = try await SpawnedProcess.start(
            executable, ["-n", "-f", directory.appendingPathComponent("ngircd.conf").path], output: .pipe(output), error: .pipe(output)
        )
        process.withLock { $0 = child }
        for await line in lines {
            if line.contains("ready") { return }
        }
        throw IRCServerError(message: "ngircd exited before it was ready")
    }

    /// Stops ngircd (SIGTERM: it says goodbye to its clients) and waits for it to exit.
    func stop() async {
        guard
            let child = process.withLock({ process in
                defer { process = nil }
                return process
            })
        else { return }
        await child.stop()
    }

    /// Stops the server and starts it again on the same port.
    func restart() async throws {
        await stop()
        try await launch()
    }

    /// Stops the server and removes its directory.
    func shutdown() async {
        await stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A throwaway self-signed certificate for 127.0.0.1 (readable by ngircd after it drops root).
    private static func makeCertificate(in directory: URL) async throws -> String {
        let openssl = await ProgramRun.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", directory.appendingPathComponent("key.pem").path, "-out", directory.appendingPathComponent("cert.pem").path,
            ])
        guard openssl?.status == 0 else { throw IRCServerError(message: "openssl could not make a certificate") }
        for name in ["key.pem", "cert.pem"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory.appendingPathComponent(name).path)
        }
        return try String(contentsOf: directory.appendingPathComponent("cert.pem"), encoding: .utf8)
    }

    /// A loopback port nobody listens on right now.
    private static func freePort() throws -> Int {
        let port = UnusedPort.next()
        guard port > 0 else { throw IRCServerError(message: "no free port") }
        return port
    }
}

struct IRCServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
