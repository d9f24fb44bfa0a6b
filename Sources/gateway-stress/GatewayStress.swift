// Sources/gateway-stress/GatewayStress.swift - entry point: `fuzz`, `soak` and `chaos` (docs/reliability.md)
//
//     swift run -c release gateway-stress fuzz [--target X] [--seconds N | --iterations N] [--seed S]
//     swift run -c release gateway-stress soak --clients N --minutes M
//     swift run -c release gateway-stress chaos --rounds K

import ArgumentParser

/// The reliability checks that keep the gateway honest: parsers under mutated input, a gateway under hours
/// of mixed load, and a gateway killed with SIGKILL mid-write. Each exits non-zero when its rule is broken,
/// so CI runs short versions of all three (`scripts/test`).
@main
struct GatewayStress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-stress",
        abstract: "Fuzz the parsers, soak a gateway process, or kill one mid-write and check what it kept.",
        subcommands: [FuzzCommand.self, SoakCommand.self, ChaosCommand.self]
    )
}
