// Sources/gateway-bench/ReferenceServer.swift - the yardstick: a plain Hummingbird WebSocket server in the gateway's frame shapes
//
//     gateway-bench --reference-server <port>
//
// The bench starts this binary a second time in this mode and measures it exactly as it measures the gateway,
// so each row can be printed as gateway / reference. It does the least a server can do with the same traffic:
// a `connect.challenge`-shaped frame on open, an `{"type":"res","id":…,"ok":true}` answer to every request
// (the id is cut out of the bytes, nothing is decoded), and for a request whose id starts with `probe`, a
// ~0.5 KB `health`-shaped event relayed to every open socket first.

import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

enum ReferenceServer {
    /// Serves on 127.0.0.1:`port` until SIGTERM or SIGINT.
    static func run(port: Int) async throws {
        let sockets = Sockets()
        let router = Router()
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { _, _, _ in
                .upgrade([:]) { inbound, outbound, _ in
                    let (frames, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
                    let id = sockets.add(sink)
                    defer { sockets.remove(id) }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await frame in frames { try await outbound.write(.text(frame)) }
                        }
                        sink.yield(challenge)
                        for try await message in inbound.messages(maxSize: 1 << 26) {
                            guard case .text(let text) = message else { continue }
                            let requestId = Self.requestId(in: text)
                            if requestId.hasPrefix("probe") { sockets.broadcast(healthEvent) }
                            sink.yield(#"{"type":"res","id":"\#(requestId)","ok":true}"#)
                        }
                        sink.finish()
                        group.cancelAll()
                    }
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "reference", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "reference", factory: { _ in SwiftLogNoOpLogHandler() }))
        )
        try await group.run()
    }

    static let challenge = #"{"type":"event","event":"connect.challenge","payload":{"nonce":"00000000-0000-0000-0000-000000000000","ts":0}}"#

    /// About the size of the gateway's `health` broadcast.
    static let healthEvent = #"{"type":"event","event":"health","payload":{"ok":true,"padding":""# + String(repeating: "x", count: 480) + #""},"seq":1}"#

    /// The string after the first `"id":"`, up to the next quote (request ids carry no escapes in the bench).
    static func requestId(in text: String) -> Substring {
        guard let start = text.range(of: #""id":""#)?.upperBound, let end = text[start...].firstIndex(of: "\"") else { return "" }
        return text[start..<end]
    }

    /// Every open socket's outbound queue.
    final class Sockets: Sendable {
        private let state = Mutex<(next: Int, sinks: [Int: AsyncStream<String>.Continuation])>((0, [:]))

        func add(_ sink: AsyncStream<String>.Continuation) -> Int {
            state.withLock { state in
                state.next += 1
                state.sinks[state.next] = sink
                return state.next
            }
        }

        func remove(_ id: Int) { _ = state.withLock { $0.sinks.removeValue(forKey: id) } }

        func broadcast(_ frame: String) {
            for sink in state.withLock({ Array($0.sinks.values) }) { sink.yield(frame) }
        }
    }
}
