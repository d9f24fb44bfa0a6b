// Tests/CLITests/Support/LANAddress.swift - this machine's non-loopback IPv4 address, to reach a gateway as a remote peer

import Foundation
import Testing

/// The first up, non-loopback IPv4 address (as Tests/Conformance/Devices finds it): a browser or client that
/// connects to it is a remote peer to the gateway, while no traffic leaves the host. Nil on a loopback-only machine.
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

    static var isAvailable: Bool { ipv4 != nil }
    static let required = ConditionTrait.enabled(if: ipv4 != nil, "this machine has no non-loopback IPv4 address to connect from as a remote peer")
}
