// Sources/Runtime/Connection/InboundFrame.swift - one text message → a request frame, or why not

import Foundation
import Generated

/// What a client's message turned out to be.
package enum InboundFrame {
    case notJSON
    /// Text that is not Unicode: bytes that are not UTF-8 (`escaped` false: RFC 6455 fails the socket with
    /// 1007), or a JSON string with a lone surrogate escape (`escaped` true; `id` when one could be read).
    case notUnicode(id: String?, escaped: Bool)
    /// Nested deeper than the parser's limit; `id` when one could be read.
    case nestedTooDeeply(id: String?)
    /// JSON, but not a valid `req` frame; `id` when one could be read.
    case invalid(id: String?, issue: ValidationIssue)
    case request(RequestFrame)

    package static func parse(_ message: [UInt8]) -> InboundFrame {
        // Our own parser reads the text first: it refuses repeated member names, which Foundation (first wins)
        // and upstream's `JSON.parse` (last wins) would read differently — `"token":"T","token":"WRONG"` must not
        // log in here when upstream would refuse it. It also says why a text is not JSON.
        do {
            _ = try JSONValue(parsing: message, rejectingDuplicateKeys: true)
        } catch {
            switch error.kind {
            case .duplicateKey(let key):
                let id = key == "id" ? nil : FrameIDScanner.id(in: message)
                return .invalid(id: id, issue: ValidationIssue(pointer: "", message: "must not repeat the member name '\(key)'"))
            case .nestedTooDeeply:
                return .nestedTooDeeply(id: FrameIDScanner.id(in: message))
            case .loneSurrogate:
                return .notUnicode(id: FrameIDScanner.id(in: message), escaped: true)
            case .invalidUTF8, .syntax:
                return String(validating: message, as: UTF8.self) == nil ? .notUnicode(id: nil, escaped: false) : .notJSON
            }
        }
        let data = Data(message)
        do {
            return .request(try WireJSON.decode(RequestFrame.self, from: data))
        } catch {
            let id = (try? WireJSON.decode(LooseID.self, from: data))?.id
            return .invalid(id: id, issue: ValidationIssue(error))
        }
    }

    private struct LooseID: Decodable {
        var id: String?
        enum CodingKeys: String, CodingKey { case id }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try? container.decodeIfPresent(String.self, forKey: .id)
        }
    }
}
