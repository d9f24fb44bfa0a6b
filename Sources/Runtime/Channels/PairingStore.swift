// Sources/Runtime/Channels/PairingStore.swift - DM pairing requests and approved senders, as files in the state dir

import Foundation
import Synchronization

/// Upstream's layout under `<stateDir>/credentials/`: `<channel>-pairing.json` holds pending requests
/// (8-character codes without `0O1I`, valid for an hour, at most 3 pending per channel) and
/// `<channel>-allowFrom.json` the approved sender ids. The gateway reads the files on every check,
/// so `openclaw pairing approve` edits them directly and works whether or not the gateway runs.
/// Writes replace the file atomically (temp file + rename).
public struct PairingStore: Sendable {
    public struct Request: Codable, Sendable, Equatable {
        public var id: String
        public var code: String
        public var createdAt: String
        public var lastSeenAt: String
        public var meta: [String: String]?
    }

    struct RequestsFile: Codable {
        var version = 1
        var requests: [Request] = []
    }

    struct AllowFile: Codable {
        var version = 1
        var allowFrom: [String] = []
    }

    public static let codeAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    public static let ttl: TimeInterval = 3600
    public static let maxPending = 3

    public let directory: String
    /// Serialises this process's read-modify-write cycles.
    private static let lock = Mutex(())

    public init(stateDir: String) {
        directory = (stateDir as NSString).appendingPathComponent("credentials")
    }

    /// Approved sender ids for the channel.
    public func approved(channel: String) -> [String] {
        (read(AllowFile.self, path: allowPath(channel)) ?? AllowFile()).allowFrom
    }

    /// Pending, unexpired requests for the channel.
    public func pending(channel: String, now: Date = Date()) -> [Request] {
        live((read(RequestsFile.self, path: requestsPath(channel)) ?? RequestsFile()).requests, now: now)
    }

    /// The sender's pending code, creating a request when there is none. `created` says whether the
    /// code is new (only then is the pairing message sent); nil when the channel already has the
    /// maximum of pending requests.
    public func request(channel: String, senderId: String, meta: [String: String] = [:], now: Date = Date()) -> (code: String, created: Bool)? {
        Self.lock.withLock { _ in
            var file = read(RequestsFile.self, path: requestsPath(channel)) ?? RequestsFile()
            file.requests = live(file.requests, now: now)
            let stamp = ISO8601DateFormatter().string(from: now)
            if let index = file.requests.firstIndex(where: { $0.id == senderId }) {
                file.requests[index].lastSeenAt = stamp
                try? write(file, path: requestsPath(channel))
                return (file.requests[index].code, false)
            }
            guard file.requests.count < Self.maxPending else { return nil }
            let taken = Set(file.requests.map(\.code))
            var code = Self.newCode()
            while taken.contains(code) { code = Self.newCode() }
            file.requests.append(Request(id: senderId, code: code, createdAt: stamp, lastSeenAt: stamp, meta: meta.isEmpty ? nil : meta))
            try? write(file, path: requestsPath(channel))
            return (code, true)
        }
    }

    /// Approves the pending request with `code`: its sender joins the allowlist and the request goes.
    /// - Returns: the approved request, nil when no live request has that code.
    public func approve(channel: String, code: String, now: Date = Date()) throws -> Request? {
        try Self.lock.withLock { _ in
            var file = read(RequestsFile.self, path: requestsPath(channel)) ?? RequestsFile()
            file.requests = live(file.requests, now: now)
            guard let index = file.requests.firstIndex(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) else { return nil }
            let request = file.requests.remove(at: index)
            var allow = read(AllowFile.self, path: allowPath(channel)) ?? AllowFile()
            if !allow.allowFrom.contains(request.id) { allow.allowFrom.append(request.id) }
            try write(allow, path: allowPath(channel))
            try write(file, path: requestsPath(channel))
            return request
        }
    }

    /// Channels with a pairing file, for `openclaw pairing list` without a channel.
    public func channelsWithRequests() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix("-pairing.json") }.map { String($0.dropLast("-pairing.json".count)) }.sorted()
    }

    static func newCode() -> String {
        String((0..<8).map { _ in codeAlphabet.randomElement()! })
    }

    private func live(_ requests: [Request], now: Date) -> [Request] {
        let formatter = ISO8601DateFormatter()
        return requests.filter { request in
            guard let created = formatter.date(from: request.createdAt) else { return false }
            return now.timeIntervalSince(created) < Self.ttl
        }
    }

    private func requestsPath(_ channel: String) -> String { (directory as NSString).appendingPathComponent("\(Self.safe(channel))-pairing.json") }
    private func allowPath(_ channel: String) -> String { (directory as NSString).appendingPathComponent("\(Self.safe(channel))-allowFrom.json") }

    private static func safe(_ channel: String) -> String {
        String(channel.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    private func read<T: Decodable>(_ type: T.Type, path: String) -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    private func write<T: Encodable>(_ value: T, path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(value)
        let temp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        if rename(temp, path) != 0 { throw CocoaError(.fileWriteUnknown) }
    }
}
