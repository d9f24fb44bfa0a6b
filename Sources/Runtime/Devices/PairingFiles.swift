// Sources/Runtime/Devices/PairingFiles.swift - devices/pending.json and devices/paired.json on disk

import Foundation
import Generated

/// The two pairing files under `<stateDir>/devices/`, in upstream's shapes (`{requestId: request}` and
/// `{deviceId: device}`). Writes go through `ConfigWriter.writeAtomically` (a temporary file, fsynced, renamed over
/// the old one), so a crash leaves either the old or the new file; new files are mode 0600 because `paired.json`
/// holds raw tokens.
struct PairingFiles: Sendable {
    let directory: String

    init(stateDir: String) {
        self.directory = stateDir + "/devices"
    }

    var pendingPath: String { directory + "/pending.json" }
    var pairedPath: String { directory + "/paired.json" }

    func readPending() throws -> [String: DevicePairingRequest] { try read(pendingPath) }
    func readPaired() throws -> [String: PairedDevice] { try read(pairedPath) }

    func writePending(_ rows: [String: DevicePairingRequest]) throws { try write(rows, to: pendingPath) }
    func writePaired(_ rows: [String: PairedDevice]) throws { try write(rows, to: pairedPath) }

    /// A missing file is an empty map; a file that does not parse is an error (it is never overwritten silently).
    private func read<Value: Decodable>(_ path: String) throws -> [String: Value] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [:] }
        do {
            return try WireJSON.decode([String: Value].self, from: data)
        } catch {
            throw PairingFileError(path: path, underlying: "\(error)")
        }
    }

    private func write(_ rows: some Encodable, to path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try ConfigWriter.writeAtomically(try encoder.encode(rows), to: path)
        } catch {
            throw PairingFileError(path: path, underlying: "\(error)")
        }
    }
}

/// Which version of a file is on disk (inode, size, modification time): a cached decode is reused only while it
/// still matches, so an operator's edit is seen on the next read.
struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var modifiedNs: Int64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedNs = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

/// A pairing file that cannot be read or written; the message names the file.
struct PairingFileError: Error, CustomStringConvertible {
    var path: String
    var underlying: String
    var description: String { "device pairing file \(path): \(underlying)" }
}
