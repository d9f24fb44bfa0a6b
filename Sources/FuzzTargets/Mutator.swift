// Sources/FuzzTargets/Mutator.swift - seeded, deterministic mutations of byte strings, some of them JSON-aware

/// A small PRNG (SplitMix64): the same seed gives the same inputs on every machine and toolchain, which
/// `SystemRandomNumberGenerator` cannot.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Turns one input into another: byte-level (bit flips, inserts, deletes, splices, repeats, truncation)
/// and the text shapes parsers trip over (repeated member names, nesting past the limit, numbers no
/// integer holds, bytes that are not UTF-8, escapes of half a surrogate pair).
public struct Mutator: Sendable {
    /// The largest input it makes; longer results are cut.
    public var maxLength = 128 * 1024
    let dictionary: [[UInt8]]

    public init(dictionary: [[UInt8]]) {
        self.dictionary = dictionary
    }

    /// One to four mutations of `input`; `other` is a second input for splices.
    public func mutate(_ input: [UInt8], other: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            bytes = mutateOnce(bytes, other: other, using: &random)
        }
        return bytes.count > maxLength ? Array(bytes.prefix(maxLength)) : bytes
    }

    private func mutateOnce(_ input: [UInt8], other: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<14, using: &random) {
        case 0 where !bytes.isEmpty:  // flip one bit
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 1:  // insert a byte, often a JSON structural one
            let structural = Array("{}[]\",:\\ 0123456789.eE-+tfn".utf8)
            let byte = Bool.random(using: &random) ? structural.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            bytes.insert(byte, at: position)
        case 2 where !bytes.isEmpty:  // delete a run
            let start = Int.random(in: 0..<bytes.count, using: &random)
            let end = min(bytes.count, start + Int.random(in: 1...16, using: &random))
            bytes.removeSubrange(start..<end)
        case 3:  // splice: a prefix of one input and a suffix of the other
            let cut = other.isEmpty ? 0 : Int.random(in: 0...other.count, using: &random)
            bytes = Array(bytes.prefix(position)) + other[cut...]
        case 4 where !bytes.isEmpty:  // repeat a chunk elsewhere
            let start = Int.random(in: 0..<bytes.count, using: &random)
            let chunk = bytes[start..<min(bytes.count, start + Int.random(in: 1...64, using: &random))]
            bytes.insert(contentsOf: chunk, at: position)
        case 5:  // truncate
            bytes = Array(bytes.prefix(position))
        case 6 where !dictionary.isEmpty:  // a dictionary token
            bytes.insert(contentsOf: dictionary.randomElement(using: &random)!, at: position)
        case 7:  // repeat a member name
            bytes = duplicateMember(bytes, using: &random)
        case 8:  // nest around the limit
            let depth = [2, 100, 511, 512, 513, 600, 5000].randomElement(using: &random)!
            let (open, close) = Bool.random(using: &random) ? ("[", "]") : (#"{"a":"#, "}")
            bytes.insert(contentsOf: Array(String(repeating: open, count: depth).utf8) + Array(String(repeating: close, count: depth).utf8), at: position)
        case 9:  // a number no integer (or double) holds
            let numbers = [
                "1e309", "-1e400", "1e-400", "123456789012345678901234567890", "9223372036854775807", "9223372036854775808",
                "-9223372036854775809", "1.5", "1e30", "-0", "0.1e1", "4294967296", "2147483648", String(repeating: "9", count: 400),
            ]
            bytes = replaceNumber(bytes, with: Array(numbers.randomElement(using: &random)!.utf8), at: position)
        case 10:  // bytes that are not UTF-8
            let bad: [[UInt8]] = [[0xFF], [0xFE], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xF0, 0x9F]]
            bytes.insert(contentsOf: bad.randomElement(using: &random)!, at: position)
        case 11:  // half a surrogate pair, escaped, inside a string
            let escapes = [#"\ud800"#, #"\udc00"#, #"\ud83d\u0041"#, #"\uD800\uDBFF"#, #"\udfff"#, #"\u0000"#, #"\ud83d"#]
            let quote = bytes[position...].firstIndex(of: UInt8(ascii: "\"")).map { $0 + 1 } ?? position
            bytes.insert(contentsOf: Array(escapes.randomElement(using: &random)!.utf8), at: quote)
        case 12 where !bytes.isEmpty:  // overwrite a byte with one of its neighbours' kind
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] = Array("\"{}[],:".utf8).randomElement(using: &random)!
        default:  // a bigger splice: the other input inserted whole
            bytes.insert(contentsOf: other.prefix(4096), at: position)
        }
        return bytes
    }

    /// Inserts `"name":<value>,` right before an existing `"name":`, so the object names it twice.
    private func duplicateMember(_ bytes: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var starts: [Int] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\""), let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\"")),
                end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: ":")
            {
                starts.append(index)
                index = end + 1
            } else {
                index += 1
            }
        }
        guard let start = starts.randomElement(using: &random), let end = bytes[(start + 1)...].firstIndex(of: UInt8(ascii: "\"")) else {
            return bytes
        }
        let values = ["null", "\"WRONG\"", "1", "{}", "[]", "true"]
        var result = bytes
        result.insert(contentsOf: Array(bytes[start...(end + 1)]) + Array(values.randomElement(using: &random)!.utf8) + [UInt8(ascii: ",")], at: start)
        return result
    }

    /// Replaces the number starting at or after `position` (or inserts one there).
    private func replaceNumber(_ bytes: [UInt8], with number: [UInt8], at position: Int) -> [UInt8] {
        let isNumeric = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+")
        }
        guard let start = bytes[position...].firstIndex(where: { (0x30...0x39).contains($0) }) else {
            var result = bytes
            result.insert(contentsOf: number, at: position)
            return result
        }
        let end = bytes[start...].firstIndex(where: { !isNumeric($0) }) ?? bytes.count
        var result = bytes
        result.replaceSubrange(start..<end, with: number)
        return result
    }
}
