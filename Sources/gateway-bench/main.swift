// Sources/gateway-bench/main.swift - entry point: start the gateway, run every measurement, print the report
//
//     swift run -c release gateway-bench [--clients N] [--rounds N] [--timeout S] ...
//
// Metric lines and a final JSON line go to stdout; progress and errors go to stderr.

import Foundation

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
    let gateway = try GatewayProcess.launch(executable: executable, config: upstream?.gatewayConfig(chatCompletions: options.http))
    Lifetime.shared.track(gateway)
    log("gateway \(executable.path) (PID \(gateway.pid)) on \(gateway.url), state in \(gateway.stateDir.path)")
    let report = Report()
    let termination = try await Benchmark(options: options, gateway: gateway, report: report, upstream: upstream).run()
    await upstream?.stop()
    emit(report.json)
    gateway.removeStateDir()
    exit(termination.code == 0 ? 0 : 1)
} catch {
    Lifetime.shared.exit(status: 1, message: "\(error)")
}
