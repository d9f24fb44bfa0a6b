// Sources/gateway-bench/BenchClient.swift - a lean gateway client: frames matched by bytes, never decoded

import Foundation
import Generated
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// One WebSocket to the gateway, waiting for one frame at a time, plus any number of answers by
/// request id (`request(_:id:until:)`, for several agent runs in flight on one socket).
///
/// A wait is armed before whatever provokes the frame (opening the socket, sending a request), so a
/// fast answer is never missed; frames nobody waits for are dropped. Frames are recognised by their
/// first bytes and, for events, a marker somewhere in them — the gateway writes frames in a fixed
/// shape (`FrameWriter`), so a thousand clients in one process stay cheap.
final class BenchClient: Sendable {
    /// A frame the client waits for.
    struct Expectation: Sendable {
        /// The frame's first bytes.
        let prefix: [UInt8]
        /// Bytes that must occur somewhere in the frame.
        let marker: [UInt8]?
        /// A response: the byte after `prefix` is the start of `true` or `false`.
        let isResponse: Bool
        /// A response containing these bytes is an interim answer (the `accepted` ack of `agent`): skipped.
        var interim: [UInt8]? = nil

        /// The response to request `id`; an `ok:false` response fails the wait.
        static func response(id: String) -> Expectation {
            var prefix = Array(#"{"type":"res","id":"#.utf8)
            FrameWriter.appendString(id, to: &prefix)
            prefix += #","ok":"#.utf8
            return Expectation(prefix: prefix, marker: nil, isResponse: true)
        }

        /// The last answer to request `id` (an `ok:true` response without `interim`), which must contain
        /// `marker`; an `ok:false` response or a last answer without `marker` fails the wait.
        static func finalResponse(id: String, interim: String, containing marker: String) -> Expectation {
            Expectation(prefix: response(id: id).prefix, marker: Array(marker.utf8), isResponse: true, interim: Array(interim.utf8))
        }

        /// An event, optionally one whose frame contains `marker`.
        static func event(_ event: GatewayEvent, containing marker: String? = nil) -> Expectation {
            var prefix = Array(#"{"type":"event","event":"#.utf8)
            FrameWriter.appendString(event.rawValue, to: &prefix)
            prefix += ",".utf8
            return Expectation(prefix: prefix, marker: marker.map { Array($0.utf8) }, isResponse: false)
        }

        /// nil when `frame` is not the awaited one, else whether it satisfies the wait.
        func verdict(on frame: UnsafeRawBufferPointer) -> Result<Void, BenchError>? {
            guard frame.count > prefix.count, frame.starts(with: prefix) else { return nil }
            guard isResponse else {
                if let marker, !Self.contains(frame, marker) { return nil }
                return .success(())
            }
            if frame[prefix.count] != UInt8(ascii: "t") {
                return .failure(BenchError("request failed: \(String(decoding: frame.prefix(400), as: UTF8.self))"))
            }
            if let interim, Self.contains(frame, interim) { return nil }
            if let marker, !Self.contains(frame, marker) {
                return .failure(BenchError("unexpected answer: \(String(decoding: frame.prefix(400), as: UTF8.self))"))
            }
            return .success(())
        }

        private static func contains(_ frame: UnsafeRawBufferPointer, _ marker: [UInt8]) -> Bool {
            guard let first = marker.first, frame.count >= marker.count, let base = frame.baseAddress else { return false }
            return marker.withUnsafeBytes { needle in
                for offset in 0...(frame.count - marker.count) where frame[offset] == first {
                    if memcmp(base + offset, needle.baseAddress!, marker.count) == 0 { return true }
                }
                return false
            }
        }
    }

    /// An armed wait: what to match and, once matched, when.
    private struct Wait {
        var expectation: Expectation
        var outcome: Result<ContinuousClock.Instant, BenchError>?
        var continuation: CheckedContinuation<ContinuousClock.Instant, any Error>?
    }

    private struct State {
        var outbound: WebSocketOutboundWriter?
        var socket: Task<Void, Never>?
        var wait: Wait?
        /// Waits for answers, by request id.
        var answers: [String: Wait] = [:]
        /// Why the socket is gone, once it is.
        var ended: BenchError?
    }

    private let url: String
    private let traffic: Traffic
    private let state = Mutex(State())

    private init(url: String, traffic: Traffic) {
        self.url = url
        self.traffic = traffic
    }

    /// Opens a socket and waits for its `connect.challenge`.
    static func open(url: String, traffic: Traffic) async throws -> BenchClient {
        let client = BenchClient(url: url, traffic: traffic)
        client.arm(.event(.connectChallenge))
        client.start()
        try await client.settle()
        return client
    }

    /// Opens a socket and completes the handshake with `connectFrame` (whose id must be `connectId`).
    static func connect(url: String, connectFrame: String, traffic: Traffic) async throws -> BenchClient {
        let client = try await open(url: url, traffic: traffic)
        do {
            try await client.call(connectFrame, id: Frames.connectId)
        } catch {
            await client.close()
            throw error
        }
        return client
    }

    /// Sends a request frame and waits for its `ok:true` response.
    @discardableResult
    func call(_ frame: String, id: String) async throws -> ContinuousClock.Instant {
        arm(.response(id: id))
        try await send(frame)
        return try await settle()
    }

    /// Sends a request frame and waits for the answer to `id` that `expectation` (built for that id)
    /// accepts; independent of `arm`/`settle` and of other requests in flight.
    @discardableResult
    func request(_ frame: String, id: String, until expectation: Expectation) async throws -> ContinuousClock.Instant {
        state.withLock { state in
            state.answers[id] = Wait(expectation: expectation, outcome: state.ended.map { .failure($0) })
        }
        do {
            try await send(frame)
        } catch {
            _ = state.withLock { $0.answers.removeValue(forKey: id) }
            throw error
        }
        return try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> Result<ContinuousClock.Instant, BenchError>? in
                guard let outcome = state.answers[id]?.outcome else {
                    state.answers[id]?.continuation = continuation
                    return nil
                }
                state.answers[id] = nil
                return outcome
            }
            if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
        }
    }

