// Sources/Runtime/Server/BindHosts.swift - bind mode → listen addresses (reference/ops.md §3.1)

import Foundation
import NIOCore
import NIOPosix

/// Turns a bind mode into the addresses to listen on.
enum BindHosts {
    /// `loopback` is 127.0.0.1 plus ::1 when it can be bound (and the port is fixed); `lan` 0.0.0.0;
    /// `custom` the configured IPv4 or 0.0.0.0; `tailnet` the first tailnet address of `interfaces`, else
    /// 127.0.0.1 (start-up warns); `auto` is 0.0.0.0 inside a container, else 127.0.0.1.
    static func resolve(mode: String, customHost: String?, port: Int, interfaces: [(name: String, ip: String)] = HostFacts.interfaces) -> [String] {
        switch mode {
        case "lan": return ["0.0.0.0"]
        case "custom":
            if let host = customHost, isIPv4(host) { return [host] }
            return ["0.0.0.0"]
        case "auto": return isContainer ? ["0.0.0.0"] : ["127.0.0.1"]
        case "tailnet": return [tailnetAddress(in: interfaces) ?? "127.0.0.1"]
        default:
            return port != 0 && canBindIPv6Loopback ? ["127.0.0.1", "::1"] : ["127.0.0.1"]
        }
    }

    /// Upstream's tailnet pick: the first IPv4 in Tailscale's CGNAT range 100.64.0.0/10, else the first IPv6 in
    /// its ULA prefix fd7a:115c:a1e0::/48, in interface order.
    static func tailnetAddress(in interfaces: [(name: String, ip: String)]) -> String? {
        let ipv4 = interfaces.first { entry in
            let octets = entry.ip.split(separator: ".").compactMap { UInt8($0) }
            return octets.count == 4 && octets[0] == 100 && (64...127).contains(octets[1])
        }
        if let ipv4 { return ipv4.ip }
        return interfaces.first { $0.ip.lowercased().hasPrefix("fd7a:115c:a1e0:") }?.ip
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    static var isContainer: Bool {
        FileManager.default.fileExists(atPath: "/.dockerenv") || FileManager.default.fileExists(atPath: "/run/.containerenv")
    }

    /// Whether ::1 exists on this host (binding an ephemeral port there succeeds).
    static let canBindIPv6Loopback: Bool = {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        address.sin6_port = 0
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 }
        }
    }()
}
