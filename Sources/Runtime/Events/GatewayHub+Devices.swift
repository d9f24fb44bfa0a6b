// Sources/Runtime/Events/GatewayHub+Devices.swift - pairing events and closing a device's sockets

import Generated

extension GatewayHub {
    /// Broadcasts `device.pair.resolved` (pairing-scoped connections only, by the event's scope gate).
    func announcePairingResolved(_ request: DevicePairingRequest, decision: DevicePairDecision) {
        let payload = DevicePairResolvedEvent(requestId: request.requestId, deviceId: request.deviceId, decision: decision, ts: Int(Clock.nowMs))
        if let event = try? OutboundEvent.devicePairResolved(payload) { broadcast(event) }
    }

    /// Closes (1008, `reason`) every socket of `deviceId`, or only those holding `role`, except `sparing`
    /// (the caller, which closes after its own response). - Returns: the caller's connection when it matched.
    @discardableResult
    func closeDeviceConnections(deviceId: String, role: String? = nil, reason: String, sparing caller: Connection? = nil) -> Connection? {
        var callerMatched: Connection?
        for connection in openConnections {
            guard let client = connection.connected, client.deviceId == deviceId, role == nil || client.grant.role == role else { continue }
            if connection === caller {
                callerMatched = connection
                continue
            }
            connection.close(CloseCodes.policyViolation, reason: reason)
            connection.hardCloseLater()
        }
        return callerMatched
    }
}
