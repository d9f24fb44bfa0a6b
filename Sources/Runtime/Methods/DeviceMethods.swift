// Sources/Runtime/Methods/DeviceMethods.swift - `device.pair.*` and `device.token.*` (reference/pairing.md §1.4, §2.3)

import Foundation
import Generated

/// Operators approve devices and manage their tokens here; every call needs `operator.pairing` (or admin),
/// which the method table's scope enforces. Tokens never leave through these methods, except a rotated
/// token returned to the device that rotated it.
extension SystemMethods {
    func devicePairList(context: MethodContext) async throws -> Payload<DevicePairListResult> {
        var result = try await hub.devices.list()
        if let own = Self.ownDeviceOnly(context) {
            result.pending = result.pending.filter { $0.deviceId == own }
            result.paired = result.paired.filter { $0.deviceId == own }
        }
        return try Payload(result)
    }

    func devicePairApprove(_ params: DevicePairRequestIdParams, context: MethodContext) async throws -> Payload<DevicePairApproveResult> {
        let caller = context.client.grant
        let own = Self.ownDeviceOnly(context)
        let approved = try await hub.devices.approve(params.requestId) { request in
            if let own, request.deviceId != own { throw GatewayError.invalidRequest("device pairing approval denied") }
            try Self.checkApprover(caller, for: request)
        }
        guard let approved else { throw GatewayError.invalidRequest("unknown requestId") }
        hub.announcePairingResolved(approved.request, decision: .approved)
        hub.logger.info("device pairing approved", metadata: ["deviceId": "\(approved.device.deviceId)", "requestId": "\(params.requestId)"])
        return try Payload(DevicePairApproveResult(requestId: params.requestId, device: approved.device.summary))
    }

    func devicePairReject(_ params: DevicePairRequestIdParams, context: MethodContext) async throws -> Payload<DevicePairRejectResult> {
        if let own = Self.ownDeviceOnly(context), let request = try await hub.devices.pendingRequest(params.requestId), request.deviceId != own {
            throw GatewayError.invalidRequest("device pairing rejection denied")
        }
        guard let request = try await hub.devices.reject(params.requestId) else { throw GatewayError.invalidRequest("unknown requestId") }
        hub.announcePairingResolved(request, decision: .rejected)
        return try Payload(DevicePairRejectResult(requestId: request.requestId, deviceId: request.deviceId))
    }

    func devicePairRemove(_ params: DeviceIdParams, context: MethodContext) async throws -> Payload<DeviceIdParams> {
        if let own = Self.ownDeviceOnly(context), params.deviceId != own { throw GatewayError.invalidRequest("device pairing removal denied") }
        guard try await hub.devices.remove(params.deviceId) != nil else { throw GatewayError.invalidRequest("unknown deviceId") }
        let result = try Payload(DeviceIdParams(deviceId: params.deviceId))
        try answerThenClose(result, context: context, deviceId: params.deviceId, role: nil, reason: "device removed")
    }

    func deviceTokenRotate(_ params: DeviceTokenRotateParams, context: MethodContext) async throws -> Payload<DeviceTokenRotateResult> {
        let caller = context.client.grant
        if let own = Self.ownDeviceOnly(context), params.deviceId != own { throw GatewayError.invalidRequest("device token rotation denied") }
        if let scopes = params.scopes, !caller.scopes.contains(Grant.adminScope), !DeviceScopes.allows(scopes, within: Array(caller.scopes)) {
            throw GatewayError.invalidRequest("device token rotation denied")
        }
        guard let token = try await hub.devices.rotate(deviceId: params.deviceId, role: params.role, scopes: params.scopes) else {
            throw GatewayError.invalidRequest("device token rotation denied")
        }
        let ownDevice = context.client.deviceId == params.deviceId
        let result = try Payload(
            DeviceTokenRotateResult(
                deviceId: params.deviceId, role: params.role, token: ownDevice ? token.token : nil, scopes: token.scopes,
                rotatedAtMs: token.rotatedAtMs ?? token.createdAtMs
            )
        )
        try answerThenClose(result, context: context, deviceId: params.deviceId, role: params.role, reason: "device token rotated")
    }

    func deviceTokenRevoke(_ params: DeviceTokenRevokeParams, context: MethodContext) async throws -> Payload<DeviceTokenRevokeResult> {
        if let own = Self.ownDeviceOnly(context), params.deviceId != own { throw GatewayError.invalidRequest("device token revocation denied") }
        guard let token = try await hub.devices.revoke(deviceId: params.deviceId, role: params.role) else {
            throw GatewayError.invalidRequest("device token revocation denied")
        }
        let result = try Payload(DeviceTokenRevokeResult(deviceId: params.deviceId, role: params.role, revokedAtMs: token.revokedAtMs ?? Int(Clock.nowMs)))
        try answerThenClose(result, context: context, deviceId: params.deviceId, role: params.role, reason: "device token revoked")
    }

    /// v3-mid: a caller that authenticated with a device token and holds no admin sees and manages only its own
    /// device. - Returns: that device's id, or nil when the caller may manage every device.
    static func ownDeviceOnly(_ context: MethodContext) -> String? {
        let client = context.client
        guard client.authMethod == .deviceToken, !client.grant.scopes.contains(Grant.adminScope) else { return nil }
        return client.deviceId ?? ""
    }

    /// v3-mid: the approver must hold every `operator.*` scope it grants (admin holds all), and every scope
    /// must fit a requested role.
    static func checkApprover(_ caller: Grant, for request: DevicePairingRequest) throws {
        let scopes = request.scopes ?? []
        let roles = DeviceScopes.merge(request.roles, request.role.map { [$0] })
        if let misfit = DeviceScopes.misfit(scopes, roles: roles) {
            throw GatewayError.invalidRequest("invalid scope for requested roles: \(misfit)")
        }
        guard !caller.scopes.contains(Grant.adminScope) else { return }
        if let missing = scopes.first(where: { $0.hasPrefix(DeviceScopes.operatorPrefix) && !DeviceScopes.allows([$0], within: Array(caller.scopes)) }) {
            throw GatewayError.invalidRequest("missing scope: \(missing)")
        }
    }

    /// Sends the result first, then closes the device's sockets (the caller's own last, after its answer),
    /// so that no socket learns of the change by a close that overtakes the response.
    private func answerThenClose<Value>(_ result: Payload<Value>, context: MethodContext, deviceId: String, role: String?, reason: String) throws -> Never {
        context.connection.respond(id: context.requestId, ok: true, payload: result.erased)
        if let own = hub.closeDeviceConnections(deviceId: deviceId, role: role, reason: reason, sparing: context.connection) {
            own.close(CloseCodes.policyViolation, reason: reason)
            own.hardCloseLater()
        }
        throw ResponseAlreadySent()
    }
}
