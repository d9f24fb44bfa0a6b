// Tests/CLITests/Support/LANAddress.swift - this machine's non-loopback IPv4, to reach a gateway as a remote peer

import Foundation
import Testing

/// Connecting to this machine's own LAN address makes a gateway bound `lan` see a remote peer, with no traffic
/// leaving the host. Nil on a loopback-only machine (same lookup as the Conformance suites' `LocalAddress`).
enum LANAddress {
    static let ipv4: String? = {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return nil }
        defer { freeifaddrs(head) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let flags = Int32(entry.pointee.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            return String(cString: host)
        }
        return nil
    }()

    static let required = ConditionTrait.enabled(if: ipv4 != nil, "this machine has no non-loopback IPv4 address to connect from as a remote peer")
}
