// Sources/gateway-stress/ChaosLedger.swift - what the gateway acknowledged, to be found again after every kill -9

import Synchronization

/// Every acknowledged write of a chaos run. Only acknowledged writes are promised; a write whose answer never
/// came (the kill landed first) may or may not be there, so it is never checked.
final class ChaosLedger: Sendable {
    struct Message: Sendable {
        var sessionKey: String
        var marker: String
        var method: String
    }

    struct Pairing: Sendable {
        var deviceId: String
        /// The scopes the approval granted; the paired record must cover them.
        var scopes: [String]
        /// Approved by an operator's `device.pair.approve` (else silently, on a local first connect).
        var byOperator: Bool
    }

    struct ConfigState: Sendable {
        /// The value of the last acknowledged write.
        var acknowledged: String
        /// A write sent but not answered: the file may hold it instead.
        var inFlight: String?
        var writes = 0
    }

    let messages = Mutex<[Message]>([])
    let pairings = Mutex<[Pairing]>([])
    let config: Mutex<ConfigState>

    init(initialSystemPrompt: String) {
        config = Mutex(ConfigState(acknowledged: initialSystemPrompt))
    }

    func acknowledged(_ message: Message) { messages.withLock { $0.append(message) } }
    func acknowledged(_ pairing: Pairing) { pairings.withLock { $0.append(pairing) } }
}
