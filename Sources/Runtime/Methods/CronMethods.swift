// Sources/Runtime/Methods/CronMethods.swift - the `cron.*` methods

import Foundation
import Generated

extension SystemMethods {
    func cronList(_ params: CronListParams, context: MethodContext) async throws -> Payload<CronListResult> { throw Self.cronPending }
    func cronStatus(context: MethodContext) async throws -> Payload<CronStatusResult> { throw Self.cronPending }
    func cronAdd(_ params: CronAddParams, context: MethodContext) async throws -> Payload<Generated.CronJob> { throw Self.cronPending }
    func cronUpdate(_ params: CronUpdateParams, context: MethodContext) async throws -> Payload<Generated.CronJob> { throw Self.cronPending }
    func cronRemove(_ params: CronJobRef, context: MethodContext) async throws -> Payload<CronRemoveResult> { throw Self.cronPending }
    func cronRun(_ params: CronRunParams, context: MethodContext) async throws -> Payload<CronRunResult> { throw Self.cronPending }
    func cronRuns(_ params: CronRunsParams, context: MethodContext) async throws -> Payload<CronRunsResult> { throw Self.cronPending }

    /// The scheduler lands in the next commit; until then the methods are declared and answer UNAVAILABLE.
    private static var cronPending: GatewayError { GatewayError(.unavailable, "cron scheduler not started") }
}
