// Sources/Runtime/Methods/LogsMethods.swift - `logs.tail`: the gateway's file log over RPC

import Foundation
import Generated

extension SystemMethods {
    /// Reads the file the logger writes now; the location comes from the same resolver the logger uses.
    func logsTail(_ params: LogsTailParams, context: MethodContext) async throws -> Payload<LogsTailResult> {
        let location = LogSystem.location ?? LogFileLocation(logging: hub.settings.config.config.logging, environment: hub.settings.environment)
        let path = location.path()
        let result = await Task.detached { LogTail.read(path: path, cursor: params.cursor, limit: params.limit, maxBytes: params.maxBytes) }.value
        return try Payload(result)
    }
}
