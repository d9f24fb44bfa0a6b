// Sources/Runtime/Config/ConfigReloader.swift - config file edits → diff → reload plan → hot apply or restart (ops.md §4)

import Foundation
import Generated
import Logging
import Synchronization

/// How the process's logging was configured on the command line, so a reloaded `logging.*` resolves the same way.
public struct LogOptions: Sendable {
    public var flagLevel: String?
    public var verbose: Bool

    public init(flagLevel: String?, verbose: Bool) {
        self.flagLevel = flagLevel
        self.verbose = verbose
    }
}

/// What a set of changed paths needs, classified by the generated rule table.
struct ReloadPlan: Equatable {
    var restart: [String] = []
    var hot: [String] = []
    var none: [String] = []
    /// The actions the changed keys name (`action:` in the spec), in first-seen order. Besides hot keys,
    /// `none` keys may name one for a step the reloader itself takes (`reload-logging`).
    var actions: [ReloadAction] = []

    init(paths: [String], rules: [ReloadRule] = ConfigSchema.reloadRules) {
        for path in paths {
            let rule = rules.classify(path)
            switch rule.kind {
            case .restart: restart.append(path)
            case .hot: hot.append(path)
            case .none: none.append(path)
            }
            if rule.kind != .restart, let action = rule.reloadAction, !actions.contains(action) { actions.append(action) }
        }
    }
}

/// Watches the gateway's config (and its `$include`s) and applies edits per `gateway.reload.mode`:
/// hot-safe changes in process, restart-class ones through the hub's `RestartController`.
/// One per running gateway; cancel the task running `run()` to stop it.
final class ConfigReloader: Sendable {
    let hub: GatewayHub
    let logOptions: LogOptions
    let environment: [String: String]
    /// The config the last reload run settled on, and the watcher of its files.
    private let state: Mutex<(current: LoadedConfig, watcher: ConfigWatcher, stopped: Bool)>

    /// Takes the baseline and starts watching at once, so an edit made as soon as the gateway is up is seen.
    init(hub: GatewayHub, logOptions: LogOptions, environment: [String: String]) {
        self.hub = hub
        self.logOptions = logOptions
        self.environment = environment
        let configPath = hub.settings.paths.configPath
        // Watch first, then read: an edit in between shows up as an event (an empty diff at worst).
        let watcher = ConfigWatcher(files: Self.watchList(hub.config.withLock { $0 }, configPath: configPath))
        // The file as it is now: start-up may have written a generated token after loading it.
        let current = (try? ConfigLoader(environment: environment).load(path: configPath)) ?? hub.config.withLock { $0 }
        state = Mutex((current, watcher, false))
    }

    private var logger: Logger { hub.logger }
    private var configPath: String { hub.settings.paths.configPath }

    /// Stops watching; `run()` returns.
    func stop() {
        let watcher = state.withLock { state -> ConfigWatcher in
            state.stopped = true
            return state.watcher
        }
        watcher.stop()
    }

    /// Serves until `stop()` or cancellation.
    func run() async {
        var (current, watcher) = state.withLock { ($0.current, $0.watcher) }
        defer { watcher.stop() }
        var iterator = watcher.events.makeAsyncIterator()
        var seen = 0
        while !Task.isCancelled {
            while watcher.generation == seen {
                guard await iterator.next() != nil else { return }
            }
            // Debounce: wait until no event arrived for a whole quiet period. Edits during the reload below
            // bump the generation, which makes this loop run again afterwards (upstream's pending flag).
            let debounce = Self.debounceMs(current.config)
            var generation: Int
            repeat {
                generation = watcher.generation
                do { try await Task.sleep(for: .milliseconds(debounce)) } catch { return }
            } while watcher.generation != generation
            seen = generation
            current = reload(from: current)
            let files = Self.watchList(current, configPath: configPath)
            if files != watcher.files {
                let replacement = ConfigWatcher(files: files)
                let stopped = state.withLock { state -> Bool in
                    if !state.stopped { state.watcher = replacement }
                    return state.stopped
                }
                watcher.stop()
                watcher = replacement
                if stopped { return }
                iterator = watcher.events.makeAsyncIterator()
                seen = 0
            }
        }
    }

