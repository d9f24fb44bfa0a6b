// Sources/Runtime/Support/HostFacts.swift - this machine's name, primary LAN address, OS release and architecture

import Foundation
import NIOCore

/// What the gateway says about the machine it runs on (its own presence entry, status output).
public enum HostFacts {
    static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// The first non-loopback IPv4 address, preferring the usual primary interfaces (eth0, en0), as upstream
    /// picks it; nil on a machine with loopback only.
    public static var primaryLANIPv4: String? {
        let candidates = interfaces.filter { !$0.ip.contains(":") }
        let preferred = ["eth0", "en0", "ens3", "ens4", "ens5", "enp0s3", "wlan0"]
        return preferred.lazy.compactMap { name in candidates.first { $0.name == name }?.ip }.first ?? candidates.first?.ip
    }

    /// Every address of every interface but loopback and IPv6 link-local, in the system's order.
    static var interfaceAddresses: [String] {
        interfaces.map(\.ip)
    }

    /// (interface name, address) for every interface address but loopback and IPv6 link-local.
    static var interfaces: [(name: String, ip: String)] {
        ((try? System.enumerateDevices()) ?? []).compactMap { device in
            guard let ip = device.address?.ipAddress, ip != "::1", !ip.hasPrefix("127."), !ip.lowercased().hasPrefix("fe80:") else { return nil }
            return (device.name, ip)
        }
    }

    /// `linux <kernel release>` / `macos <product version>`, upstream's platform string for its own host.
    static var platform: String {
        #if os(macOS)
        let version = ProcessInfo.processInfo.operatingSystemVersion
        return "macos \(version.majorVersion).\(version.minorVersion).\(version.patchVersion)"
        #else
        let release = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return "linux \(release ?? "unknown")"
        #endif
    }

    /// `Mac` / `Linux`.
    static var deviceFamily: String {
        #if os(macOS)
        "Mac"
        #else
        "Linux"
        #endif
    }

    /// The CPU architecture in Node's words (`x64`, `arm64`), which is what upstream reports.
    static var architecture: String {
        #if arch(x86_64)
        "x64"
        #elseif arch(arm64)
        "arm64"
        #elseif arch(arm)
        "arm"
        #elseif arch(i386)
        "ia32"
        #else
        "unknown"
        #endif
    }
}
