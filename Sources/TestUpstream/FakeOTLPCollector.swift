// Sources/TestUpstream/FakeOTLPCollector.swift - an OTLP/HTTP (JSON) collector on 127.0.0.1 that keeps what it receives

import Foundation
import Hummingbird
import Logging
import NIOCore
import ProtocolSupport
import ServiceLifecycle
import Synchronization

/// Accepts `POST /v1/traces` and `POST /v1/logs` in OTLP's JSON encoding (`diagnostics.otel.protocol: http/json`),
/// answers `{}` as a collector does, and keeps the spans and log records flattened for assertions. Tests await what
/// they expect with `waitUntil`, which wakes on every batch instead of polling.
public final class FakeOTLPCollector: Sendable {
    public struct Span: Sendable, CustomStringConvertible {
        public var name: String
        /// Lower-case hex, 32 digits.
        public var traceId: String
        public var spanId: String
        /// Empty for a root span.
        public var parentSpanId: String
        /// OTLP's `SpanKind` number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
        public var kind: Int
        public var attributes: [String: String]
        /// OTLP's status code: 0 unset, 1 ok, 2 error.
        public var statusCode: Int
        public var serviceName: String?

        public var description: String { "\(name) trace=\(traceId) parent=\(parentSpanId) \(attributes)" }
    }

    public struct LogRecord: Sendable {
        public var body: String
        public var severity: String
        public var traceId: String
        public var attributes: [String: String]
    }

    public let spans = Mutex<[Span]>([])
    public let logs = Mutex<[LogRecord]>([])
    /// Requests whose body was not OTLP JSON (kept so a test can say what arrived).
    public let rejected = Mutex<[String]>([])
    private let waiters = Mutex<[UUID: AsyncStream<Void>.Continuation]>([:])
    private let started = Mutex<CheckedContinuation<Int, Never>?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    public init() {}

    /// Starts on an ephemeral port and returns the collector's base URL (`http://127.0.0.1:<port>`).
    public func start() async -> String {
        let router = Router()
        router.post("v1/traces") { request, _ in try await self.receive(request, signal: "traces") }
        router.post("v1/logs") { request, _ in try await self.receive(request, signal: "logs") }
        let quiet = Logger(label: "fake-otlp", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.started.withLock { $0 }?.resume(returning: channel.localAddress?.port ?? 0) },
            logger: quiet
        )
        let port = await withCheckedContinuation { continuation in
            started.withLock { $0 = continuation }
            let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
            self.group.withLock { $0 = group }
            task.withLock { $0 = Task { try await group.run() } }
        }
        return "http://127.0.0.1:\(port)"
    }

    public func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
        for waiter in waiters.withLock({ Array($0.values) }) { waiter.finish() }
    }

    /// Returns true as soon as `condition` holds for what has arrived, false if `timeout` passes first (a failsafe
    /// for a broken exporter, not a measured wait: every batch that arrives wakes this up to check again).
    public func waitUntil(timeout: Duration = .seconds(30), _ condition: @escaping @Sendable ([Span], [LogRecord]) -> Bool) async -> Bool {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let id = UUID()
        waiters.withLock { $0[id] = continuation }
        defer { waiters.withLock { $0[id] = nil } }
        let check = { condition(self.spans.withLock { $0 }, self.logs.withLock { $0 }) }
        if check() { return true }
        let failsafe = Task {
            try? await Task.sleep(for: timeout)
            continuation.finish()
        }
        defer { failsafe.cancel() }
        for await _ in stream where check() { return true }
        return check()
    }

    private func receive(_ request: Request, signal: String) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
        switch (signal, json) {
        case ("traces", .some(let json)): spans.withLock { $0 += Self.spans(in: json) }
        case ("logs", .some(let json)): logs.withLock { $0 += Self.logs(in: json) }
        default: rejected.withLock { $0.append("\(signal): \(request.headers[.contentType] ?? "no content-type") \(body.readableBytes) bytes") }
        }
        for waiter in waiters.withLock({ Array($0.values) }) { waiter.yield() }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    // MARK: - OTLP JSON

    static func spans(in json: JSONValue) -> [Span] {
        var out: [Span] = []
        for resource in json["resourceSpans"]?.arrayValue ?? [] {
            let service = attributes(resource["resource"]?["attributes"])["service.name"]
            for scope in resource["scopeSpans"]?.arrayValue ?? [] {
                for span in scope["spans"]?.arrayValue ?? [] {
                    out.append(
                        Span(
                            name: span["name"]?.stringValue ?? "", traceId: hex(span["traceId"]), spanId: hex(span["spanId"]),
                            parentSpanId: hex(span["parentSpanId"]), kind: number(span["kind"]), attributes: attributes(span["attributes"]),
                            statusCode: number(span["status"]?["code"]), serviceName: service
                        )
                    )
                }
            }
        }
        return out
    }

    static func logs(in json: JSONValue) -> [LogRecord] {
        var out: [LogRecord] = []
        for resource in json["resourceLogs"]?.arrayValue ?? [] {
            for scope in resource["scopeLogs"]?.arrayValue ?? [] {
                for record in scope["logRecords"]?.arrayValue ?? [] {
                    out.append(
                        LogRecord(
                            body: text(record["body"]) ?? "", severity: record["severityText"]?.stringValue ?? "",
                            traceId: hex(record["traceId"]), attributes: attributes(record["attributes"])
                        )
                    )
                }
            }
        }
        return out
    }

    /// OTLP's `[{key, value: {stringValue|intValue|boolValue|doubleValue}}]` as plain text by key.
    static func attributes(_ list: JSONValue?) -> [String: String] {
        var out: [String: String] = [:]
        for entry in list?.arrayValue ?? [] {
            if let key = entry["key"]?.stringValue, let value = text(entry["value"]) { out[key] = value }
        }
        return out
    }

    static func text(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        if let text = value["stringValue"]?.stringValue { return text }
        for key in ["intValue", "doubleValue", "boolValue"] {
            if let scalar = value[key] { return scalar.stringValue ?? scalar.intValue.map { String($0) } ?? "\(scalar)" }
        }
        return nil
    }

    /// An id as lower-case hex: OTLP/JSON says hex, protobuf's JSON mapping of `bytes` says base64; accept both.
    static func hex(_ value: JSONValue?) -> String {
        guard let text = value?.stringValue, !text.isEmpty else { return "" }
        if text.count % 2 == 0, text.allSatisfy(\.isHexDigit), text.count == 16 || text.count == 32 { return text.lowercased() }
        guard let data = Data(base64Encoded: text) else { return text }
        return data.map { String(format: "%02x", $0) }.joined()
    }

    static func number(_ value: JSONValue?) -> Int {
        value?.intValue ?? value?.stringValue.flatMap { Int($0) } ?? 0
    }
}
