// Sources/TestUpstream/UnusedPort.swift - a loopback port for a server a test starts later

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A port nothing listens on now, for a process the test starts and points at it.
///
/// Why not "bind port 0 and read what the kernel gave": that port comes from the ephemeral range,
/// which the kernel also hands to every outgoing connection and every other port-0 server, so in
/// a busy test run another socket can take it before the server binds it. This picks at random
/// below the ephemeral range (32768–60999 on Linux), where the kernel never assigns on its own,
/// and checks that IPv4 and IPv6 loopback are both free.
public enum UnusedPort {
    public static let range = 20_000..<32_000

    public static func next() -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: range)
            if isFree(port) { return port }
        }
        return 0
    }

    /// Binding to 127.0.0.1 and [::1] works right now.
    public static func isFree(_ port: Int) -> Bool {
        canBind(family: AF_INET, port: port) && canBind(family: AF_INET6, port: port)
    }

    private static func canBind(family: Int32, port: Int) -> Bool {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return family == AF_INET6 }  // no IPv6 here: nothing can hold it either
        defer { close(fd) }
        if family == AF_INET {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(UInt16(port).bigEndian)
        address.sin6_addr = in6addr_loopback
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        // No IPv6 loopback configured: only IPv4 matters.
        return result == 0 || errno == EADDRNOTAVAIL
    }
}
