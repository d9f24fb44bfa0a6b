// Sources/ProtocolGenCore/Layers/SourceLocation.swift - where a spec entry was written

/// A line in a spec file, so every diagnostic and every generated declaration can point back at it.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The spec file's path relative to the spec root's parent, e.g. `spec/methods/system.yaml`.
    public var file: String
    /// One-based line number.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
