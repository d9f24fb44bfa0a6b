// Sources/Runtime/Connection/InboundFrame.swift - one text message → a request frame, or why not

import Foundation
import Generated

/// What a client's message turned out to be.
enum InboundFrame {
    case notJSON
    /// JSON, but not a valid `req` frame; `id` when one could be read.
    case invalid(id: String?, issue: ValidationIssue)
    case request(RequestFrame)

    static func parse(_ message: [UInt8]) -> InboundFrame {
        let data = Data(message)
        do {
            return .request(try WireJSON.decode(RequestFrame.self, from: data))
        } catch {
            // Only on the failure path: is it JSON at all?
            guard (try? WireJSON.decode(JSONValue.self, from: data)) != nil else { return .notJSON }
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
