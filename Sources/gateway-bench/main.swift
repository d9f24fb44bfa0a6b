// Sources/gateway-bench/main.swift - entry point: start the gateway, run every measurement, print the report
//
//     swift run -c release gateway-bench [--clients N] [--rounds N] [--timeout S] ...
//     swift run -c release gateway-bench cron-tick [--jobs 1000] [--ticks 200]
//
// Metric lines and a final JSON line go to stdout; progress and errors go to stderr.

import Foundation
import Runtime

if CommandLine.arguments.dropFirst().first == "--reference-server", let port = CommandLine.arguments.dropFirst(2).first.flatMap({ Int($0) }) {
    do {
        try await ReferenceServer.run(port: port)
        exit(0)
    } catch {
        log("reference server: \(error)")
        exit(1)
    }
}

if CommandLine.arguments.dropFirst().first == "cron-tick" {
    do {
        try CronTickBench.run(Array(CommandLine.arguments.dropFirst(2)))
        exit(0)
    } catch {
        log("cron-tick: \(error)")
        exit(1)
    }
}

let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    log(error.description)
    exit(64)
}

Lifetime.raiseFileLimit(to: 8192)
Lifetime.shared.handleSignals()
do {
    let executable = try OpenClawExecutable.locate(build: options.build)
    Lifetime.shared.startDeadline(seconds: options.timeoutSeconds)
    // The fast model upstream of the agent runs and chat completions lives in this process; the gateway's config points at it.
    let upstream = options.agents || options.http ? await BenchUpstream.start(tokens: 64) : nil
    let gateway = try GatewayProcess.launch(
        executable: executable, config: upstream?.gatewayConfig(chatCompletions: options.http, synchronous: options.synchronous))
    Lifetime.shared.track(gateway)
    log("gateway \(executable.path) (PID \(gateway.pid)) on \(gateway.url), state in \(gateway.stateDir.path)")
    let report = Report()
    let termination = try await Benchmark(options: options, gateway: gateway, report: report, upstream: upstream).run()
    await upstream?.stop()
    // The broadcast row is timed after the connects' presence lists drained, so it measures the broadcast itself;
    // this is how long the throttle may hold a presence change back with that many sockets.
    report.record(
        "presence_throttle_ms", Double(PresenceThrottle.intervalMs(connections: options.fanOutClients + 1)), decimals: 0, unit: "ms",
        label: "presence throttle at \(options.fanOutClients + 1) sockets (at most)"
    )
    if options.http { HTTPTargets(report: report).record(clients: options.httpClients) }
    if options.reference {
        // The same WebSocket measurements against a plain Hummingbird server, started after the gateway has exited.
        let reference = try GatewayProcess.launchReference()
        Lifetime.shared.track(reference)
        log("reference server (PID \(reference.pid)) on \(reference.url)")
        let referenceReport = Report(labelPrefix: "reference: ")
        try await Benchmark(options: options, gateway: reference, report: referenceReport, upstream: nil).runReference()
        reference.removeStateDir()
        ReferenceRatios(gateway: report, reference: referenceReport).record(into: report)
    }
    emit(report.json)
    gateway.removeStateDir()
    exit(termination.code == 0 ? 0 : 1)
} catch {
    Lifetime.shared.exit(status: 1, message: "\(error)")
}
