// Sources/Runtime/Connection/Handshake.swift - challenge → connect → hello-ok, and every refusal of §3

import Foundation
import Generated

/// Runs the first request of a socket. Every failure answers as upstream does: the error frame
/// (when upstream sends one), then the close code and reason.
struct Handshake {
    let hub: GatewayHub
    let connection: Connection
    let limiter: AuthRateLimiter

    /// A refusal: the response to send (if any) and how to close.
    struct Refusal: Error {
        var error: ErrorShape?
        var close: CloseCodeInfo
        var reason: String?
    }

    /// Handles the first text message. Returns true when the connection is now authenticated.
    func handle(_ message: [UInt8]) async -> Bool {
        let request: RequestFrame
        switch InboundFrame.parse(message) {
        case .notJSON:
            connection.close(CloseCodes.normal)
            return false
        case .notUnicode:
            connection.close(CloseCodes.invalidPayload)
            return false
        case .invalid, .nestedTooDeeply:
            connection.close(CloseCodes.policyViolation, reason: "invalid request frame")
            return false
        case .request(let frame):
            request = frame
        }
        do {
            let (client, deviceToken) = try await accept(request, message: message)
            let hello = try hello(for: client, deviceToken: deviceToken)
            hub.markConnected(connection, as: client)
            connection.respond(id: request.id, ok: true, payload: hello)
            if let key = client.presenceKey { hub.upsertPresence(key: key, entry: presenceEntry(client)) }
            hub.logger.debug("client connected", metadata: ["connId": "\(connection.id)", "client": "\(client.params.client.id.rawValue)"])
            return true
        } catch let refusal as Refusal {
            if let error = refusal.error { connection.respond(id: request.id, ok: false, payload: nil, error: error) }
            connection.close(refusal.close, reason: refusal.reason)
        } catch {
            let shape = ErrorShape(code: .unavailable, message: "\(error)")
            connection.respond(id: request.id, ok: false, payload: nil, error: shape)
            connection.close(CloseCodes.policyViolation, reason: "\(error)")
        }
        return false
    }

    private func refuse(
        _ message: String, code: ErrorCode = .invalidRequest, details: (any ErrorDetails)? = nil, close: CloseCodeInfo = CloseCodes.policyViolation
    ) -> Refusal {
        let details = details.flatMap { ErrorShape.json($0, version: nil) }
        return Refusal(error: ErrorShape(code: code, message: message, details: details), close: close, reason: close.reason ?? message)
    }

    private func accept(_ request: RequestFrame, message: [UInt8]) async throws -> (ConnectedClient, DeviceAuthToken?) {
        guard request.method == GatewayMethod.connect.rawValue else {
            throw refuse("invalid handshake: first request must be connect")
        }
        // The params are read in the shape of the version the client will get (v4 requires `device.nonce`, and
        // v4-only fields are unknown to v3), then the range is checked. An accepted range always gets that version:
        // both are the highest supported version at or below `maxProtocol`.
        let candidate = ProtocolNegotiation.candidate(forConnect: message)
        let params = try decodeParams(request, message: message, version: candidate)
        let version = try negotiateProtocol(params)
        assert(version == candidate, "negotiated \(version), read the params as \(candidate)")
        let role = params.role ?? "operator"
        guard role == "operator" || role == "node" else { throw refuse("invalid role") }
        let requestedScopes = params.scopes ?? []
        try checkBrowserOrigin(params)

        if let device = params.device {
            do {
                try DeviceIdentityVerifier(nonce: connection.challengeNonce, skewMs: ProtocolLimits.deviceSignatureSkewMs)
                    .verify(device, params: params, role: role, scopes: requestedScopes)
            } catch {
                throw refuse(error.message, details: DeviceAuthDetails(code: error.code, reason: error.reason))
            }
        }

        let authMethod = try await authenticate(params)

        // A signed device gets what its pairing covers (Devices/DeviceAdmission); a device-less client keeps its
        // requested scopes only on upstream's trust path: a direct-loopback `gateway-client` in `backend` mode
        // that passed shared-secret auth. Everyone else starts with none.
        let scopes: Set<String>
        var deviceToken: DeviceAuthToken?
        if let device = params.device {
            do {
                let admitted = try await DeviceAdmission(hub: hub, peer: connection.peer)
                    .admit(params, device: device, role: role, scopes: requestedScopes, auth: authMethod)
                scopes = Set(admitted.scopes)
                deviceToken = admitted.token
            } catch let required as DeviceAdmission.PairingRequired {
                throw try pairingRequired(required, device: device, role: role, scopes: requestedScopes, version: version)
            }
        } else {
            let trusted = connection.peer.isDirectLoopback && params.client.id == .gatewayClient && params.client.mode == .backend
            scopes = trusted ? Set(requestedScopes) : []
        }
        let presenceKey = params.client.mode == .cli ? nil : (params.device?.id ?? params.client.instanceId ?? connection.id).lowercased()
        let client = ConnectedClient(
            params: params, protocolVersion: version, grant: Grant(role: role, scopes: scopes), deviceId: params.device?.id, presenceKey: presenceKey,
            authMethod: authMethod
        )
        return (client, deviceToken)
    }

