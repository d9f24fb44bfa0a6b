// Sources/Runtime/Channels/IRC/IRCAccount.swift - one IRC account's settings from `channels.irc`

import Foundation
import Generated
import ProtocolSupport

/// An IRC account resolved from `channels.irc` (+ `accounts.<id>`), as upstream resolves it:
/// config first, then `IRC_*` environment variables for the default account only; the server
/// password from `IRC_PASSWORD` (default account), then `passwordFile`, then `password`.
public struct IRCAccount: ChannelAccount {
    public var accountId: String
    public var name: String?
    public var enabled: Bool
    public var options: IRCClientOptions
    /// `env`, `passwordFile`, `config` or `none` (status output; never the password).
    public var passwordSource: String
    /// Let allowlists match bare nicks (`dangerouslyAllowNameMatching`).
    public var allowNameMatching: Bool
    /// Extra regular expressions that count as a mention (`mentionPatterns`).
    public var mentionPatterns: [String]
    /// `textChunkLimit`: the longest reply piece before it is cut into IRC lines.
    public var textChunkLimit: Int?
    public var problem: String?

    public var configured: Bool { problem == nil }

    public static func resolve(_ config: ChannelConfigView, accountId: String) -> IRCAccount {
        let settings = config.account(accountId, as: ChannelsIrcAccountConfig.self) ?? ChannelsIrcAccountConfig()
        // As upstream: only the account named `default` reads `IRC_*` (not whichever `defaultAccount` names).
        let isDefault = accountId == ChannelConfigView.defaultAccountId
        let env = { (name: String) -> String? in
            guard isDefault, let value = config.environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let text = { (value: String?) -> String? in
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var problems: [String] = []
        let tls =
            settings.tls ?? env("IRC_TLS").map { ["true", "1", "yes", "on"].contains($0.lowercased()) } ?? ConfigDefaults.channelsIrcTls
        let port = settings.port ?? env("IRC_PORT").flatMap { Int($0) }.flatMap { (1...65535).contains($0) ? $0 : nil }
        let host = text(settings.host) ?? env("IRC_HOST") ?? ""
        let nick = text(settings.nick) ?? env("IRC_NICK") ?? ""
        let prefix = accountId == ChannelConfigView.defaultAccountId ? ConfigPath.channelsIrc : "\(ConfigPath.channelsIrcAccounts).\(accountId)"
        if host.isEmpty { problems.append("set \(prefix).host (or IRC_HOST)") }
        if nick.isEmpty { problems.append("set \(prefix).nick (or IRC_NICK)") }
        var options = IRCClientOptions(
            host: host, port: port, tls: tls, nick: nick,
            username: text(settings.username) ?? env("IRC_USERNAME") ?? (nick.isEmpty ? "openclaw" : nick),
            realname: text(settings.realname) ?? env("IRC_REALNAME") ?? ConfigDefaults.channelsIrcRealname
        )
        options.channels =
            settings.channels
            ?? env("IRC_CHANNELS")?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            ?? []

        var passwordSource = "none"
        if let password = env("IRC_PASSWORD") {
            options.password = password
            passwordSource = "env"
        } else if let path = text(settings.passwordFile) {
            switch readSecretFile(path, key: "\(prefix).passwordFile") {
            case .success(let password):
                options.password = password
                passwordSource = "passwordFile"
            case .failure(let problem): problems.append(problem.message)
            }
        } else if let password = text(settings.password) {
            options.password = password
            passwordSource = "config"
        }

        let nickServ = settings.nickserv ?? ChannelsIrcNickservConfig()
        if nickServ.enabled != false {
            var password = nickServ.password?.trimmingCharacters(in: .whitespaces) ?? ""
            if password.isEmpty, let value = env("IRC_NICKSERV_PASSWORD") { password = value }
            if password.isEmpty, let path = nickServ.passwordFile, !path.isEmpty {
                switch readSecretFile(path, key: "\(prefix).nickserv.passwordFile") {
                case .success(let value): password = value
                case .failure(let problem): problems.append(problem.message)
                }
            }
            let email = nickServ.registerEmail ?? env("IRC_NICKSERV_REGISTER_EMAIL")
            if nickServ.register == true && (email ?? "").isEmpty {
                problems.append("\(prefix).nickserv.register=true requires \(prefix).nickserv.registerEmail")
            }
            if !password.isEmpty {
                options.nickServ = .init(
                    service: nickServ.service.flatMap { $0.isEmpty ? nil : $0 } ?? ConfigDefaults.channelsIrcNickservService,
                    password: password,
                    registerEmail: nickServ.register == true ? email : nil
                )
            }
        }
        return IRCAccount(
            accountId: accountId,
            name: text(settings.name),
            enabled: config.channelEnabled && (settings.enabled ?? ConfigDefaults.channelsIrcEnabled),
            options: options,
            passwordSource: passwordSource,
            allowNameMatching: settings.dangerouslyAllowNameMatching ?? ConfigDefaults.channelsIrcDangerouslyAllowNameMatching,
            mentionPatterns: settings.mentionPatterns ?? [],
            textChunkLimit: settings.textChunkLimit.flatMap { $0 > 0 ? $0 : nil },
            problem: problems.isEmpty ? nil : problems.joined(separator: "; ")
        )
    }

    struct SecretFileProblem: Error { var message: String }

    /// A password file: a regular file (symlinks refused, as upstream), trimmed.
    private static func readSecretFile(_ path: String, key: String) -> Result<String, SecretFileProblem> {
        let expanded = (path as NSString).expandingTildeInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: expanded),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let text = try? String(contentsOfFile: expanded, encoding: .utf8)
        else {
            return .failure(.init(message: "\(key) \"\(path)\" is not a readable regular file (symlinks are refused)"))
        }
        return .success(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
