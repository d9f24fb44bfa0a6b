// Sources/Runtime/Dispatch/ErrorShape+Details.swift - `error.details` from the spec's typed shapes, never by hand

import Generated
import ProtocolSupport

/// `config.set`/`config.apply`/`config.patch` refusals carry their issues; the shape has no detail code, so the
/// spec's code → type table does not list it.
extension ConfigInvalidDetails: ErrorDetails {}

extension ErrorShape {
    /// An error whose `details` has the type the spec declares for it (`errors.yaml` `detailCodes`), written in
    /// `version`'s shape (the newest when nil).
    init(code: ErrorCode, message: String, details: any ErrorDetails, version: Int? = nil) {
        self.init(code: code, message: message, details: Self.json(details, version: version))
    }

    /// The details as the JSON value `ErrorShape.details` holds; nil (no details) only if the value cannot be
    /// written in `version` at all, which the spec's shapes rule out.
    static func json(_ details: any ErrorDetails, version: Int?) -> JSONValue? {
        func encode<T: ErrorDetails>(_ value: T) -> JSONValue? {
            let payload = version.map { try? Payload(value, version: $0) } ?? (try? Payload(value))
            return payload.flatMap { try? WireJSON.decode(JSONValue.self, from: $0.bytes) }
        }
        return encode(details)
    }
}
