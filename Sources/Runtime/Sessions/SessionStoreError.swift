// Sources/Runtime/Sessions/SessionStoreError.swift - what the session store refuses, in words for the operator

/// A session store failure that is the caller's to handle (SQLite errors pass through as GRDB's `DatabaseError`).
public struct SessionStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case unknownKey(String)
        case missingDatabase(String)
    }

    private let code: Code

    /// No entry for this session key.
    public static func unknownKey(_ key: String) -> Self { Self(code: .unknownKey(key)) }
    /// No database file at this path (nothing has run an agent yet).
    public static func missingDatabase(_ path: String) -> Self { Self(code: .missingDatabase(path)) }

    public var description: String {
        switch code {
        case .unknownKey(let key): "No session found for key \"\(key)\""
        case .missingDatabase(let path): "No session database at \(path) (no agent has run with this state directory yet)"
        }
    }
}
