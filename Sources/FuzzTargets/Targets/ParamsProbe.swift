// Sources/FuzzTargets/Targets/ParamsProbe.swift - a method handler that stops right after the generated table decoded params

import Foundation
import Generated
import ProtocolSupport

/// Implements every method of the generated `GatewayMethodHandler` by throwing what it was given, so
/// `GatewayMethod.call` exercises exactly the dispatch path's params decoding (the type the table names, the
/// protocol version's fields) and nothing after it. A method added to the spec fails the build here until
/// it is listed, which keeps the params target complete.
struct ParamsProbe: GatewayMethodHandler {
    /// Thrown by every handler method: the decoded params (nil for a method without params).
    struct Decoded: Error {
        /// Encodes the value for `version`, decodes it again and compares; the problem, or nil when equal.
        let roundTrip: @Sendable (Int?) -> String?

        init<T: Codable & Hashable & Sendable>(_ value: T) {
            roundTrip = { version in
                do {
                    let encoded = try WireJSON.encode(value, version: version)
                    let again = try WireJSON.decode(T.self, from: Data(encoded), version: version)
                    return again == value ? nil : "\(T.self) changed in a round trip: \(String(decoding: encoded.prefix(300), as: UTF8.self))"
                } catch {
                    return "\(T.self) does not round-trip: \(error)"
                }
            }
        }

        init(_ none: Never?) {
            roundTrip = { _ in nil }
        }
    }

    /// Idempotent methods go straight to their handler: the probe is about params, not replays.
    func idempotent(_ key: IdempotencyKey, context: Void, call: (Void) async throws -> EncodedJSON) async throws -> EncodedJSON {
        try await call(context)
    }

    func agent(_ params: AgentParams, context: Void) async throws -> Payload<AgentRunResult> { throw Decoded(params) }
    func agentWait(_ params: AgentWaitParams, context: Void) async throws -> Payload<AgentWaitResult> { throw Decoded(params) }
    func agentIdentityGet(_ params: AgentIdentityParams, context: Void) async throws -> Payload<AgentIdentity> { throw Decoded(params) }
    func agentsList(context: Void) async throws -> Payload<AgentsListResult> { throw Decoded(nil) }
    func modelsList(_ params: ModelsListParams, context: Void) async throws -> Payload<ModelsListResult> { throw Decoded(params) }
    func channelsStatus(_ params: ChannelsStatusParams, context: Void) async throws -> Payload<ChannelsStatusResult> { throw Decoded(params) }
    func channelsLogout(_ params: ChannelsLogoutParams, context: Void) async throws -> Payload<ChannelsLogoutResult> { throw Decoded(params) }
    func send(_ params: SendParams, context: Void) async throws -> Payload<SendResult> { throw Decoded(params) }
    func chatSend(_ params: ChatSendParams, context: Void) async throws -> Payload<ChatSendResult> { throw Decoded(params) }
    func chatHistory(_ params: ChatHistoryParams, context: Void) async throws -> Payload<ChatHistoryResult> { throw Decoded(params) }
    func chatAbort(_ params: ChatAbortParams, context: Void) async throws -> Payload<ChatAbortResult> { throw Decoded(params) }
    func chatInject(_ params: ChatInjectParams, context: Void) async throws -> Payload<ChatInjectResult> { throw Decoded(params) }
    func configGet(context: Void) async throws -> Payload<ConfigSnapshot> { throw Decoded(nil) }
    func configSchema(context: Void) async throws -> Payload<ConfigSchemaResult> { throw Decoded(nil) }
    func configSet(_ params: ConfigSetParams, context: Void) async throws -> Payload<ConfigWriteResult> { throw Decoded(params) }
    func configPatch(_ params: ConfigPatchParams, context: Void) async throws -> Payload<ConfigWriteResult> { throw Decoded(params) }
    func configApply(_ params: ConfigApplyParams, context: Void) async throws -> Payload<ConfigWriteResult> { throw Decoded(params) }
    func devicePairList(context: Void) async throws -> Payload<DevicePairListResult> { throw Decoded(nil) }
    func devicePairApprove(_ params: DevicePairRequestIdParams, context: Void) async throws -> Payload<DevicePairApproveResult> { throw Decoded(params) }
    func devicePairReject(_ params: DevicePairRequestIdParams, context: Void) async throws -> Payload<DevicePairRejectResult> { throw Decoded(params) }
    func devicePairRemove(_ params: DeviceIdParams, context: Void) async throws -> Payload<DeviceIdParams> { throw Decoded(params) }
    func deviceTokenRotate(_ params: DeviceTokenRotateParams, context: Void) async throws -> Payload<DeviceTokenRotateResult> { throw Decoded(params) }
    func deviceTokenRevoke(_ params: DeviceTokenRevokeParams, context: Void) async throws -> Payload<DeviceTokenRevokeResult> { throw Decoded(params) }
    func logsTail(_ params: LogsTailParams, context: Void) async throws -> Payload<LogsTailResult> { throw Decoded(params) }
    func wake(_ params: WakeParams, context: Void) async throws -> Payload<OkResult> { throw Decoded(params) }
    func setHeartbeats(_ params: SetHeartbeatsParams, context: Void) async throws -> Payload<SetHeartbeatsResult> { throw Decoded(params) }
    func cronList(_ params: CronListParams, context: Void) async throws -> Payload<CronListResult> { throw Decoded(params) }
    func cronStatus(context: Void) async throws -> Payload<CronStatusResult> { throw Decoded(nil) }
    func cronAdd(_ params: CronAddParams, context: Void) async throws -> Payload<CronJob> { throw Decoded(params) }
    func cronUpdate(_ params: CronUpdateParams, context: Void) async throws -> Payload<CronJob> { throw Decoded(params) }
    func cronRemove(_ params: CronJobRef, context: Void) async throws -> Payload<CronRemoveResult> { throw Decoded(params) }
    func cronRun(_ params: CronRunParams, context: Void) async throws -> Payload<CronRunResult> { throw Decoded(params) }
    func cronRuns(_ params: CronRunsParams, context: Void) async throws -> Payload<CronRunsResult> { throw Decoded(params) }
    func sessionsList(_ params: SessionsListParams, context: Void) async throws -> Payload<SessionsListResult> { throw Decoded(params) }
    func sessionsPreview(_ params: SessionsPreviewParams, context: Void) async throws -> Payload<SessionsPreviewResult> { throw Decoded(params) }
    func sessionsResolve(_ params: SessionsResolveParams, context: Void) async throws -> Payload<SessionsResolveResult> { throw Decoded(params) }
    func sessionsPatch(_ params: SessionsPatchParams, context: Void) async throws -> Payload<SessionsPatchResult> { throw Decoded(params) }
    func sessionsReset(_ params: SessionsResetParams, context: Void) async throws -> Payload<SessionsPatchResult> { throw Decoded(params) }
    func sessionsDelete(_ params: SessionsDeleteParams, context: Void) async throws -> Payload<SessionsDeleteResult> { throw Decoded(params) }
    func health(_ params: HealthParams, context: Void) async throws -> Payload<HealthSummary> { throw Decoded(params) }
    func status(context: Void) async throws -> Payload<StatusSummary> { throw Decoded(nil) }
    func systemPresence(context: Void) async throws -> Payload<[PresenceEntry]> { throw Decoded(nil) }
    func systemEvent(_ params: SystemEventParams, context: Void) async throws -> Payload<OkResult> { throw Decoded(params) }
    func lastHeartbeat(context: Void) async throws -> Payload<HeartbeatEvent?> { throw Decoded(nil) }
}
