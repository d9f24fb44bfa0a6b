// Sources/Runtime/ControlUI/ControlUIAssets.swift - the Control UI files shipped with the binary, loaded once

import Crypto
import Foundation
import Generated

/// The Control UI's files (SwiftPM resources of this target, `ControlUI/Assets`), read into memory on
/// first use. Assets are served under `assets/<version>/…`, where the version is a hash of every file,
/// so they can be cached for a year; `index.html` names that path and is never cached.
struct ControlUIAssets: Sendable {
    struct File: Sendable {
        var bytes: Data
        var contentType: String
    }

    /// Files below `assets/`, keyed by their path inside it (`app.js`, `views/chat.js`).
    let files: [String: File]
    /// `index.html` as shipped, with `{{VERSION}}` still in it.
    let indexTemplate: String
    /// First 12 hex digits of the SHA-256 over every file's path and bytes.
    let version: String

    /// The shipped assets, or nil when the resource bundle is missing (the route then answers 503).
    static let shipped: ControlUIAssets? = load()

    static func load(from root: URL? = resourceRoot()) -> ControlUIAssets? {
        guard let root, let index = try? String(contentsOf: root.appendingPathComponent("index.html"), encoding: .utf8) else { return nil }
        let assetsDir = root.appendingPathComponent("assets")
        var files: [String: File] = [:]
        var hasher = SHA256()
        hasher.update(data: Data(index.utf8))
        let walker = FileManager.default.enumerator(at: assetsDir, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [(String, URL)] = []
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(assetsDir.standardizedFileURL.path.count + 1))
            paths.append((relative, url))
        }
        for (relative, url) in paths.sorted(by: { $0.0 < $1.0 }) {
            guard let bytes = try? Data(contentsOf: url) else { continue }
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: bytes)
            files[relative] = File(bytes: bytes, contentType: contentType(for: relative))
        }
        let version = hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
        return ControlUIAssets(files: files, indexTemplate: index, version: version)
    }

    /// `index.html` for a base path: `<base href>` so deep links resolve, and the versioned asset path.
    func index(basePath: String) -> Data {
        let html =
            indexTemplate
            .replacingOccurrences(of: "{{BASE}}", with: basePath + "/")
            .replacingOccurrences(of: "{{VERSION}}", with: version)
        return Data(html.utf8)
    }

    /// Where SwiftPM put this target's resources: next to the executable (the `openclaw` binary or the
    /// test runner), in `openclaw-gateway_Runtime.resources`. Looked up by hand rather than with
    /// `Bundle.module`, which stops the process when the bundle is missing.
    static func resourceRoot() -> URL? {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment[EnvironmentVariable.controlUiDir] {
            candidates.append(URL(fileURLWithPath: override))
        }
        let bundleNames = ["openclaw-gateway_Runtime.resources", "openclaw-gateway_Runtime.bundle"]
        var dirs: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            dirs.append(executable.deletingLastPathComponent())
        }
        for dir in dirs {
            for name in bundleNames {
                candidates.append(dir.appendingPathComponent(name).appendingPathComponent("Assets"))
                candidates.append(dir.appendingPathComponent(name).appendingPathComponent("Contents/Resources/Assets"))
            }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("index.html").path) }
    }

    static func contentType(for path: String) -> String {
        switch path.split(separator: ".").last.map(String.init) ?? "" {
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json", "webmanifest": "application/json; charset=utf-8"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }
}
