// Tests/RuntimeTests/BindHostsTests.swift - bind modes → listen addresses, the tailnet pick

import Testing

@testable import Runtime

@Suite("Bind hosts")
struct BindHostsTests {
    @Test func tailnetPicksTheFirstCGNATAddressThenTheTailscaleULA() {
        let interfaces: [(name: String, ip: String)] = [
            ("eth0", "192.168.1.20"), ("eth0", "100.63.255.1"), ("tailscale0", "fd7a:115c:a1e0::1"),
            ("tailscale0", "100.101.102.103"), ("wg0", "100.64.0.9"),
        ]
        #expect(BindHosts.tailnetAddress(in: interfaces) == "100.101.102.103", "100.63.x is outside 100.64.0.0/10")
        #expect(BindHosts.tailnetAddress(in: [("tailscale0", "fd7a:115c:a1e0::1"), ("eth0", "10.0.0.2")]) == "fd7a:115c:a1e0::1")
        #expect(BindHosts.tailnetAddress(in: [("eth0", "100.128.0.1"), ("eth0", "fd7a:115d::1")]) == nil)
        #expect(BindHosts.resolve(mode: "tailnet", customHost: nil, port: 1, interfaces: interfaces) == ["100.101.102.103"])
        #expect(BindHosts.resolve(mode: "tailnet", customHost: nil, port: 1, interfaces: [("eth0", "10.0.0.2")]) == ["127.0.0.1"])
    }
}
