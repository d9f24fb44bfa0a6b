// Sources/Runtime/Automation/GatewayHub+Automation.swift - the hub's hooks into the heartbeat runner and cron

import Foundation
import Generated
import ProtocolSupport

/// What acts without being asked: the heartbeat scheduler (and, through it, wake requests) and cron.
final class GatewayAutomation: Sendable {
    let heartbeat: HeartbeatScheduler
    let cron: CronService

    init(heartbeat: HeartbeatScheduler, cron: CronService) {
        self.heartbeat = heartbeat
        self.cron = cron
    }
}

extension GatewayHub {
    /// Creates the schedulers once the agent runtime is installed; every agent's first beat is one interval away.
    func startAutomation(clock: any AutomationClock) {
        let runner = HeartbeatRunner(hub: self, clock: clock)
        let heartbeat = HeartbeatScheduler(runner: runner) { [weak self] in self?.heartbeatPolicies() ?? [] }
        let cron = CronService(hub: self, clock: clock, heartbeat: heartbeat)
        automationSlot.withLock { $0 = GatewayAutomation(heartbeat: heartbeat, cron: cron) }
        heartbeat.start()
        tasks.spawn { await cron.start() }
    }

    /// Cancels the timers at shutdown (runs in flight are aborted with the others).
    func stopAutomation() async {
        guard let automation = automationSlot.withLock({ $0 }) else { return }
        automation.heartbeat.stop()
        await automation.cron.stop()
    }

    /// A reload touched `agents.defaults.heartbeat`, the agent list or `cron`.
    func automationConfigChanged() {
        guard let automation = automationSlot.withLock({ $0 }) else { return }
        automation.heartbeat.configChanged()
        tasks.spawn { await automation.cron.configChanged() }
    }

    /// The schedulers; methods that need them fail with UNAVAILABLE before start.
    var automation: GatewayAutomation {
        get throws(GatewayError) {
            guard let automation = automationSlot.withLock({ $0 }) else { throw GatewayError(.unavailable, "automation not started") }
            return automation
        }
    }

    /// The beating agents under the config in effect.
    func heartbeatPolicies() -> [HeartbeatPolicy] {
        let config = self.config.withLock { $0.config }
        return HeartbeatPolicy.resolve(
            config: config, catalog: AgentCatalog(config: config), stateDir: settings.paths.stateDir,
            home: StatePaths.homeDirectory(environment: settings.environment)
        )
    }

    /// Upstream's `wake` and `POST /hooks/wake`: the text waits for the session's next turn; `now` also asks for a beat.
    func wake(text: String, sessionKey: String, now: Bool, reason: String) throws(GatewayError) -> SystemEvents.Outcome {
        let outcome = try agents.systemEvents.enqueue(text, sessionKey: sessionKey)
        if now { automationSlot.withLock { $0 }?.heartbeat.requestNow(reason: reason) }
        return outcome
    }
}

extension HeartbeatPolicy {
    /// `health.agents[].heartbeat` for an agent that beats.
    var healthSummary: HealthHeartbeat {
        HealthHeartbeat(enabled: intervalMs != nil, every: every, everyMs: intervalMs, target: target, ackMaxChars: ackMaxChars)
    }
}
