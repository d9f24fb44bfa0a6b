// Sources/Runtime/Config/ConfigWriter.swift - writing the config back (token bootstrap, config RPC): atomic, with a .bak ring

import Foundation
import Generated

/// Writes config files the way upstream does: pretty JSON, previous versions kept as `.bak`, `.bak.1` … `.bak.4`.
public struct ConfigWriter: Sendable {
    public static let backups = 5

    public init() {}

    /// Sets one dotted path in the file's raw tree (creating objects as needed) and writes it back.
    /// The raw tree (before `${VAR}` substitution) is used, so references stay references.
    public func set(_ value: JSONValue, at path: String, in file: String) throws {
        var tree: JSONValue = .object([:])
        if let data = FileManager.default.contents(atPath: file), !data.isEmpty {
            tree = try JSON5Text.decode(data)
        }
        tree = Self.setting(value, at: path.split(separator: ".").map(String.init)[...], in: tree)
        try write(tree, to: file)
    }

    /// Writes `tree` as pretty JSON atomically (see `writeAtomically`), after rotating the `.bak` ring.
    /// - Returns: the bytes written, so callers can hash exactly what is on disk.
    @discardableResult
    public func write(_ tree: JSONValue, to file: String) throws -> Data {
        let url = URL(fileURLWithPath: file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(tree)
        data.append(0x0A)
        rotateBackups(of: file)
        try Self.writeAtomically(data, to: file)
        return data
    }

    /// A temp file in the same directory, written in full and fsynced, then renamed over `file`:
    /// a reader (or a crash, or SIGKILL) sees the old file or the new one, never a truncated one.
    /// The existing file's mode is kept; a new file is 0600. Temp files are named
    /// `.<name>.tmp-<pid>-<random>` so a leftover one is never mistaken for the config.
    public static func writeAtomically(_ data: Data, to file: String) throws {
        let url = URL(fileURLWithPath: file)
        let directory = url.deletingLastPathComponent().path
        var info = stat()
        let mode: mode_t = stat(file, &info) == 0 ? info.st_mode & 0o7777 : 0o600
        let temp = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temp]) }
        var ok = fchmod(fd, mode) == 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while ok, offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    ok = false
                } else {
                    offset += written
                }
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, file) == 0 else {
            unlink(temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
        }
        // Make the rename itself durable.
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    private func rotateBackups(of file: String) {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: file) else { return }
        let names = [file + ".bak"] + (1..<Self.backups).map { "\(file).bak.\($0)" }
        try? fileManager.removeItem(atPath: names[names.count - 1])
        for index in stride(from: names.count - 2, through: 0, by: -1) where fileManager.fileExists(atPath: names[index]) {
            try? fileManager.moveItem(atPath: names[index], toPath: names[index + 1])
        }
        try? fileManager.copyItem(atPath: file, toPath: names[0])
    }

    static func setting(_ value: JSONValue, at path: ArraySlice<String>, in tree: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var members = tree.objectValue ?? [:]
        members[key] = setting(value, at: path.dropFirst(), in: members[key] ?? .object([:]))
        return .object(members)
    }
}