    /// Any socket whose upgrade carries a browser `Origin` must come from an allowed page, whatever client id it
    /// claims: upstream's fix for cross-site WebSocket hijacking (a page on the operator's machine could otherwise
    /// open `ws://127.0.0.1` as `gateway-client`). Checked before auth (reference/http.md §5); config is read per
    /// connect. The Control UI and webchat clients always need an allowed `Origin`; other clients that send none,
    /// or a `ws://` one, are not browsers and are not checked.
    private func checkBrowserOrigin(_ params: ConnectParams) throws {
        let peer = connection.peer
        let isBrowserClient = params.client.id == .openclawControlUi || params.client.id == .webchatUi || params.client.mode == .webchat
        guard isBrowserClient || BrowserOriginCheck.browserOrigin(peer.origin) != nil else { return }
        let controlUi = hub.config.withLock { $0.config.gateway?.controlUi }
        let check = BrowserOriginCheck(
            allowedOrigins: controlUi?.allowedOrigins ?? [], isLocalClient: peer.isDirectLoopback,
            allowHostHeaderFallback: controlUi?.dangerouslyAllowHostHeaderOriginFallback ?? false
        )
        guard let reason = check.failure(origin: peer.origin, host: peer.host) else { return }
        hub.logger.warning("origin not allowed", metadata: ["connId": "\(connection.id)", "origin": "\(peer.origin ?? "n/a")", "reason": "\(reason)"])
        throw refuse(BrowserOriginCheck.refusal, details: OriginNotAllowedDetails())
    }

    private func decodeParams(_ request: RequestFrame, message: [UInt8], version: Int) throws -> ConnectParams {
        do {
            return try RequestParams(message: Data(message), isPresent: request.params != nil, protocolVersion: version).decode(ConnectParams.self)
        } catch {
            throw refuse("invalid connect params: \(error)")
        }
    }

    /// The version this connection speaks. A mismatch names the newest version in `expectedProtocol` (a number, as
    /// upstream clients read it) and every version in `supportedProtocols`.
    private func negotiateProtocol(_ params: ConnectParams) throws -> Int {
        let negotiated = ProtocolNegotiation.negotiate(
            minProtocol: params.minProtocol, maxProtocol: params.maxProtocol, isProbe: params.client.mode == .probe
        )
        guard let negotiated else {
            throw refuse(
                "protocol mismatch",
                details: ProtocolMismatchDetails(
                    clientMinProtocol: params.minProtocol, clientMaxProtocol: params.maxProtocol, expectedProtocol: ProtocolVersion.current,
                    supportedProtocols: ProtocolVersion.supported, minimumProbeProtocol: ProtocolVersion.minimumProbe
                ),
                close: CloseCodes.protocolMismatch
            )
        }
        return negotiated
    }

    /// NOT_PAIRED in the connection's version: the details type and the wording come from the spec per version.
    private func pairingRequired(
        _ required: DeviceAdmission.PairingRequired, device: ConnectDevice, role: String, scopes: [String], version: Int
    ) throws -> Refusal {
        let details = PairingRequiredDetails(
            reason: required.reason.rawValue, requestId: required.requestId, remediationHint: required.reason.remediationHint,
            deviceId: device.id, requestedRole: role, requestedScopes: scopes, approvedRoles: required.approvedRoles,
            approvedScopes: required.approvedScopes
        )
        let wording = VersionedMessages.pairingRequired(version: version, requirement: required.reason.requirement, requestId: required.requestId)
        return Refusal(
            error: ErrorShape(code: .notPaired, message: wording.message, details: details, version: version), close: CloseCodes.policyViolation,
            reason: wording.closeReason ?? wording.message
        )
    }

    /// Where failed shared-secret auth is counted: browser-origin sockets in their own limiter that never exempts
    /// loopback, keyed by the page's origin on loopback (every local page shares 127.0.0.1); everyone else by address.
    private var rateLimitBucket: (AuthRateLimiter, String) {
        let peer = connection.peer
        guard let origin = BrowserOriginCheck.browserOrigin(peer.origin) else { return (limiter, peer.ip) }
        return (hub.browserAuthLimiter, peer.isDirectLoopback ? "origin:\(origin.lowercased())" : peer.ip)
    }

