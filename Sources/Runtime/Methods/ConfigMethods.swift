// Sources/Runtime/Methods/ConfigMethods.swift - config.get/schema/set/patch/apply: the config file over RPC

import Foundation
import Generated

/// The config RPC (reference/protocol.md §4.1, reference/ops.md §4.2). Writes go to the file only;
/// the config watcher reloads them (set/patch), and `config.apply` asks for a restart.
extension SystemMethods {
    private var configPath: String { hub.config.withLock { $0.path } }
    private var environment: [String: String] { hub.settings.environment }

    func configGet(context: MethodContext) async throws -> Payload<ConfigSnapshot> {
        try Payload(ConfigSnapshotReader(environment: environment).snapshot(path: configPath))
    }

    func configSchema(context: MethodContext) async throws -> Payload<ConfigSchemaResult> {
        let schema = try JSONDecoder().decode(JSONValue.self, from: Data(ConfigSchema.jsonSchema.utf8))
        var hints: [String: ConfigUIHint] = [:]
        for key in ConfigSchema.keys {
            hints[key.path] = ConfigUIHint(label: String(key.path.split(separator: ".").last ?? ""), help: key.doc)
        }
        return try Payload(ConfigSchemaResult(schema: schema, uiHints: hints, version: hub.settings.version, generatedAt: ConfigAudit.timestamp()))
    }

    func configSet(_ params: ConfigSetParams, context: MethodContext) async throws -> Payload<ConfigWriteResult> {
        try Payload(writeConfig(method: "config.set", raw: params.raw, baseHash: params.baseHash, note: nil, merge: false, context: context))
    }

    func configPatch(_ params: ConfigPatchParams, context: MethodContext) async throws -> Payload<ConfigWriteResult> {
        try Payload(writeConfig(method: "config.patch", raw: params.raw, baseHash: params.baseHash, note: params.note, merge: true, context: context))
    }

    func configApply(_ params: ConfigApplyParams, context: MethodContext) async throws -> Payload<ConfigWriteResult> {
        var result = try writeConfig(
            method: "config.apply", raw: params.raw, baseHash: params.baseHash, note: params.note, merge: false, context: context
        )
        let request = RestartController.Request(reason: "config.apply", delayMs: params.restartDelayMs ?? 2000, paths: result.changedPaths)
        _ = hub.restart.request(request)
        result.restart = true
        return try Payload(result)
    }

    /// Rate limit → base hash → parse → (merge) → restore redacted secrets → validate → atomic write → audit.
    private func writeConfig(
        method: String, raw: String, baseHash: String?, note: String?, merge: Bool, context: MethodContext
    ) throws -> ConfigWriteResult {
        let client = context.client.deviceId ?? context.connection.id
        let rateKey = client + "@" + context.connection.peer.ip
        if let waitMs = ConfigWriteGuard.admit(key: rateKey, nowMs: Int(Date().timeIntervalSince1970 * 1000)) {
            throw GatewayError(
                .unavailable, "rate limit exceeded for config writes (\(ConfigWriteGuard.limit) per 60s); retry after \((waitMs + 999) / 1000)s",
                retryable: true, retryAfterMs: waitMs
            )
        }
        let path = configPath
        let environment = environment
        return try ConfigWriteGuard.serialised { () throws -> ConfigWriteResult in
            let current = ConfigSnapshotReader.read(path)
            let previousHash = current.map(ConfigSnapshotReader.hash)
            switch ConfigWriteGuard.check(baseHash: baseHash, currentHash: previousHash) {
            case .ok: break
            case .required: throw GatewayError.invalidRequest(ConfigWriteGuard.hashRequiredMessage)
            case .stale: throw GatewayError.invalidRequest(ConfigWriteGuard.staleHashMessage)
            }
            let stored = current.flatMap(ConfigSnapshotReader.parseTree) ?? .object([:])
            guard let incoming = ConfigSnapshotReader.parseTree(Data(raw.utf8)) else {
                throw GatewayError.invalidRequest("invalid config: raw is not valid JSON5")
            }
            guard case .object = incoming else { throw GatewayError.invalidRequest("invalid config: raw must be an object") }
            var next = merge ? ConfigMergePatch.apply(incoming, to: stored) : incoming
            do {
                next = try ConfigRedaction.restore(next, from: stored)
            } catch let error as ConfigRedaction.RestoreError {
                throw GatewayError.invalidRequest("invalid config: \(error.path) is redacted but no stored value exists; send the real value")
            }
            let loaded: LoadedConfig
            do {
                loaded = try ConfigLoader(environment: environment).parse(Data(WireJSON.encode(next)), path: path)
            } catch let error as ConfigError {
                throw GatewayError.invalidRequest(
                    "invalid config: " + error.issues.joined(separator: "; "),
                    details: ConfigInvalidDetails(issues: error.issues.map(ConfigSnapshotReader.issue))
                )
            }
            let changed = ConfigDiff.changedPaths(stored, next)
            let written = try ConfigWriter().write(next, to: path)
            let hash = ConfigSnapshotReader.hash(written)
            do {
                try ConfigAudit(stateDir: hub.settings.paths.stateDir).append(
                    ConfigAudit.Entry(
                        ts: ConfigAudit.timestamp(), method: method, path: path, previousHash: previousHash, hash: hash, changedPaths: changed,
                        connId: context.connection.id, client: context.client.deviceId ?? context.client.params.client.id.rawValue, note: note
                    )
                )
            } catch {
                hub.logger.warning("config audit write failed: \(error)")
            }
            hub.logger.info("config written via \(method) (\(changed.isEmpty ? "no changes" : changed.joined(separator: ", ")))")
            let config = (try? JSONDecoder().decode(JSONValue.self, from: Data(WireJSON.encode(loaded.config)))) ?? .object([:])
            return ConfigWriteResult(ok: true, path: path, config: ConfigRedaction.redact(config), hash: hash, changedPaths: changed, restart: nil)
        }
    }
}
