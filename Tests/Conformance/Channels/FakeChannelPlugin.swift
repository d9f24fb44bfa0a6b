// Tests/Conformance/Channels/FakeChannelPlugin.swift - an in-test channel that records what the gateway sends and injects what it hears

import Foundation
import Generated
import Runtime
import Synchronization

/// Channel `fake`: an account is configured when it has a `token`; `connect: false` keeps it
/// disconnected (a stuck account for the health monitor). Everything the gateway does to it arrives
/// on `events`, in order, so tests await it instead of sleeping.
final class FakeChannelPlugin: ChannelPlugin {
    enum Event: Sendable, Equatable {
        case started(String)
        case stopped(String)
        case sent(account: String, target: ChannelTarget, text: String)
        case typing(account: String, target: ChannelTarget)
    }

    struct Account: ChannelAccount {
        var accountId: String
        var name: String?
        var enabled: Bool
        var configured: Bool
        var problem: String?
        var token: String?
        var connects: Bool
        var textChunkLimit: Int?
    }

    let meta = ChannelMeta(id: "fake", label: "Fake", detailLabel: "Fake test channel")
    let capabilities: ChannelCapabilities
    let events = FakeEventLog()
    private let contexts = Mutex<[String: ChannelAccountContext]>([:])
    private let nextId = Mutex(0)

    init(chunkLimit: Int = 4000) {
        capabilities = ChannelCapabilities(chatTypes: [.direct, .group], threads: true, typing: true, textChunkLimit: chunkLimit)
    }

    func resolveAccount(_ config: ChannelConfigView, accountId: String) -> any ChannelAccount {
        let merged = config.account(accountId)
        let token = merged["token"]?.stringValue
        return Account(
            accountId: accountId, name: merged["name"]?.stringValue, enabled: merged["enabled"]?.boolValue ?? true, configured: token != nil,
            problem: token == nil ? "set channels.fake.token" : nil, token: token, connects: merged["connect"]?.boolValue ?? true,
            textChunkLimit: merged["textChunkLimit"]?.intValue
        )
    }

    func describeAccount(_ account: any ChannelAccount) -> [String: JSONValue] { ["kind": "fake"] }

    func startAccount(_ account: any ChannelAccount, context: ChannelAccountContext) async throws -> any ChannelAccountHandle {
        let account = account as! Account
        contexts.withLock { $0[account.accountId] = context }
        if account.connects { context.markConnected() }
        events.append(.started(account.accountId))
        return Handle(plugin: self, accountId: account.accountId)
    }

    func probe(_ account: any ChannelAccount, timeout: Duration) async -> ChannelProbeResult {
        let account = account as! Account
        return account.token == "good" ? ChannelProbeResult(ok: true, details: ["bot": "fakebot"]) : ChannelProbeResult(ok: false, error: "bad token")
    }

    func resolveTarget(_ raw: String, account: any ChannelAccount) throws(ChannelError) -> ChannelTarget {
        guard !raw.isEmpty else { throw .invalidTarget("empty target") }
        return raw.hasPrefix("#") ? ChannelTarget(peerId: raw, chatType: .group) : ChannelTarget(peerId: raw, chatType: .direct)
    }

    /// Delivers `message` as if account `accountId` had received it; returns once the gateway accepted it.
    func inject(_ message: ChannelInboundMessage, account accountId: String = "default") async {
        guard let context = contexts.withLock({ $0[accountId] }) else { return }
        await context.inbound.receive(message, channel: "fake", accountId: accountId)
    }

    func messageId() -> String {
        nextId.withLock { value in
            value += 1
            return "m\(value)"
        }
    }

    fileprivate func record(_ event: Event) { events.append(event) }

    struct Handle: ChannelAccountHandle {
        let plugin: FakeChannelPlugin
        let accountId: String

        func sendText(_ text: String, to target: ChannelTarget) async throws(ChannelError) -> ChannelSendResult {
            plugin.record(.sent(account: accountId, target: target, text: text))
            return ChannelSendResult(messageId: plugin.messageId())
        }

        func sendTyping(to target: ChannelTarget) async { plugin.record(.typing(account: accountId, target: target)) }

        func stop() async { plugin.record(.stopped(accountId)) }
    }
}

/// The fake channel's events in order, consumed by `next(where:)` (a cursor skips non-matching ones).
final class FakeEventLog: Sendable {
    private struct State {
        var events: [FakeChannelPlugin.Event] = []
        var cursor = 0
        /// Parked `next` calls; each is resumed exactly once, by an append or by its deadline.
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    func append(_ event: FakeChannelPlugin.Event) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.events.append(event)
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Every event so far.
    var all: [FakeChannelPlugin.Event] { state.withLock { $0.events } }

    /// Every text the gateway sent, in order.
    var sentTexts: [String] {
        all.compactMap { if case .sent(_, _, let text) = $0 { text } else { nil } }
    }

    /// Events not consumed yet.
    var pending: [FakeChannelPlugin.Event] { state.withLock { Array($0.events[$0.cursor...]) } }

    /// The next unconsumed event matching `filter` (earlier non-matching ones are consumed too).
    func next(timeout: Duration = .seconds(20), where filter: @escaping @Sendable (FakeChannelPlugin.Event) -> Bool) async throws -> FakeChannelPlugin.Event {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = state.withLock { state -> FakeChannelPlugin.Event? in
                while state.cursor < state.events.count {
                    let event = state.events[state.cursor]
                    state.cursor += 1
                    if filter(event) { return event }
                }
                return nil
            }
            if let found { return found }
            guard ContinuousClock.now < deadline else { throw FakeChannelError("timed out waiting for a fake channel event; pending: \(pending)") }
            // Park until the next append or the deadline, whichever comes first.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let id = UUID()
                let parked = state.withLock { state -> Bool in
                    guard state.cursor >= state.events.count else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                guard parked else { return continuation.resume() }
                Task {
                    try? await Task.sleep(until: deadline)
                    state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
                }
            }
        }
    }

    /// The next text the gateway sent.
    func nextSent(timeout: Duration = .seconds(20)) async throws -> (account: String, target: ChannelTarget, text: String) {
        let event = try await next(timeout: timeout) { if case .sent = $0 { true } else { false } }
        guard case .sent(let account, let target, let text) = event else { throw FakeChannelError("not a send") }
        return (account, target, text)
    }
}

struct FakeChannelError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
