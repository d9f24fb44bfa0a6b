// Sources/ProtocolGenCore/Diagnostics/Diagnostic.swift - problems found in the spec, pointing at its lines

/// A problem found in the spec. Printed as `spec/methods/system.yaml:12: error: …`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case warning
        case error
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation?) -> Diagnostic {
        .init(.error, message, at: location)
    }

    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        return "\(prefix)\(severity.rawValue): \(message)"
    }
}

/// Collects diagnostics instead of stopping at the first, so one run reports every problem.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func emit(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func error(_ message: String, at location: SourceLocation?) {
        emit(.error(message, at: location))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Thrown when the spec has errors; carries all of them.
public struct SpecErrors: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
