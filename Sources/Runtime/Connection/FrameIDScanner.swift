// Sources/Runtime/Connection/FrameIDScanner.swift - a request's top-level "id", read from a frame that does not parse

import Generated

/// Finds the string value of a frame's top-level `"id"` member without parsing the rest, so a frame
/// refused as a whole (nested too deeply, a lone surrogate elsewhere) can still be answered by id
/// instead of leaving the caller to time out. Other members are skipped by matching brackets and
/// strings, not validated; anything unexpected gives nil.
package enum FrameIDScanner {
    package static func id(in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        return scanner.topLevelID()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        mutating func topLevelID() -> String? {
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            while true {
                skipWhitespace()
                guard let keyRange = stringToken() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                if isIDKey(keyRange) {
                    guard let valueRange = stringToken() else { return nil }
                    return try? JSONValue(parsing: bytes[valueRange]).stringValue
                }
                guard skipValue() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ",")) else { return nil }
            }
        }

        private func isIDKey(_ range: Range<Int>) -> Bool {
            bytes[range].elementsEqual(#""id""#.utf8)
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// A string with its quotes, escapes left as they are.
        private mutating func stringToken() -> Range<Int>? {
            let start = index
            guard take(UInt8(ascii: "\"")) else { return nil }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<index
                default: index += 1
                }
            }
            return nil
        }

        /// Any value, however deep: strings are skipped whole, brackets counted.
        private mutating func skipValue() -> Bool {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard stringToken() != nil else { return false }
                    if depth == 0 { return true }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                default: break
                }
                index += 1
            }
            return false
        }
    }
}
