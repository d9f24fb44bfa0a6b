// Sources/Runtime/Methods/CronMethods.swift - the `cron.*` methods

import Foundation
import Generated

/// Thin: the scheduler (`CronService`) owns the store and answers each method.
extension SystemMethods {
    func cronList(_ params: CronListParams, context: MethodContext) async throws -> Payload<CronListResult> {
        try Payload(try await hub.automation.cron.list(params))
    }

    func cronStatus(context: MethodContext) async throws -> Payload<CronStatusResult> {
        try Payload(try await hub.automation.cron.status())
    }

    func cronAdd(_ params: CronAddParams, context: MethodContext) async throws -> Payload<CronJob> {
        try Payload(try await hub.automation.cron.add(params))
    }

    func cronUpdate(_ params: CronUpdateParams, context: MethodContext) async throws -> Payload<CronJob> {
        try Payload(try await hub.automation.cron.update(params))
    }

    func cronRemove(_ params: CronJobRef, context: MethodContext) async throws -> Payload<CronRemoveResult> {
        try Payload(try await hub.automation.cron.remove(params))
    }

    func cronRun(_ params: CronRunParams, context: MethodContext) async throws -> Payload<CronRunResult> {
        try Payload(try await hub.automation.cron.run(params))
    }

    func cronRuns(_ params: CronRunsParams, context: MethodContext) async throws -> Payload<CronRunsResult> {
        try Payload(try await hub.automation.cron.runs(params))
    }
}
