// Tests/CLITests/Support/LANAddress.swift - this machine's non-loopback IPv4 address, to reach a gateway as a remote peer

import Foundation
import Runtime
import Testing

/// This machine's primary non-loopback IPv4 address (Runtime's HostFacts, as Tests/Conformance/Devices finds it): a
/// browser or client that connects to it is a remote peer to the gateway, while no traffic leaves the host. Nil on a
/// loopback-only machine.
enum LANAddress {
    static let ipv4: String? = HostFacts.primaryLANIPv4

    static var isAvailable: Bool { ipv4 != nil }
    static let required = ConditionTrait.enabled(if: ipv4 != nil, "this machine has no non-loopback IPv4 address to connect from as a remote peer")
}
