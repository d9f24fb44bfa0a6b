// Sources/Runtime/Diagnostics/OTel/OTelExporterService.swift - the OTLP exporters' background work, as one gateway service

import Logging
import ServiceLifecycle

/// Runs swift-otel's tracing and logging backends (each its own small service group: exporter, batch processor) for
/// as long as the gateway runs. It is listed first in the gateway's `ServiceGroup`, so a graceful stop reaches it last
/// and the backends flush what the shutdown itself recorded.
///
/// The backends run side by side in child tasks rather than as members of one group: a group stops its members one
/// after the other, and with the collector unreachable each final flush waits out its export timeout, so the stop
/// would wait for the sum. Telemetry must never take the gateway down either: a backend that fails is logged, and this
/// service keeps its place until the gateway stops (a service returning early would end the whole group).
struct OTelExporterService: Service {
    let services: [any Service]
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for service in services {
                group.addTask {
                    do {
                        try await service.run()
                    } catch {
                        logger.error("[otel] the OTLP exporter stopped: \(error); OpenTelemetry export is off until the gateway restarts")
                    }
                }
            }
        }
        try? await gracefulShutdown()
    }
}
