// Tests/RuntimeTests/DiagnosticsTests.swift - unit file reading, unknown-key stripping, listening addresses

import Foundation
import Generated
import Testing

@testable import Runtime

@Suite("Diagnostics")
struct DiagnosticsTests {
    @Test func unitFilesAreReadBackWithQuotingAndOnlySafeKeysShown() {
        let unit = ServiceUnitFile.parse(
            """
            [Unit]
            Description=OpenClaw Gateway
            Environment=IGNORED=outside-service

            [Service]
            ExecStart="/opt/my apps/openclaw" gateway --port 19001
            WorkingDirectory=/home/me/.openclaw-dev
            # a comment
            Environment=OPENCLAW_PROFILE=dev "OPENCLAW_STATE_DIR=/home/me/state dir"
            Environment=OPENCLAW_GATEWAY_TOKEN=secret
            """, path: "/u"
        )
        #expect(unit.programArguments == ["/opt/my apps/openclaw", "gateway", "--port", "19001"])
        #expect(unit.pinnedPort == 19001)
        #expect(unit.workingDirectory == "/home/me/.openclaw-dev")
        #expect(unit.environment == ["OPENCLAW_PROFILE": "dev", "OPENCLAW_STATE_DIR": "/home/me/state dir", "OPENCLAW_GATEWAY_TOKEN": "secret"])
        #expect(unit.safeEnvironment["OPENCLAW_GATEWAY_TOKEN"] == nil)
        #expect(unit.safeEnvironment.count == 2)
    }

    @Test func unitNamesFollowTheProfile() {
        #expect(ServiceUnitFile.unitName(profile: nil) == "openclaw-gateway.service")
        #expect(ServiceUnitFile.unitName(profile: "Default") == "openclaw-gateway.service")
        #expect(ServiceUnitFile.unitName(profile: "work") == "openclaw-gateway-work.service")
        #expect(ServiceUnitFile.userUnitPath(environment: ["HOME": "/h", "OPENCLAW_PROFILE": "dev"]) == "/h/.config/systemd/user/openclaw-gateway-dev.service")
    }

    @Test func serviceConfigPathComesFromTheUnitEnvironment() {
        let local = LocalResolution(environment: ["HOME": "/nonexistent-home", "OPENCLAW_CONFIG_PATH": "/nonexistent-home/a.json"])
        let explicit = ServiceUnitFile(path: "/u", programArguments: [], workingDirectory: nil, environment: ["OPENCLAW_CONFIG_PATH": "/x/openclaw.json"])
        #expect(local.serviceConfigPath(explicit) == "/x/openclaw.json")
        let stateOnly = ServiceUnitFile(path: "/u", programArguments: [], workingDirectory: nil, environment: ["OPENCLAW_STATE_DIR": "/s"])
        #expect(local.serviceConfigPath(stateOnly) == "/s/openclaw.json")
        let bare = ServiceUnitFile(path: "/u", programArguments: [], workingDirectory: nil, environment: [:])
        #expect(local.serviceConfigPath(bare) == "/nonexistent-home/.openclaw/openclaw.json")
    }

    @Test func unknownKeysAreStrippedAtEveryDepthAndOtherIssuesRemain() throws {
        let loader = ConfigLoader(environment: [:])
        var raw = try #require(Doctor.parseRaw(Data(#"{gateway: {mode: "local", bogus: 1, auth: {nope: 2}}, extra: true}"#.utf8)))
        let (removed, remaining) = Doctor.stripUnknownKeys(&raw, loader: loader, path: "/c")
        #expect(Set(removed) == ["gateway.bogus", "gateway.auth.nope", "extra"])
        #expect(remaining.isEmpty)
        #expect(raw == ["gateway": ["mode": "local", "auth": .object([:])]])

        var typed = try #require(Doctor.parseRaw(Data(#"{gateway: {port: "x", bogus: 1}}"#.utf8)))
        let (_, left) = Doctor.stripUnknownKeys(&typed, loader: loader, path: "/c")
        #expect(!left.isEmpty)
        #expect(Doctor.unknownKey(in: "<root>: unexpected property 'gatway'")! == ("<root>", "gatway"))
    }

    @Test func listeningAddressesIncludeABoundLoopbackSocket() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(listen(fd, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        #expect(ProcessTable.listeningAddresses(port: port) == ["127.0.0.1:\(port)"])
        #expect(ProcessTable.listeners(port: port).contains(getpid()))
    }
}
