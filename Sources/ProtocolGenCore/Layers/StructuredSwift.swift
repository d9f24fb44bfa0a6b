// Sources/ProtocolGenCore/Layers/StructuredSwift.swift - the small Swift AST translators build and the renderer prints

/// One generated Swift file.
public struct SwiftFile: Sendable, Equatable {
    public var name: String
    public var imports: [String]
    public var declarations: [SwiftDecl]

    public init(name: String, imports: [String], declarations: [SwiftDecl]) {
        self.name = name
        self.imports = imports
        self.declarations = declarations
    }
}

/// Documentation attached to a declaration: the spec's text plus where it came from.
public struct SwiftDoc: Sendable, Equatable {
    public var text: String
    public var remark: String?

    public init(_ text: String, remark: String? = nil) {
        self.text = text
        self.remark = remark
    }
}

/// A nominal type, extension or protocol with its members.
public struct SwiftTypeDecl: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case `struct`
        case `enum`
        case `extension`
        case `protocol`
    }

    public var kind: Kind
    public var doc: SwiftDoc?
    public var name: String
    public var conformances: [String]
    public var attributes: [String]
    public var members: [SwiftDecl]

    public init(_ kind: Kind, _ name: String, doc: SwiftDoc? = nil, conformances: [String] = [], attributes: [String] = [], members: [SwiftDecl]) {
        self.kind = kind
        self.doc = doc
        self.name = name
        self.conformances = conformances
        self.attributes = attributes
        self.members = members
    }
}

/// A declaration; function bodies are kept as lines, everything else is structured.
public indirect enum SwiftDecl: Sendable, Equatable {
    case type(SwiftTypeDecl)
    /// `public var name: Type` or `public static let name: Type = value`.
    case property(doc: SwiftDoc?, modifiers: [String], keyword: String, name: String, type: String?, value: String?)
    /// A computed property or function: its signature and body lines.
    case function(doc: SwiftDoc?, attributes: [String], signature: String, body: [String])
    /// A requirement in a protocol: signature only.
    case requirement(doc: SwiftDoc?, signature: String)
    /// `case name = "raw"` or `case name(Type)`.
    case enumCase(doc: SwiftDoc?, name: String, rawValue: String?, associated: String?)
    case `typealias`(doc: SwiftDoc?, name: String, type: String)
    /// A `// MARK: -` divider.
    case mark(String)
}
