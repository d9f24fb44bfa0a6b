// Sources/Runtime/Client/DeviceAuthStore.swift - the CLI's device tokens, kept beside its identity

import Foundation

/// `<stateDir>/identity/device-auth.json` in upstream's shape (reference/pairing.md §3):
/// `{version: 1, deviceId, tokens: {<role>: {token, role, scopes, updatedAtMs}}}`.
///
/// A gateway hands a device token out in `hello-ok.auth.deviceToken` once the device is paired; the CLI keeps it
/// so a later connect can authenticate with it alone. Tokens stored for another device id (the identity was
/// replaced) are ignored. Writes go to a 0600 temporary file renamed over the old one, so the file is never
/// readable by others and a crash leaves either the old or the new content.
public struct DeviceAuthStore: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var token: String
        public var role: String
        public var scopes: [String]
        public var updatedAtMs: Int
    }

    private struct File: Codable {
        var version: Int
        var deviceId: String
        var tokens: [String: Entry]
    }

    public let path: String

    public init(stateDir: String) {
        self.path = stateDir + "/identity/device-auth.json"
    }

    /// The stored token for `role` of `deviceId`, or nil (missing, unreadable, or another device's file).
    public func token(deviceId: String, role: String) -> Entry? {
        guard let file = read(), file.deviceId == deviceId else { return nil }
        return file.tokens[role]
    }

    /// Stores `token` for `role`, keeping other roles (all of them dropped if the file was another device's).
    public func save(deviceId: String, role: String, token: String, scopes: [String]) throws {
        var file = read().flatMap { $0.deviceId == deviceId ? $0 : nil } ?? File(version: 1, deviceId: deviceId, tokens: [:])
        if file.tokens[role]?.token == token, file.tokens[role]?.scopes == scopes { return }
        file.tokens[role] = Entry(token: token, role: role, scopes: scopes, updatedAtMs: Int(Date().timeIntervalSince1970 * 1000))
        try write(file)
    }

    /// Forgets the token for `role` (after `AUTH_DEVICE_TOKEN_MISMATCH`: revoked, rotated or the device removed).
    /// - Returns: whether a token was removed.
    @discardableResult
    public func forget(deviceId: String, role: String) throws -> Bool {
        guard var file = read(), file.deviceId == deviceId, file.tokens[role] != nil else { return false }
        file.tokens[role] = nil
        try write(file)
        return true
    }

    private func read() -> File? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(File.self, from: data)
    }

    private func write(_ file: File) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let temporary = path + ".\(UUID().uuidString.lowercased()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: try encoder.encode(file), attributes: [.posixPermissions: 0o600]) else {
            throw ClientTargetError(message: "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ClientTargetError(message: "cannot replace \(path): \(String(cString: strerror(code)))")
        }
    }
}