    /// One reload run; returns the config now considered current (the old one when the edit was invalid).
    func reload(from current: LoadedConfig) -> LoadedConfig {
        let next: LoadedConfig
        do {
            next = try ConfigLoader(environment: environment).load(path: configPath)
        } catch {
            logger.warning("[reload] config reload skipped (invalid config): \(error.issues.joined(separator: ", "))")
            hub.metrics.reload(outcome: "invalid")
            return current
        }
        guard next.exists else {
            logger.warning("[reload] config reload skipped (invalid config): \(configPath): file not found")
            hub.metrics.reload(outcome: "invalid")
            return current
        }
        let paths = ConfigDiff.changedPaths(current.tree, next.tree)
        guard !paths.isEmpty else { return next }
        logger.info("[reload] config change detected; evaluating reload (\(paths.joined(separator: ", ")))")
        let plan = ReloadPlan(paths: paths)
        switch next.config.gateway?.reload?.mode ?? ConfigDefaults.gatewayReloadMode {
        case .off:
            logger.info("[reload] config reload disabled (gateway.reload.mode=off)")
            hub.metrics.reload(outcome: "off")
        case .restart:
            requestRestart(paths)
            hub.metrics.reload(outcome: "restart")
        case .hot:
            if !plan.restart.isEmpty {
                logger.warning("[reload] config reload requires gateway restart; hot mode ignoring (\(plan.restart.joined(separator: ", ")))")
            }
            applyHot(plan, next)
            hub.metrics.reload(outcome: "hot")
        case .hybrid:
            if plan.restart.isEmpty { applyHot(plan, next) } else { requestRestart(plan.restart) }
            hub.metrics.reload(outcome: plan.restart.isEmpty ? "hot" : "restart")
        }
        return next
    }

    private func requestRestart(_ paths: [String]) {
        hub.restart.request(RestartController.Request(reason: "config change", paths: paths))
    }

    /// Applies what can change in process, then makes the new config the one in effect.
    private func applyHot(_ plan: ReloadPlan, _ next: LoadedConfig) {
        // Before the new config is in effect: logging and the auth limiters.
        for action in plan.actions {
            switch action {
            case .reloadLogging:
                if let settings = try? LogSettings.resolve(
                    config: next.config, flagLevel: logOptions.flagLevel, verbose: logOptions.verbose, environment: environment
                ) {
                    LogSystem.reconfigure(settings)
                }
            case .reconfigureAuthLimits:
                hub.authLimiter.reconfigure(AuthRateLimit(next.config.gateway?.auth?.rateLimit))
                hub.browserAuthLimiter.reconfigure(AuthRateLimit(next.config.gateway?.auth?.rateLimit))
                hub.deviceTokenLimiter.reconfigure(AuthRateLimit(next.config.gateway?.auth?.rateLimit))
            case .restartChannels, .reloadHeartbeat, .restartCron, .reloadHooks, .restartBrowser:
                break
            }
        }
        hub.config.withLock { $0 = next }
        // After it: the subsystems that read the config in effect.
        var automation = false
        for action in plan.actions {
            switch action {
            case .restartChannels: hub.channelsConfigChanged()
            case .reloadHeartbeat, .restartCron: automation = true
            // Hooks read their config per request; there is no browser control to restart.
            case .reloadHooks, .restartBrowser: break
            case .reloadLogging, .reconfigureAuthLimits: break
            }
        }
        if automation { hub.automationConfigChanged() }
        if !plan.hot.isEmpty {
            // Channels restart above; the heartbeat and cron re-arm; hooks read their config per request.
            logger.info("[reload] config hot reload applied (\(plan.hot.joined(separator: ", ")))")
        }
    }

    static func debounceMs(_ config: OpenClawConfig) -> Int {
        max(0, config.gateway?.reload?.debounceMs ?? ConfigDefaults.gatewayReloadDebounceMs)
    }

    static func watchList(_ loaded: LoadedConfig, configPath: String) -> [String] {
        let main = URL(fileURLWithPath: configPath).standardizedFileURL.path
        return [main] + loaded.files.filter { $0 != main }
    }
}
