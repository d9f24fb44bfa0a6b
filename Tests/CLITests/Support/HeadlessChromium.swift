// Tests/CLITests/Support/HeadlessChromium.swift - a headless Chromium process driven over the DevTools protocol

import Foundation
import Generated
import Runtime
import Synchronization
import TestSupport
import TestUpstream

/// One headless Chromium with a private profile, and the DevTools connection to it. Tests that need it
/// are skipped (with the reason) when no Chromium is installed; `.ci/run` installs Debian's `chromium`.
final class HeadlessChromium: Sendable {
    let process: SpawnedProcess
    let cdp: CDPClient
    let profile: String

    /// The browser binary: `$OPENCLAW_CHROMIUM`, else `chromium`, `chromium-browser` or `google-chrome` on PATH.
    static let binary: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["OPENCLAW_CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin", "/snap/bin"]
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if let dir = dirs.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }) { return "\(dir)/\(name)" }
        }
        return nil
    }()

    static var isInstalled: Bool { binary != nil }

    private init(process: SpawnedProcess, cdp: CDPClient, profile: String) {
        self.process = process
        self.cdp = cdp
        self.profile = profile
    }

    /// Starts the browser with its DevTools protocol on a pipe (fd 3 in, fd 4 out; see CDPClient), with
    /// `extraArguments` after the usual ones.
    static func launch(extraArguments: [String] = []) async throws -> HeadlessChromium {
        guard let binary else { throw CDPError("chromium is not installed") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-chromium-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        var arguments =
            [
                "--headless=new", "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check",
                "--disable-gpu", "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
                "--window-size=1280,900",
            ] + extraArguments + ["about:blank"]
        // Chromium's sandbox refuses to run as root (CI containers).
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        let toBrowser = Pipe()
        let fromBrowser = Pipe()
        let cdp = CDPClient(toBrowser: toBrowser.fileHandleForWriting, fromBrowser: fromBrowser.fileHandleForReading)
        // The shell only wires our stdin/stdout pipes to the browser's fd 3/4, then becomes the browser.
        let process = try await SpawnedProcess.start(
            "/bin/sh", ["-c", #"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#, binary] + arguments, input: .pipe(toBrowser), output: .pipe(fromBrowser)
        )
        let browser = HeadlessChromium(process: process, cdp: cdp, profile: profile)
        do {
            _ = try await within(20) { try await cdp.send("Browser.getVersion") }
        } catch {
            await browser.stop()
            throw CDPError("chromium did not answer on its DevTools pipe: \(error)")
        }
        return browser
    }

    /// Opens a new tab on `url` and returns it once attached.
    func open(_ url: String) async throws -> BrowserPage {
        let target = try await cdp.send("Target.createTarget", ["url": "about:blank"])
        guard let targetId = target["targetId"]?.stringValue else { throw CDPError("no targetId: \(target.text)") }
        let attached = try await cdp.send("Target.attachToTarget", ["targetId": .string(targetId), "flatten": true])
        guard let session = attached["sessionId"]?.stringValue else { throw CDPError("no sessionId: \(attached.text)") }
        let page = BrowserPage(cdp: cdp, session: session, targetId: targetId)
        try await page.send("Page.enable")
        try await page.send("Runtime.enable")
        try await page.navigate(url)
        return page
    }

    /// Closes DevTools, stops the browser (SIGTERM, then SIGKILL) and removes its profile.
    func stop() async {
        _ = try? await within(5) { try await self.cdp.send("Browser.close") }
        cdp.end("browser stopped")
        await process.exited(within: .seconds(5))
        try? FileManager.default.removeItem(atPath: profile)
    }
}

/// One tab, attached with a flat DevTools session.
struct BrowserPage: Sendable {
    let cdp: CDPClient
    let session: String
    let targetId: String

    @discardableResult
    func send(_ method: String, _ params: JSONValue = [:]) async throws -> JSONValue {
        try await cdp.send(method, params, session: session)
    }

    /// Navigates and waits for the load event.
    func navigate(_ url: String) async throws {
        let loaded = cdp.expectEvent("Page.loadEventFired")
        try await send("Page.navigate", ["url": .string(url)])
        for try await _ in loaded { break }
    }

    /// Evaluates an expression in the page (awaiting a promise) and returns its value.
    @discardableResult
    func evaluate(_ expression: String) async throws -> JSONValue {
        let result = try await send("Runtime.evaluate", ["expression": .string(expression), "awaitPromise": true, "returnByValue": true])
        if let exception = result["exceptionDetails"] {
            throw CDPError("page threw: \(exception["exception"]?["description"]?.stringValue ?? exception.text)")
        }
        return result["result"]?["value"] ?? .null
    }

    /// Resolves once `predicate` (a JS expression) is truthy, re-checked on every DOM change; returns its value.
    @discardableResult
    func waitFor(_ predicate: String, timeoutMs: Int = 15000) async throws -> JSONValue {
        let source = JSONValue.string(predicate).text
        return try await evaluate(
            """
            new Promise((resolve, reject) => {
              const test = () => { try { return (\(predicate)); } catch { return undefined; } };
              const observer = new MutationObserver(() => { const v = test(); if (v) { finish(); resolve(v); } });
              const timer = setTimeout(() => { observer.disconnect(); reject(new Error("timed out waiting for " + \(source) + "\\n" + document.body.innerText.slice(0, 2000))); }, \(timeoutMs));
              const finish = () => { observer.disconnect(); clearTimeout(timer); };
              const now = test();
              if (now) { finish(); resolve(now); } else observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
            })
            """
        )
    }

    /// Clicks the first element matching `selector`.
    func click(_ selector: String) async throws {
        let selectorText = JSONValue.string(selector).text
        try await evaluate(
            "(() => { const el = document.querySelector(\(selectorText)); if (!el) throw new Error('no ' + \(selectorText)); el.click(); return true; })()")
    }

    /// Types text into the focused element as keyboard input, then optionally presses Enter.
    func type(_ text: String, into selector: String, enter: Bool = false) async throws {
        try await evaluate("document.querySelector(\(JSONValue.string(selector).text)).focus()")
        try await send("Input.insertText", ["text": .string(text)])
        if enter {
            for type in ["keyDown", "keyUp"] {
                try await send(
                    "Input.dispatchKeyEvent", ["type": .string(type), "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13])
            }
        }
    }

    /// Saves a PNG of the viewport.
    func screenshot(to path: String) async throws {
        let shot = try await send("Page.captureScreenshot", ["format": "png"])
        guard let base64 = shot["data"]?.stringValue, let data = Data(base64Encoded: base64) else { throw CDPError("no screenshot data") }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
