// Sources/Runtime/HTTP/HTTPCaller.swift - who sent an HTTP request, as far as the gateway may believe

import HTTPTypes
import Hummingbird
import NIOCore

/// The client of an HTTP request. `X-Forwarded-For` counts only when the socket peer is one of
/// `gateway.trustedProxies` (an IP or an IPv4/IPv6 CIDR); otherwise the peer itself is the client.
struct HTTPCaller: Sendable, Equatable {
    var ip: String
    /// A loopback peer that sent no forwarding headers ("local direct").
    var isDirectLoopback: Bool

    static func resolve(_ request: Request, context: GatewayRequestContext, trustedProxies: [String]) -> HTTPCaller {
        let peer = PeerAddress.from(context.remoteAddress, forwarded: ForwardingHeaders.present(in: request.headers))
        guard !trustedProxies.isEmpty, trustedProxies.contains(where: { Self.matches(peer.ip, $0) }),
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]
        else {
            return HTTPCaller(ip: peer.ip, isDirectLoopback: peer.isDirectLoopback)
        }
        // The right-most address not itself a trusted proxy is the client.
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let client = hops.reversed().first { hop in !trustedProxies.contains { Self.matches(hop, $0) } } ?? hops.first ?? peer.ip
        return HTTPCaller(ip: client, isDirectLoopback: false)
    }

    /// `ip` equals `rule`, or lies in the CIDR `rule`.
    static func matches(_ ip: String, _ rule: String) -> Bool {
        let ip = ip.hasPrefix("::ffff:") ? String(ip.dropFirst(7)) : ip
        guard let slash = rule.firstIndex(of: "/") else { return ip == rule }
        guard let bits = Int(rule[rule.index(after: slash)...]), let network = bytes(String(rule[..<slash])), let address = bytes(ip),
            network.count == address.count, bits >= 0, bits <= network.count * 8
        else { return false }
        for index in 0..<network.count {
            let remaining = bits - index * 8
            if remaining <= 0 { break }
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if network[index] & mask != address[index] & mask { return false }
        }
        return true
    }

    private static func bytes(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr.s_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: return nil
        }
    }
}
