// Sources/Runtime/Diagnostics/DoctorConfigChecks.swift - doctor: config validity, unknown keys, token readiness

import Foundation
import Generated

extension Doctor {
    /// Validity and unknown keys. Unknown keys are the only issue `--fix` repairs: it drops them after a `.bak`.
    func checkConfig() -> DoctorCheck {
        let paths = StatePaths.resolve(environment: options.environment)
        let loader = ConfigLoader(environment: options.environment)
        guard FileManager.default.fileExists(atPath: paths.configPath) else {
            return DoctorCheck(id: "config", status: .warn, message: "No config at \(paths.configPath).", fix: "openclaw setup (writes a minimal local config)")
        }
        do {
            _ = try loader.load(path: paths.configPath)
            return DoctorCheck(id: "config", status: .ok, message: "Config valid: \(paths.configPath)")
        } catch {
            guard let data = FileManager.default.contents(atPath: paths.configPath), var raw = Self.parseRaw(data) else {
                return DoctorCheck(
                    id: "config", status: .error, message: "Config invalid: " + error.issues.joined(separator: "; "), fix: "edit \(paths.configPath) by hand")
            }
            let (removed, remaining) = Self.stripUnknownKeys(&raw, loader: loader, path: paths.configPath)
            guard !removed.isEmpty else {
                return DoctorCheck(
                    id: "config", status: .error, message: "Config invalid: " + error.issues.joined(separator: "; "), fix: "edit \(paths.configPath) by hand")
            }
            let keys = removed.joined(separator: ", ")
            guard remaining.isEmpty else {
                return DoctorCheck(
                    id: "config", status: .error, message: "Config invalid: unknown keys \(keys); also " + remaining.joined(separator: "; "),
                    fix: "edit \(paths.configPath) by hand"
                )
            }
            let message = "Config invalid: unknown keys \(keys)"
            let fix = "remove unknown keys \(keys) (previous file kept as \(paths.configPath).bak)"
            guard options.fix else { return DoctorCheck(id: "config", status: .error, message: message, fix: "openclaw doctor --fix: " + fix) }
            do {
                try ConfigWriter().write(raw, to: paths.configPath)
                return DoctorCheck(id: "config", status: .error, message: message, fix: fix, fixed: true)
            } catch {
                return DoctorCheck(id: "config", status: .error, message: message + " (write failed: \(error))", fix: fix, fixed: false)
            }
        }
    }

    /// The file as written (JSON5, before `${VAR}` substitution), so references survive a rewrite.
    static func parseRaw(_ data: Data) -> JSONValue? {
        guard let raw = try? JSON5Text.decode(data.isEmpty ? Data("{}".utf8) : data), raw.objectValue != nil else { return nil }
        return raw
    }

    /// Removes `unexpected property` keys one validation pass at a time.
    /// - Returns: the dotted paths removed, and the issues left once no unknown key remains.
    static func stripUnknownKeys(_ raw: inout JSONValue, loader: ConfigLoader, path: String) -> (removed: [String], remaining: [String]) {
        var removed: [String] = []
        for _ in 0..<100 {
            guard let bytes = try? WireJSON.encode(raw) else { return (removed, ["cannot encode the config"]) }
            do {
                _ = try loader.parse(Data(bytes), path: path)
                return (removed, [])
            } catch {
                guard let issue = error.issues.first, let (parent, key) = unknownKey(in: issue) else { return (removed, error.issues) }
                let components = parent == "<root>" ? [] : parent.split(separator: ".").map(String.init)
                guard let stripped = removing(key, under: components[...], in: raw) else { return (removed, error.issues) }
                raw = stripped
                removed.append((components + [key]).joined(separator: "."))
            }
        }
        return (removed, ["too many unknown keys"])
    }

    /// `gateway: unexpected property 'prot'` → (`gateway`, `prot`).
    static func unknownKey(in issue: String) -> (String, String)? {
        guard let marker = issue.range(of: ": unexpected property '"), issue.hasSuffix("'") else { return nil }
        let parent = String(issue[..<marker.lowerBound])
        let key = String(issue[marker.upperBound..<issue.index(before: issue.endIndex)])
        return (parent, key)
    }

    static func removing(_ key: String, under path: ArraySlice<String>, in tree: JSONValue) -> JSONValue? {
        guard let head = path.first else {
            guard var members = tree.objectValue, members[key] != nil else { return nil }
            members[key] = nil
            return .object(members)
        }
        if var members = tree.objectValue, let child = members[head] {
            guard let updated = removing(key, under: path.dropFirst(), in: child) else { return nil }
            members[head] = updated
            return .object(members)
        }
        if var items = tree.arrayValue, let index = Int(head), items.indices.contains(index) {
            guard let updated = removing(key, under: path.dropFirst(), in: items[index]) else { return nil }
            items[index] = updated
            return .array(items)
        }
        return nil
    }

    /// Token auth with no token anywhere: the gateway would generate one on start; `--generate-gateway-token` writes it now.
    func checkGatewayToken(_ local: LocalResolution) -> DoctorCheck {
        guard local.configValid else {
            return DoctorCheck(id: "gateway-token", status: .warn, message: "Skipped: the config is invalid.", fix: "fix the config first")
        }
        let model = local.config.config
        let inputs = PrecedenceInputs(
            environment: options.environment, config: { model.scalarValue(atPath: $0) },
            rules: [
                "passwordIfSet": { [options] in
                    let password = try? Precedence.serverPassword.resolve(
                        PrecedenceInputs(environment: options.environment, config: { model.scalarValue(atPath: $0) }))
                    return password == nil ? nil : "password"
                }
            ]
        )
        let mode = (try? Precedence.authMode.resolve(inputs))?.value ?? "token"
        guard mode == "token" else { return DoctorCheck(id: "gateway-token", status: .ok, message: "Auth mode \(mode); no token needed.") }
        if let token = try? Precedence.serverToken.resolve(inputs), !token.value.isEmpty {
            return DoctorCheck(id: "gateway-token", status: .ok, message: "Gateway token ready (\(token.source)).")
        }
        let message = "Gateway auth is token mode but no token is configured (gateway.auth.token or OPENCLAW_GATEWAY_TOKEN)."
        guard local.configExists else {
            // A file holding only a token would block start-up (no gateway.mode); setup writes both.
            return DoctorCheck(id: "gateway-token", status: .warn, message: message, fix: "openclaw setup (writes gateway.mode=local and a generated token)")
        }
        guard options.fix, options.generateGatewayToken else {
            return DoctorCheck(id: "gateway-token", status: .warn, message: message, fix: "openclaw doctor --fix --generate-gateway-token")
        }
        do {
            try ConfigWriter().set(.string(TokenGenerator.newToken()), at: ConfigPath.gatewayAuthToken, in: local.paths.configPath)
            return DoctorCheck(
                id: "gateway-token", status: .warn, message: message, fix: "generated gateway.auth.token in \(local.paths.configPath)", fixed: true)
        } catch {
            return DoctorCheck(id: "gateway-token", status: .warn, message: message, fix: "could not write gateway.auth.token: \(error)", fixed: false)
        }
    }
}
