// Sources/Runtime/ControlUI/DashboardURL.swift - the URL `openclaw dashboard` prints: the UI with the token in the fragment

import Foundation

/// `http://127.0.0.1:PORT<basePath>/#token=…`: the fragment never reaches the server (or its logs); the UI
/// stores the token and removes it from the address bar.
public enum DashboardURL {
    public static func resolve(environment: [String: String]) throws -> String {
        let target = try ClientTarget.resolve(url: nil, token: nil, password: nil, environment: environment)
        let paths = StatePaths.resolve(environment: environment)
        let config = (try? ConfigLoader(environment: environment).load(path: paths.configPath).config)
        let base = ControlUIRoute.normalizedBasePath(config?.gateway?.controlUi?.basePath)
        var http = target.url.replacingOccurrences(of: "wss://", with: "https://").replacingOccurrences(of: "ws://", with: "http://")
        while http.hasSuffix("/") { http.removeLast() }
        let page = http + base + "/"
        guard let token = target.token, !token.isEmpty else { return page }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return page + "#token=" + (token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token)
    }
}
