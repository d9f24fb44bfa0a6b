// Sources/ProtocolGenCore/Translator/SwiftTypes.swift - spec type expressions → Swift type text

import Foundation

extension TypeRef {
    /// The Swift spelling, with standard library types qualified (`Swift.String`).
    var swift: String {
        switch self {
        case .string: "Swift.String"
        case .int: "Swift.Int"
        case .number: "Swift.Double"
        case .bool: "Swift.Bool"
        case .any: "JSONValue"
        case .raw: "DeferredJSON"
        case .array(let element): "[\(element.swift)]"
        case .map(let value): "[Swift.String: \(value.swift)]"
        case .named(let name): name
        }
    }
}

extension Spec {
    /// `spec/types/connect.yaml#/ConnectParams/client`: where a declaration came from.
    static func remark(_ location: SourceLocation, _ pointer: String...) -> String {
        "\(location.file)#/" + pointer.joined(separator: "/")
    }
}
