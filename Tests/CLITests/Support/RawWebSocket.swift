// Tests/CLITests/Support/RawWebSocket.swift - a blocking WebSocket client on a plain socket, headers exactly as given

import Foundation

/// Just enough WebSocket to send one handshake with chosen headers (swift-websocket always adds its own
/// `Origin`) and read text and close frames. Server frames are unmasked; ours are masked.
final class RawWebSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []

    enum Message: Equatable {
        case text(String)
        case close(code: Int, reason: String)
    }

    /// Connects to 127.0.0.1:`port` and upgrades `/` with `headers` (no `Origin` unless given).
    init(port: Int, headers: [String: String]) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CDPError("connect to \(port) failed") }
        var request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try write(Array((request + "\r\n").utf8))
        while !buffer.starts(with: Array("HTTP/1.1 101".utf8)) || buffer.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            if buffer.count >= 12 && !buffer.starts(with: Array("HTTP/1.1 101".utf8)) {
                throw CDPError("no upgrade: \(String(decoding: buffer, as: UTF8.self))")
            }
            try fill()
        }
        buffer.removeSubrange(..<buffer.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound)
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        }
        let mask: [UInt8] = [1, 2, 3, 4]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    /// The next text or close frame (pings and other frames are skipped).
    func next() throws -> Message {
        while true {
            try need(2)
            let opcode = buffer[0] & 0x0f
            var length = Int(buffer[1] & 0x7f)
            var header = 2
            if length == 126 {
                try need(4)
                length = Int(buffer[2]) << 8 | Int(buffer[3])
                header = 4
            } else if length == 127 {
                try need(10)
                length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
                header = 10
            }
            try need(header + length)
            let payload = Array(buffer[header..<header + length])
            buffer.removeSubrange(..<(header + length))
            switch opcode {
            case 0x1: return .text(String(decoding: payload, as: UTF8.self))
            case 0x8:
                let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005
                return .close(code: code, reason: String(decoding: payload.dropFirst(2), as: UTF8.self))
            default: continue
            }
        }
    }

    private func need(_ count: Int) throws {
        while buffer.count < count { try fill() }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { throw CDPError("socket closed while reading") }
        buffer += chunk.prefix(count)
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBufferPointer { Foundation.send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw CDPError("socket write failed") }
            sent += count
        }
    }
}
