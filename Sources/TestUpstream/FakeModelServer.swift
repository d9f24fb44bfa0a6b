// Sources/TestUpstream/FakeModelServer.swift - a scripted OpenAI/Anthropic-style upstream on 127.0.0.1

import Foundation
import Hummingbird
import Logging
import NIOCore
import ProtocolSupport
import ServiceLifecycle
import Synchronization

/// A model API that answers each request with the next scripted reply and records what it got.
/// Serves `POST /v1/chat/completions` and `POST /v1/messages`. Each `send` is one write (flushed),
/// so a script controls where chunk boundaries fall.
public final class FakeModelServer: Sendable {
    public enum Step: Sendable {
        /// One write.
        case send(String)
        /// Keep-alive comments every 20 ms until the client goes away (then `disconnects` yields).
        case hang
        /// Abort the connection mid-body.
        case disconnect
        /// Wait before the next step (a slow upstream).
        case pause(Duration)
    }

    public struct Reply: Sendable {
        public var status: Int = 200
        public var headers: [String: String] = [:]
        public var steps: [Step]
        /// Withhold the response head until the server stops (a server that accepts but never answers).
        public var holdHead = false

        public init(status: Int = 200, headers: [String: String] = [:], steps: [Step], holdHead: Bool = false) {
            self.status = status
            self.headers = headers
            self.steps = steps
            self.holdHead = holdHead
        }

        public static func sse(_ steps: [Step]) -> Reply { Reply(steps: steps) }
        public static func error(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Reply {
            Reply(status: status, headers: headers.merging(["content-type": "application/json"]) { a, _ in a }, steps: [.send(body)])
        }
    }

    public struct Recorded: Sendable {
        public var path: String
        public var headers: [String: String]
        public var body: JSONValue
    }

    public let requests = Mutex<[Recorded]>([])
    /// Yields once per request, after it is recorded.
    public let arrivals: AsyncStream<Void>
    private let arrived: AsyncStream<Void>.Continuation
    /// Yields once per connection the server saw the client close while it was still streaming.
    public let disconnects: AsyncStream<Void>
    private let disconnected: AsyncStream<Void>.Continuation
    private let replies: Mutex<[Reply]>
    private let gate: AsyncStream<Void>
    private let gateOpen: AsyncStream<Void>.Continuation
    private let started = Mutex<CheckedContinuation<Int, Never>?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    /// Answers requests that arrive after the script ran out (nil: HTTP 500 "script exhausted").
    private let fallback: Reply?

    public init(replies: [Reply], fallback: Reply? = nil) {
        self.replies = Mutex(replies)
        self.fallback = fallback
        (disconnects, disconnected) = AsyncStream.makeStream(of: Void.self)
        (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        (gate, gateOpen) = AsyncStream.makeStream(of: Void.self)
    }

    public var requestCount: Int { requests.withLock { $0.count } }

    /// Appends replies to the script.
    public func enqueue(_ more: [Reply]) {
        replies.withLock { $0 += more }
    }

    /// Starts on an ephemeral port and returns the base URL (`http://127.0.0.1:<port>/v1`).
    public func start() async -> String {
        let router = Router()
        router.post("v1/chat/completions") { request, context in try await self.answer(request, context) }
        router.post("v1/messages") { request, context in try await self.answer(request, context) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                self.started.withLock { $0 }?.resume(returning: channel.localAddress?.port ?? 0)
            },
            logger: Logger(label: "fake-model", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let port = await withCheckedContinuation { continuation in
            started.withLock { $0 = continuation }
            // Stopped by graceful shutdown: a cancelled server can drop a connection it is accepting,
            // which NIO treats as fatal (seen once in CI).
            let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "fake-model", factory: { _ in SwiftLogNoOpLogHandler() })))
            self.group.withLock { $0 = group }
            task.withLock { $0 = Task { try await group.run() } }
        }
        return "http://127.0.0.1:\(port)/v1"
    }

    public func stop() async {
        gateOpen.finish()
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
        disconnected.finish()
        arrived.finish()
    }

    private func answer(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))) ?? .null
        requests.withLock { $0.append(Recorded(path: request.uri.path, headers: headers, body: json)) }
        arrived.yield()
        let fallback = self.fallback
        let reply = replies.withLock { replies in
            if !replies.isEmpty { return replies.removeFirst() }
            return fallback ?? Reply(status: 500, steps: [.send(#"{"error":{"message":"script exhausted"}}"#)])
        }
        if reply.holdHead { for await _ in gate {} }
        var fields: HTTPFields = [:]
        fields[.contentType] = "text/event-stream"
        for (name, value) in reply.headers { fields[HTTPFields.Element.Name(name)!] = value }
        let disconnected = self.disconnected
        return Response(
            status: .init(code: reply.status), headers: fields,
            body: ResponseBody { writer in
                for step in reply.steps {
                    switch step {
                    case .send(let text):
                        try await writer.write(ByteBuffer(string: text))
                    case .hang:
                        do {
                            while true {
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                                try await Task.sleep(for: .milliseconds(20))
                            }
                        } catch {
                            disconnected.yield()
                            throw error
                        }
                    case .disconnect:
                        throw CancellationError()
                    case .pause(let duration):
                        try await Task.sleep(for: duration)
                    }
                }
                try await writer.finish(nil)
            })
    }
}

/// Awaits `operation`, failing after `seconds` instead of hanging the suite.
public func within<T: Sendable>(_ seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw TimeoutError(seconds: seconds)
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}

public struct TimeoutError: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "gave up after \(seconds) s" }
}
