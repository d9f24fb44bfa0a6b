// Sources/Runtime/Devices/DeviceAdmission.swift - the pairing step of `connect` for a signed device

import Foundation
import Generated

/// How the connect authenticated (upstream's `authMethod`): it decides who may skip pairing.
enum ConnectAuthMethod: Sendable, Equatable {
    /// `gateway.auth.mode: none`.
    case none
    /// The gateway token or password.
    case sharedSecret
    /// A paired device's own token (`auth.deviceToken`, or `auth.token` as a fallback).
    case deviceToken
}

/// Decides, after a valid signature and successful auth, whether a device may connect now
/// (reference/pairing.md §1.2–§1.3): already paired for this role and these scopes, approved silently
/// (a direct local connection asking to pair or for a new role), or refused with a pending request.
struct DeviceAdmission {
    let hub: GatewayHub
    let peer: PeerAddress

    /// The device may connect: with these scopes, and this token for `hello-ok.auth` (nil when none applies).
    struct Admitted {
        var scopes: [String]
        var token: DeviceAuthToken?
    }

    /// The device must be approved first; `requestId` names its pending request.
    struct PairingRequired: Error {
        var reason: PairingReason
        var requestId: String
        /// What the device's pairing covers now (nil for an unpaired device).
        var approvedRoles: [String]?
        var approvedScopes: [String]?
    }

    func admit(_ params: ConnectParams, device: ConnectDevice, role: String, scopes: [String], auth: ConnectAuthMethod) async throws -> Admitted {
        let store = hub.devices
        let claim = DeviceClaim(
            deviceId: device.id, publicKey: device.publicKey, displayName: params.client.displayName, platform: params.client.platform,
            deviceFamily: params.client.deviceFamily, clientId: params.client.id.rawValue, clientMode: params.client.mode.rawValue, role: role,
            scopes: scopes, remoteIp: peer.isDirectLoopback ? nil : peer.ip
        )
        let record = try await store.pairedDevice(device.id)
        guard let reason = PairingRequirement.reason(for: claim, record: record) else {
            try await store.recordConnect(claim)
            return Admitted(scopes: scopes, token: try await store.ensureToken(deviceId: device.id, role: role, scopes: scopes))
        }
        // Local backends holding the shared secret are trusted without pairing until they pair.
        if reason == .notPaired && auth != .deviceToken && peer.isDirectLoopback && params.client.id == .gatewayClient && params.client.mode == .backend {
            return Admitted(scopes: scopes, token: nil)
        }
        let silent = isLocalDirect(params) && (reason == .notPaired || reason == .roleUpgrade)
        let (request, created, superseded) = try await store.request(claim, silent: silent, isRepair: record != nil)
        // v4 connections hear that the replaced requests are gone; `superseded` does not exist in v3, so the
        // generated encoder keeps the event from v3 connections (upstream's v3 servers dropped them silently).
        for old in superseded { hub.announcePairingResolved(old, decision: .superseded) }
        guard silent else {
            if created, let event = try? OutboundEvent.devicePairRequested(request) { hub.broadcast(event) }
            hub.logger.info(
                "device pairing required", metadata: ["deviceId": "\(device.id)", "reason": "\(reason.rawValue)", "requestId": "\(request.requestId)"])
            throw PairingRequired(reason: reason, requestId: request.requestId, approvedRoles: record?.roles, approvedScopes: record?.scopes)
        }
        guard try await store.approve(request.requestId) != nil else {
            throw PairingRequired(reason: reason, requestId: request.requestId, approvedRoles: record?.roles, approvedScopes: record?.scopes)
        }
        hub.announcePairingResolved(request, decision: .approved)
        hub.logger.info("device paired silently (local)", metadata: ["deviceId": "\(device.id)", "reason": "\(reason.rawValue)"])
        return Admitted(scopes: scopes, token: try await store.ensureToken(deviceId: device.id, role: role, scopes: scopes))
    }

    /// Upstream's v3-mid silent-approval locality: a loopback peer without forwarding headers, a local `Host`,
    /// and no browser page behind it unless the client is the Control UI or webchat.
    private func isLocalDirect(_ params: ConnectParams) -> Bool {
        guard peer.isDirectLoopback, let host = peer.host, Self.isLocalHost(host) else { return false }
        let browserClient = params.client.id == .openclawControlUi || params.client.id == .webchatUi || params.client.mode == .webchat
        return browserClient || !Self.isBrowserOrigin(peer.origin)
    }

    /// `localhost`, `127.0.0.1`, `::1` or a `*.ts.net` name, with or without a port.
    static func isLocalHost(_ authority: String) -> Bool {
        var host = authority.lowercased()
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<end])
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])
        }
        return host == "localhost" || host == "127.0.0.1" || host == "::1" || host.hasSuffix(".ts.net")
    }

    /// WebSocket libraries send `ws://…` origins of their own; a browser sends its page's `http(s)` origin (or `null`).
    static func isBrowserOrigin(_ origin: String?) -> Bool {
        guard let origin = origin?.lowercased(), !origin.isEmpty else { return false }
        return !(origin.hasPrefix("ws://") || origin.hasPrefix("wss://"))
    }
}
