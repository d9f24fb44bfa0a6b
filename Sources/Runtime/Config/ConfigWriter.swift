// Sources/Runtime/Config/ConfigWriter.swift - writing the config back (token bootstrap), with a .bak ring

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
            let decoder = JSONDecoder()
            decoder.allowsJSON5 = true
            tree = try decoder.decode(JSONValue.self, from: data)
        }
        tree = Self.setting(value, at: path.split(separator: ".").map(String.init)[...], in: tree)
        try write(tree, to: file)
    }

    public func write(_ tree: JSONValue, to file: String) throws {
        let url = URL(fileURLWithPath: file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        rotateBackups(of: file)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(tree)
        data.append(0x0A)
        try data.write(to: url, options: .atomic)
        chmod(file, 0o600)
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
