// Sources/Runtime/Config/EnvSubstitution.swift - `${VAR}` in config strings (reference/ops.md §1.4)

import Generated

/// Replaces `${VAR}` in every string of a config tree. Only `[A-Z_][A-Z0-9_]*` names are substituted;
/// `$${VAR}` yields a literal `${VAR}`; a missing or empty variable is an error naming the config path.
struct EnvSubstitution {
    let environment: [String: String]

    struct MissingVariable: Error, Equatable {
        var name: String
        var path: String
    }

    func apply(_ value: JSONValue, path: [String] = []) throws(MissingVariable) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(try substitute(text, path: path))
        case .array(let items):
            var out: [JSONValue] = []
            for (index, item) in items.enumerated() { out.append(try apply(item, path: path + [String(index)])) }
            return .array(out)
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members { out[key] = try apply(member, path: path + [key]) }
            return .object(out)
        default:
            return value
        }
    }

    func substitute(_ text: String, path: [String]) throws(MissingVariable) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            let escaped = start.lowerBound > rest.startIndex && rest[rest.index(before: start.lowerBound)] == "$"
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[start.upperBound..<end])
            guard Self.isVariableName(name) else {
                out += rest[..<rest.index(after: end)]
                rest = rest[rest.index(after: end)...]
                continue
            }
            if escaped {
                out += rest[..<rest.index(before: start.lowerBound)]
                out += "${\(name)}"
            } else {
                out += rest[..<start.lowerBound]
                guard let value = environment[name], !value.isEmpty else {
                    throw MissingVariable(name: name, path: path.joined(separator: "."))
                }
                out += value
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
