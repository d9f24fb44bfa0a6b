// Sources/gateway-bench/BenchOptions.swift - the few knobs of a run, from the command line

/// What to measure and how long to try.
struct BenchOptions: Sendable {
    /// Sequential handshakes timed (after a short unmeasured warm-up).
    var handshakes = 300
    /// Clients of the concurrent `health` run (a single-client run always comes first).
    var healthClients = 64
    /// Measured seconds of each `health` run (after half a second of warm-up).
    var healthSeconds = 3.0
    /// Clients connected for the broadcast fan-out.
    var fanOutClients = 1000
    /// Connect the fan-out clients with `client.mode` `cli`, which presence does not track: no
    /// presence broadcast per connect, and the measured `presence` carries one entry instead of 200.
    var untracked = false
    /// Measured `system-event` → `presence` rounds (after one warm-up round).
    var rounds = 10
    /// Measured `agent` runs of the single session, and of all sessions together in the concurrent run.
    var agentRuns = 300
    /// Sessions of the concurrent agent run (each runs sequentially; sessions run in parallel).
    var agentSessions = 32
    /// Skip the agent runs (and the fake model upstream they need).
    var agents = true
    /// Measure `POST /v1/chat/completions` through the gateway against the upstream directly.
    var http = true
    /// Concurrent clients of the second chat-completions run (the first has one).
    var httpClients = 32
    /// Measured seconds of each chat-completions run (after three unmeasured requests per client).
    var httpSeconds = 1.5
    /// The whole run gives up after this many seconds (building `openclaw` is not counted).
    var timeoutSeconds = 600.0
    /// Run `swift build --product openclaw` first.
    var build = true
    /// `gateway.sessionStore.synchronous` of the measured gateway.
    var synchronous = "full"
    /// Measure the Hummingbird reference server too and print each WebSocket row as gateway / reference.
    var reference = true

    static let usage = """
        usage: gateway-bench [--handshakes N] [--health-clients N] [--health-seconds S] [--clients N] [--rounds N]
                             [--untracked] [--agent-runs N] [--agent-sessions N] [--no-agents]
                             [--http-clients N] [--http-seconds S] [--no-http] [--timeout S] [--no-build] [--no-reference] [--synchronous full|normal]
          Starts `openclaw gateway` (built next to this binary) on a free loopback port with a temporary
          state dir and a fast scripted model upstream in this process, measures startup, handshakes,
          health round trips, agent runs (1 and --agent-sessions sessions, overhead per streamed token),
          /v1/chat/completions through the gateway and straight to the upstream (1 and --http-clients
          clients, streaming and not), presence fan-out and memory, then stops it with SIGTERM. Then the same
          WebSocket measurements against a plain Hummingbird server (this binary with --reference-server), each
          printed as gateway / reference next to its target (--no-reference skips it). Prints one metric per line and a JSON line with every number.
        """

    /// Parses the flags; throws the usage text on anything else.
    static func parse(_ arguments: [String]) throws(BenchError) -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        func value() throws(BenchError) -> String {
            guard let value = rest.popFirst() else { throw BenchError(usage) }
            return value
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--handshakes": options.handshakes = try count(value())
            case "--health-clients": options.healthClients = try count(value())
            case "--health-seconds": options.healthSeconds = try seconds(value())
            case "--clients": options.fanOutClients = try count(value())
            case "--rounds": options.rounds = try count(value())
            case "--untracked": options.untracked = true
            case "--agent-runs": options.agentRuns = try count(value())
            case "--agent-sessions": options.agentSessions = try count(value())
            case "--no-agents": options.agents = false
            case "--http-clients": options.httpClients = try count(value())
            case "--http-seconds": options.httpSeconds = try seconds(value())
            case "--no-http": options.http = false
            case "--timeout": options.timeoutSeconds = try seconds(value())
            case "--no-build": options.build = false
            case "--no-reference": options.reference = false
            case "--synchronous":
                let level = try value()
                guard level == "full" || level == "normal" else { throw BenchError(usage) }
                options.synchronous = level
            default: throw BenchError(usage)
            }
        }
        return options
    }

    private static func count(_ text: String) throws(BenchError) -> Int {
        guard let value = Int(text), value > 0 else { throw BenchError(usage) }
        return value
    }

    private static func seconds(_ text: String) throws(BenchError) -> Double {
        guard let value = Double(text), value > 0 else { throw BenchError(usage) }
        return value
    }
}