    /// Starts waiting for a frame; only one wait is armed at a time.
    func arm(_ expectation: Expectation) {
        state.withLock { state in
            state.wait = Wait(expectation: expectation, outcome: state.ended.map { .failure($0) })
        }
    }

    /// Waits for the armed frame and returns when it arrived.
    @discardableResult
    func settle() async throws -> ContinuousClock.Instant {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> Result<ContinuousClock.Instant, BenchError>? in
                guard let wait = state.wait else { return .failure(BenchError("settle() without arm()")) }
                guard let outcome = wait.outcome else {
                    state.wait?.continuation = continuation
                    return nil
                }
                state.wait = nil
                return outcome
            }
            if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
        }
    }

    /// Sends one text frame.
    func send(_ text: String) async throws {
        let (outbound, ended) = state.withLock { ($0.outbound, $0.ended) }
        guard let outbound else { throw ended ?? BenchError("\(url): socket not open") }
        try await outbound.write(.text(text))
    }

    /// Closes the socket normally and waits until it is gone.
    func close() async {
        let (outbound, socket) = state.withLock { ($0.ended == nil ? $0.outbound : nil, $0.socket) }
        try? await outbound?.close(.normalClosure, reason: nil)
        await socket?.value
    }

    // MARK: - Socket task

    private func start() {
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = ProtocolLimits.maxPayload
        configuration.closeTimeout = .seconds(2)
        let logger = Logger(label: "gateway-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let url = self.url
        let socket = Task {
            do {
                let close = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    await self.read(inbound: inbound, outbound: outbound)
                }
                let code = close.map { "\($0.closeCode)" } ?? "none"
                self.end(BenchError("\(url): socket closed (code \(code), reason \(close?.reason ?? "none"))"))
            } catch {
                self.end(BenchError("\(url): \(error)"))
            }
        }
        state.withLock { $0.socket = socket }
    }

    private func read(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        state.withLock { $0.outbound = outbound }
        var partial: ByteBuffer?
        do {
            for try await frame in inbound {
                traffic.count(bytes: frame.data.readableBytes)
                // The gateway sends every message as one frame; fragments are joined all the same.
                if var head = partial {
                    var data = frame.data
                    head.writeBuffer(&data)
                    partial = frame.fin ? nil : head
                    if frame.fin { deliver(head) }
                } else if frame.fin {
                    deliver(frame.data)
                } else {
                    partial = frame.data
                }
            }
        } catch {
            // A failed read ends the socket; `start` reports how it ended.
        }
    }

    private func deliver(_ frame: ByteBuffer) {
        let resume = frame.withUnsafeReadableBytes { bytes in
            state.withLock { state -> (CheckedContinuation<ContinuousClock.Instant, any Error>, Result<ContinuousClock.Instant, BenchError>)? in
                if let wait = state.wait, wait.outcome == nil, let verdict = wait.expectation.verdict(on: bytes) {
                    let outcome = verdict.map { _ in ContinuousClock.now }
                    guard let continuation = wait.continuation else {
                        state.wait?.outcome = outcome
                        return nil
                    }
                    state.wait = nil
                    return (continuation, outcome)
                }
                guard !state.answers.isEmpty, let id = Self.responseId(bytes), let wait = state.answers[id], wait.outcome == nil,
                    let verdict = wait.expectation.verdict(on: bytes)
                else { return nil }
                let outcome = verdict.map { _ in ContinuousClock.now }
                guard let continuation = wait.continuation else {
                    state.answers[id]?.outcome = outcome
                    return nil
                }
                state.answers[id] = nil
                return (continuation, outcome)
            }
        }
        if let resume { resume.0.resume(with: resume.1.mapError { $0 as any Error }) }
    }

    private static let responseHead = Array(#"{"type":"res","id":""#.utf8)

    /// The id of a response frame (the bench's ids need no escapes), nil for anything else.
    private static func responseId(_ frame: UnsafeRawBufferPointer) -> String? {
        guard frame.starts(with: responseHead) else { return nil }
        let start = responseHead.count
        guard let end = frame[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: frame[start..<end]), as: UTF8.self)
    }

    private func end(_ reason: BenchError) {
        let continuations = state.withLock { state -> [CheckedContinuation<ContinuousClock.Instant, any Error>] in
            state.ended = reason
            state.outbound = nil
            var waiting: [CheckedContinuation<ContinuousClock.Instant, any Error>] = []
            for (id, wait) in state.answers where wait.outcome == nil {
                if let continuation = wait.continuation {
                    waiting.append(continuation)
                    state.answers[id] = nil
                } else {
                    state.answers[id]?.outcome = .failure(reason)
                }
            }
            guard state.wait != nil, state.wait?.outcome == nil else { return waiting }
            guard let continuation = state.wait?.continuation else {
                state.wait?.outcome = .failure(reason)
                return waiting
            }
            state.wait = nil
            return waiting + [continuation]
        }
        for continuation in continuations { continuation.resume(throwing: reason) }
    }
}

/// Counts frames and bytes received by all clients, to tell when the gateway has gone quiet.
final class Traffic: Sendable {
    private let frames = Atomic<Int>(0)
    private let byteCount = Atomic<Int>(0)

    func count(bytes: Int) {
        frames.add(1, ordering: .relaxed)
        byteCount.add(bytes, ordering: .relaxed)
    }

    var total: Int { frames.load(ordering: .relaxed) }
    var bytes: Int { byteCount.load(ordering: .relaxed) }

    /// Returns once no frame arrived for `quiet`, or after `limit`.
    func waitUntilQuiet(for quiet: Duration, limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        var last = total
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: quiet)
            let now = total
            if now == last { return }
            last = now
        }
        throw BenchError("the gateway did not go quiet within \(limit)")
    }
}

/// A failure, with what went wrong in words.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
