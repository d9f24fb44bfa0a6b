// Sources/Runtime/Client/ClientCore.swift - the operator client's socket task: handshake, matching, watchdog, gaps

import Foundation
import Generated
import HummingbirdWSClient
import NIOCore
import NIOWebSocket
import Synchronization

/// The state shared between the socket task and callers.
final class ClientCore: Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<ResponseFrame, any Error>
        var method: String
        var expectFinal: Bool
        /// Gets the `accepted` answer of a two-phase method.
        var onAccepted: (@Sendable (JSONValue) -> Void)?
    }

    private struct State {
        var outbound: WebSocketOutboundWriter?
        var hello: Result<HelloOk, GatewayClientError>?
        var helloWaiters: [CheckedContinuation<HelloOk, any Error>] = []
        var pending: [String: Pending] = [:]
        var nextId = 0
        var lastSeq: Int?
        var gaps = 0
        var lastFrameAt = ContinuousClock.now
        var finished = false
        var closeCode: UInt16?
        var closeReason: String?
        /// A close this side started (e.g. the watchdog's 4000) wins over the peer's echo.
        var initiatedClose: (code: UInt16, reason: String?)?
    }

    let options: GatewayClientOptions
    let events: AsyncStream<EventFrame>
    private let eventSink: AsyncStream<EventFrame>.Continuation
    private let state = Mutex(State())
    /// Frame writes and gap refetches; cancelled when the connection ends.
    private let tasks = BackgroundTasks()

    init(options: GatewayClientOptions) {
        self.options = options
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    var gapCount: Int { state.withLock { $0.gaps } }

    // MARK: - Socket task

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        state.withLock { $0.outbound = outbound }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.challengeTimeout() }
            do {
                for try await message in inbound.messages(maxSize: ProtocolLimits.maxPayload) {
                    let bytes: [UInt8]
                    switch message {
                    case .text(let text): bytes = Array(text.utf8)
                    case .binary(let buffer): bytes = Array(buffer.readableBytesView)
                    }
                    await handle(bytes, group: &group)
                }
            } catch {}
            group.cancelAll()
        }
    }

    private func handle(_ bytes: [UInt8], group: inout DiscardingTaskGroup) async {
        state.withLock { $0.lastFrameAt = .now }
        guard let kind = try? JSONDecoder().decode(FrameKind.self, from: Data(bytes)) else { return }
        switch kind.type {
        case "event":
            guard let event = try? JSONDecoder().decode(EventFrame.self, from: Data(bytes)) else { return }
            if event.event == GatewayEvent.connectChallenge.rawValue {
                await sendConnect(challenge: event.payload, group: &group)
                return
            }
            trackSeq(event.seq)
            eventSink.yield(event)
        case "res":
            guard let response = try? JSONDecoder().decode(ResponseFrame.self, from: Data(bytes)) else { return }
            resolve(response)
        default:
            return
        }
    }

    private struct FrameKind: Decodable { var type: String }

    private func sendConnect(challenge: JSONValue?, group: inout DiscardingTaskGroup) async {
        guard let nonce = challenge?["nonce"]?.stringValue else { return }
        var params = ConnectParams(
            minProtocol: options.protocolVersions.lowerBound, maxProtocol: options.protocolVersions.upperBound,
            client: ConnectClient(
                id: options.clientId, displayName: options.displayName, version: GatewayVersion.build, platform: Platform.name,
                mode: options.clientMode, instanceId: nil
            ),
            role: options.role, scopes: options.scopes, caps: options.caps.isEmpty ? nil : options.caps,
            auth: options.token != nil || options.password != nil || options.deviceToken != nil
                ? ConnectAuth(token: options.token, password: options.password, deviceToken: options.deviceToken) : nil
        )
        if let identity = options.identity { params.device = try? identity.sign(params, nonce: nonce) }
        guard let paramsJSON = try? JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(params))) else { return }
        group.addTask {
            do {
                let response = try await self.send(
                    method: GatewayMethod.connect.rawValue, params: paramsJSON, timeoutMs: self.options.requestTimeoutMs, expectFinal: false)
                if case .success(let hello) = Self.hello(from: response, url: self.options.url) {
                    await self.watchdog(tickIntervalMs: hello.policy.tickIntervalMs)
                }
            } catch {
                self.resolveHello(.failure(error as? GatewayClientError ?? .closed(url: self.options.url, code: nil, reason: "\(error)")))
            }
        }
    }

    static func hello(from response: ResponseFrame, url: String) -> Result<HelloOk, GatewayClientError> {
        if response.ok, let payload = response.payload, let hello = try? WireJSON.decode(HelloOk.self, from: WireJSON.encode(payload)) {
            return .success(hello)
        }
        return .failure(.rejected(url: url, error: response.error ?? ErrorShape(code: .unavailable, message: "connect failed"), close: nil))
    }

    private func challengeTimeout() async {
        try? await Task.sleep(for: .milliseconds(options.challengeTimeoutMs))
        if Task.isCancelled { return }
        let waiting = state.withLock { $0.hello == nil }
        if waiting {
            resolveHello(.failure(.timeout(url: options.url, what: "connect.challenge")))
            await close(code: .normalClosure, reason: nil)
        }
    }

    /// Closes with 4000 when nothing arrived for two tick intervals.
    private func watchdog(tickIntervalMs: Int) async {
        let limit = Duration.milliseconds(tickIntervalMs * 2)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(tickIntervalMs))
            let (idle, finished) = state.withLock { (ContinuousClock.now - $0.lastFrameAt, $0.finished) }
            if finished { return }
            if idle > limit {
                await close(code: .init(codeNumber: Int(CloseCodes.tickTimeout.code)), reason: CloseCodes.tickTimeout.reason)
                return
            }
        }
    }

    private func trackSeq(_ seq: Int?) {
        guard let seq else { return }
        let gap = state.withLock { state -> Bool in
            defer { state.lastSeq = seq }
            guard let last = state.lastSeq else { return false }
            if seq > last + 1 {
                state.gaps += 1
                return true
            }
            return false
        }
        if gap {
            // Events are never replayed: refetch the state they would have changed.
            tasks.spawn {
                async let health = try? self.request(GatewayMethod.health.rawValue, params: nil, timeoutMs: self.options.requestTimeoutMs, expectFinal: false)
                async let presence = try? self.request(
                    GatewayMethod.systemPresence.rawValue, params: nil, timeoutMs: self.options.requestTimeoutMs, expectFinal: false)
                _ = await (health, presence)
            }
        }
    }

    // MARK: - Hello

    private func resolveHello(_ result: Result<HelloOk, GatewayClientError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<HelloOk, any Error>] in
            guard state.hello == nil else { return [] }
            state.hello = result
            defer { state.helloWaiters.removeAll() }
            return state.helloWaiters
        }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
    }

    func waitForHello() async throws(GatewayClientError) -> HelloOk {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let result = state.withLock { state -> Result<HelloOk, GatewayClientError>? in
                    if let hello = state.hello { return hello }
                    state.helloWaiters.append(continuation)
                    return nil
                }
                if let result { continuation.resume(with: result.mapError { $0 as any Error }) }
            }
        } catch {
            throw error as? GatewayClientError ?? .closed(url: options.url, code: nil, reason: "\(error)")
        }
    }

    // MARK: - Requests

    func request(
        _ method: String, params: JSONValue?, timeoutMs: Int, expectFinal: Bool, onAccepted: (@Sendable (JSONValue) -> Void)? = nil
    ) async throws(GatewayClientError) -> JSONValue {
        let response: ResponseFrame
        do {
            response = try await send(method: method, params: params, timeoutMs: timeoutMs, expectFinal: expectFinal, onAccepted: onAccepted)
        } catch {
            throw error as? GatewayClientError ?? .closed(url: options.url, code: nil, reason: "\(error)")
        }
        guard response.ok else { throw .requestFailed(method: method, error: response.error ?? ErrorShape(code: .unavailable, message: "request failed")) }
        return response.payload ?? .null
    }

    private func send(
        method: String, params: JSONValue?, timeoutMs: Int, expectFinal: Bool, onAccepted: (@Sendable (JSONValue) -> Void)? = nil
    ) async throws -> ResponseFrame {
        try await withThrowingTaskGroup(of: ResponseFrame.self) { group in
            let id = state.withLock { state -> String in
                state.nextId += 1
                return String(state.nextId)
            }
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    let (outbound, failure) = self.state.withLock { state -> (WebSocketOutboundWriter?, GatewayClientError?) in
                        if state.finished { return (nil, .closed(url: self.options.url, code: state.closeCode, reason: state.closeReason)) }
                        state.pending[id] = Pending(continuation: continuation, method: method, expectFinal: expectFinal, onAccepted: onAccepted)
                        return (state.outbound, nil)
                    }
                    if let failure {
                        continuation.resume(throwing: failure)
                        return
                    }
                    let frame = RequestFrame(id: id, method: method, params: params.map(DeferredJSON.init))
                    self.tasks.spawn {
                        do {
                            let bytes = try WireJSON.encode(frame)
                            try await outbound?.write(.text(String(decoding: bytes, as: UTF8.self)))
                        } catch {
                            self.fail(id: id, with: .closed(url: self.options.url, code: nil, reason: "\(error)"))
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(timeoutMs))
                throw GatewayClientError.timeout(url: self.options.url, what: "the response to \(method)")
            }
            defer { group.cancelAll() }
            do {
                guard let response = try await group.next() else { throw GatewayClientError.timeout(url: options.url, what: method) }
                return response
            } catch {
                fail(id: id, with: error as? GatewayClientError ?? .timeout(url: options.url, what: method))
                throw error
            }
        }
    }

    private func resolve(_ response: ResponseFrame) {
        let (pending, accepted) = state.withLock { state -> (Pending?, (@Sendable (JSONValue) -> Void)?) in
            guard let pending = state.pending[response.id] else { return (nil, nil) }
            if pending.expectFinal, response.ok, response.payload?["status"]?.stringValue == "accepted" { return (nil, pending.onAccepted) }
            state.pending[response.id] = nil
            return (pending, nil)
        }
        if let accepted, let payload = response.payload { accepted(payload) }
        // The handshake's answer settles `connect` here, before the close that may follow a refusal.
        if pending?.method == GatewayMethod.connect.rawValue { resolveHello(Self.hello(from: response, url: options.url)) }
        pending?.continuation.resume(returning: response)
    }

    private func fail(id: String, with error: GatewayClientError) {
        let pending = state.withLock { $0.pending.removeValue(forKey: id) }
        pending?.continuation.resume(throwing: error)
    }

    // MARK: - Close

    func close(code: WebSocketErrorCode, reason: String?) async {
        let outbound = state.withLock { state -> WebSocketOutboundWriter? in
            guard !state.finished else { return nil }
            if state.initiatedClose == nil { state.initiatedClose = (UInt16(webSocketErrorCode: code), reason) }
            return state.outbound
        }
        try? await outbound?.close(code, reason: reason)
    }

    func finish(closeCode: UInt16?, reason: String?, connectError: String?) {
        let (pending, waitersError, closeCode, reason) = state.withLock { state -> ([Pending], GatewayClientError?, UInt16?, String?) in
            state.finished = true
            state.closeCode = state.initiatedClose?.code ?? closeCode
            state.closeReason = state.initiatedClose.map { $0.reason } ?? reason
            defer { state.pending.removeAll() }
            let error: GatewayClientError =
                connectError.map { .unreachable(url: options.url, reason: $0) }
                ?? .closed(url: options.url, code: state.closeCode, reason: state.closeReason)
            return (Array(state.pending.values), state.hello == nil ? error : nil, state.closeCode, state.closeReason)
        }
        if let waitersError { resolveHello(.failure(waitersError)) }
        for entry in pending { entry.continuation.resume(throwing: GatewayClientError.closed(url: options.url, code: closeCode, reason: reason)) }
        eventSink.finish()
        tasks.cancelAll()
    }
}