    /// Upstream's order: the shared secret first; a device token (with a signed device) only when that failed.
    private func authenticate(_ params: ConnectParams) async throws -> ConnectAuthMethod {
        let peer = connection.peer
        let (limiter, address) = rateLimitBucket
        let sharedRetryAfter = limiter.retryAfterMs(address: address, isLoopback: peer.isDirectLoopback)
        let sharedFailure: AuthFailureReason? = sharedRetryAfter != nil ? .rateLimited : SharedSecretAuth(policy: hub.settings.auth).check(params.auth)
        guard let sharedFailure else {
            limiter.recordSuccess(address: address)
            if case .none = hub.settings.auth { return .none }
            return .sharedSecret
        }
        if let device = params.device {
            switch try await DeviceTokenAuth(hub: hub, peer: peer).check(params, device: device, role: params.role ?? "operator") {
            case .authenticated: return .deviceToken
            case .notAttempted, .fallbackFailed: break
            case .failed(let reason, let retryAfterMs): throw unauthorized(reason, params, retryAfterMs: retryAfterMs)
            }
        }
        if sharedFailure.countsAsFailure { limiter.recordFailure(address: address, isLoopback: peer.isDirectLoopback) }
        throw unauthorized(sharedFailure, params, retryAfterMs: sharedRetryAfter)
    }

    private func unauthorized(_ reason: AuthFailureReason, _ params: ConnectParams, retryAfterMs: Int?) -> Refusal {
        let message = SharedSecretAuth.message(for: reason, client: params.client)
        let canRetry = reason == .tokenMismatch && params.device != nil && params.auth?.token != nil && params.auth?.deviceToken == nil
        let details = AuthFailureDetails(
            code: reason.detailCode, authReason: reason.rawValue, canRetryWithDeviceToken: canRetry,
            recommendedNextStep: canRetry ? "retry_with_device_token" : reason.recommendedNextStep
        )
        var error = ErrorShape(code: .invalidRequest, message: message, details: details)
        if let retryAfterMs {
            error.retryable = true
            error.retryAfterMs = retryAfterMs
        }
        return Refusal(error: error, close: CloseCodes.policyViolation, reason: message)
    }

    /// `hello-ok` in the connection's version; `auth` carries the device token when one applies, with that token's scopes.
    private func hello(for client: ConnectedClient, deviceToken: DeviceAuthToken?) throws -> EncodedJSON {
        let admin = client.grant.scopes.contains(Grant.adminScope)
        let health = try hub.health(probe: false)
        let snapshot = Snapshot(
            presence: hub.presenceList(), health: health.summary, stateVersion: hub.stateVersion, uptimeMs: hub.uptimeMs,
            configPath: admin ? hub.settings.paths.configPath : nil, stateDir: admin ? hub.settings.paths.stateDir : nil,
            authMode: hub.settings.auth.mode
        )
        let policy = hub.settings.policy
        let hello = HelloOk(
            protocol: client.protocolVersion, server: HelloServer(version: hub.settings.version, connId: connection.id),
            features: HelloFeatures(
                methods: GatewayMethod.advertised(in: client.protocolVersion).map(\.rawValue),
                events: GatewayEvent.advertised(in: client.protocolVersion).map(\.rawValue)
            ),
            snapshot: snapshot, auth: helloAuth(client, deviceToken: deviceToken),
            policy: HelloPolicy(maxPayload: policy.maxPayload, maxBufferedBytes: policy.maxBufferedBytes, tickIntervalMs: policy.tickIntervalMs)
        )
        return try Payload(hello, version: client.protocolVersion).erased
    }

    private func helloAuth(_ client: ConnectedClient, deviceToken: DeviceAuthToken?) -> HelloAuth {
        guard let token = deviceToken else { return HelloAuth(role: client.grant.role, scopes: client.grant.scopes.sorted()) }
        return HelloAuth(deviceToken: token.token, role: token.role, scopes: token.scopes, issuedAtMs: token.rotatedAtMs ?? token.createdAtMs)
    }

    private func presenceEntry(_ client: ConnectedClient) -> PresenceEntry {
        let info = client.params.client
        let name = info.displayName ?? info.id.rawValue
        return PresenceEntry(
            host: name, ip: connection.peer.ip, version: info.version, platform: info.platform, deviceFamily: info.deviceFamily,
            modelIdentifier: info.modelIdentifier, mode: info.mode.rawValue, reason: "connect", text: "\(name) connected", ts: Int(Clock.nowMs),
            deviceId: client.deviceId, roles: [client.grant.role], scopes: client.grant.scopes.sorted(), instanceId: info.instanceId
        )
    }
}
