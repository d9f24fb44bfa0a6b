// Sources/ProtocolSupport/Vocabulary.swift - the words the generated tables are written in

/// Who may call a method or receive an event.
public enum MethodScope: String, Sendable, Hashable, CaseIterable {
    /// Always allowed.
    case none
    case read
    case write
    case admin
    case approvals
    case pairing
    /// Only connections with role `node`.
    case node

    /// The operator scope string that grants it (`operator.read`, …); nil for `none` and `node`.
    public var operatorScope: String? {
        switch self {
        case .none, .node: nil
        default: "operator.\(rawValue)"
        }
    }
}

/// How an event reaches connections.
public enum EventDelivery: String, Sendable, Hashable {
    /// To every eligible connection, each stamped with that connection's own `seq`.
    case broadcast
    /// To chosen connections, without `seq`.
    case targeted
}

/// One config key as the spec declares it, for validation messages, redaction, docs and reload planning.
public struct ConfigKeyInfo: Sendable, Hashable {
    public var path: String
    /// `object`, `passthrough`, `any`, `string`, `int`, `number`, `bool`, `[string]`, `[string: string]` or `enum(a|b)`.
    public var type: String
    public var doc: String
    public var defaultValue: String?
    public var reload: ReloadKind
    public var action: String?
    public var secret: Bool

    public init(path: String, type: String, doc: String, defaultValue: String?, reload: ReloadKind, action: String?, secret: Bool) {
        self.path = path
        self.type = type
        self.doc = doc
        self.defaultValue = defaultValue
        self.reload = reload
        self.action = action
        self.secret = secret
    }
}

/// A WebSocket close code and its fixed reason.
public struct CloseCodeInfo: Sendable, Hashable {
    public var code: UInt16
    public var reason: String?

    public init(code: UInt16, reason: String?) {
        self.code = code
        self.reason = reason
    }
}

/// A request's params failed validation; answered as `INVALID_REQUEST "invalid <method> params: …"`.
public struct InvalidParams: Error, Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var issue: ValidationIssue
    /// The spec's own wording for this method (`invalidParams:`), replacing the generic one.
    public var message: String?

    public init(method: String, issue: ValidationIssue, message: String? = nil) {
        self.method = method
        self.issue = issue
        self.message = message
    }

    public var description: String { message ?? "invalid \(method) params: \(issue)" }
}

extension RequestParams {
    /// Decodes params for `method`, wrapping a failure so it names the method.
    public func decode<T: Decodable>(_ type: T.Type, method: String, message: String? = nil) throws(InvalidParams) -> T {
        do {
            return try decode(T.self)
        } catch {
            throw InvalidParams(method: method, issue: error, message: message)
        }
    }
}

/// `connect` arrived through dispatch; it is only valid as a socket's first request.
public struct HandshakeOnlyMethod: Error, Sendable, Hashable {
    public var method: String

    public init(method: String) { self.method = method }
}

/// A typed `error.details` (spec `errors.yaml`: `detailCodes: {CODE: {doc, details: Type}}`); the generated
/// `ErrorDetailCode.detailsType` says which type each code's details have.
public protocol ErrorDetails: Codable, Sendable {}
