// Tests/CLITests/ControlUIBrowserTests.swift - the Control UI driven in headless Chromium against a real gateway

import Foundation
import Generated
import TestUpstream
import Testing

/// Drives the shipped UI through the DevTools protocol, as an operator would, and saves a screenshot of
/// each view under `ControlUIStack.artifacts`. Skipped, with the reason, where no Chromium is installed.
@Suite("control UI in a browser", .serialized)
struct ControlUIBrowserTests {
    static let skipReason: Comment = "chromium is not installed (scripts/test installs Debian's chromium through .ci/run)"

    @Test(.enabled(if: HeadlessChromium.isInstalled, skipReason), .timeLimit(.minutes(3)))
    func operatorConsoleEndToEnd() async throws {
        let stack = try await ControlUIStack.start(replies: [
            OpenAIScript.text(["Hello", " from", " the", " fake", " model."], pauseBetween: .milliseconds(200))
        ])
        let browser = try await HeadlessChromium.launch()
        do {
            try await drive(stack, browser)
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await browser.stop()
        await stack.stop()
    }

    private func drive(_ stack: ControlUIStack, _ browser: HeadlessChromium) async throws {
        let shots = ControlUIStack.artifacts
        let page = try await browser.open(stack.base + "/#token=\(ControlUIStack.token)")

        // Overview: populated from hello-ok and status; the token left the address bar for storage.
        let overviewMs = try await page.waitFor(
            "document.querySelector('[data-testid=health]')?.textContent === 'ok' && document.querySelector('[data-testid=presence] tbody tr') && performance.now()"
        )
        #expect(try await page.evaluate("location.hash") == "")
        #expect(try await page.evaluate("localStorage.getItem('openclaw.token')") == .string(ControlUIStack.token))
        // The snapshot lists the gateway itself; the UI's own entry follows in the first presence event.
        #expect(try await page.evaluate("document.querySelector('[data-testid=presence] tbody tr').innerText.includes('gateway')") == true)
        _ = try await page.waitFor("document.querySelector('[data-testid=presence]').innerText.includes('Control UI')")
        #expect(try await page.evaluate("document.querySelector('[data-testid=version]').textContent.length > 0") == true)
        try await recordPageLoad(page, overviewMs: overviewMs)
        try await page.screenshot(to: shots + "/01-overview.png")
        try await page.send("Emulation.setDeviceMetricsOverride", ["width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true])
        try await page.screenshot(to: shots + "/02-overview-phone.png")
        try await page.send("Emulation.clearDeviceMetricsOverride")

        // Chat: send with the keyboard, watch the answer stream in, then settle.
        try await page.click("a[data-view=chat]")
        try await page.waitFor("document.querySelector('#chat-session option')")
        try await page.evaluate(
            """
            (() => { window.__partials = []; new MutationObserver(() => {
              const text = document.querySelector('.msg[data-role=assistant][data-streaming] .text')?.textContent;
              if (text) window.__partials.push(text);
            }).observe(document.querySelector('.transcript'), { subtree: true, childList: true, characterData: true }); return true; })()
            """
        )
        try await page.type("Hi there", into: "#chat-input", enter: true)
        try await page.waitFor("document.querySelector('.msg[data-role=assistant][data-state=final] .text')?.textContent === 'Hello from the fake model.'")
        let partials = try await page.evaluate("window.__partials").arrayValue?.compactMap(\.stringValue) ?? []
        #expect(partials.contains { !$0.isEmpty && $0 != "Hello from the fake model." }, "no streamed partial text: \(partials)")
        #expect(try await page.evaluate("document.querySelector('.msg[data-role=user] .text').textContent") == "Hi there")
        try await page.screenshot(to: shots + "/03-chat.png")

        // Sessions: the chat's session is listed; search narrows the list.
        try await page.click("a[data-view=sessions]")
        try await page.waitFor("document.querySelector('[data-testid=sessions]')?.innerText.includes('agent:main:main')")
        try await page.screenshot(to: shots + "/04-sessions.png")
        try await page.type("no-such-session", into: "#sessions-search")
        try await page.waitFor("document.querySelector('[data-testid=sessions-count]')?.textContent === '0 sessions'")

        // Logs: a line written while the view is open arrives by itself.
        try await page.click("a[data-view=logs]")
        try await page.waitFor("document.querySelectorAll('[data-testid=logs] li').length > 0")
        _ = try await stack.connectAsControlUI(origin: "https://evil.example.com")
        try await page.waitFor("document.querySelector('[data-testid=logs]').innerText.includes('origin not allowed')")
        try await page.screenshot(to: shots + "/05-logs.png")

        // Config: a form field saved with the base-hash guard; the running gateway picks the change up.
        try await page.click("a[data-view=config]")
        try await page.waitFor("document.querySelector('#cfg-logging-level')")
        try await page.evaluate(
            "(() => { const s = document.querySelector('#cfg-logging-level'); s.value = 'debug'; s.dispatchEvent(new Event('change')); return true; })()"
        )
        try await page.click("form.config-form button[type=submit]")
        try await page.waitFor("document.querySelector('[data-testid=config-saved]')?.textContent.includes('logging.level')")
        #expect(try String(contentsOfFile: stack.sandbox.configPath, encoding: .utf8).contains("\"debug\""))
        #expect(await stack.gateway.waitForOutput("config change detected; evaluating reload (logging.level)"), "\(stack.gateway.text)")
        try await page.screenshot(to: shots + "/06-config.png")

        // A bad value comes back as a validation error next to its field.
        try await page.evaluate(
            "(() => { const i = document.querySelector('#cfg-gateway-port'); i.value = '70000'; i.dispatchEvent(new Event('input')); return true; })()"
        )
        try await page.click("form.config-form button[type=submit]")
        try await page.waitFor("document.querySelector('[data-testid=config-issues]')?.innerText.includes('gateway.port')")
        #expect(try await page.evaluate("document.querySelector('#cfg-gateway-port').getAttribute('aria-invalid')") == "true")
        try await page.screenshot(to: shots + "/07-config-invalid.png")

        // Debug: any method with JSON params; the answer is shown.
        try await page.click("a[data-view=debug]")
        try await page.evaluate(
            "document.querySelector('#debug-method').value = 'health'; document.querySelector('#debug-params').value = '{\"probe\": true}'; true")
        try await page.click("#main form button[type=submit]")
        try await page.waitFor("document.querySelector('[data-testid=debug-output]')?.textContent.includes('\"ok\": true')")
        try await page.screenshot(to: shots + "/08-debug.png")

        // Apply and restart from the raw editor: the UI shows the restart and reconnects by itself.
        try await page.click("a[data-view=config]")
        try await page.waitFor("document.querySelector('#config-raw')?.value.includes('debug')")
        try await page.click("button[aria-controls=config-raw-panel]")
        try await page.click("#config-raw-panel button:nth-of-type(2)")
        try await page.waitFor("document.body.dataset.connection === 'restarting'", timeoutMs: 20000)
        try await page.screenshot(to: shots + "/09-restarting.png")
        try await page.waitFor("document.body.dataset.connection === 'connected'", timeoutMs: 30000)
        #expect(stack.gateway.text.contains("restart"), "\(stack.gateway.text)")

        // Dark theme, on the overview.
        try await page.click("a[data-view=overview]")
        try await page.waitFor("document.querySelector('[data-testid=health]')?.textContent === 'ok'")
        try await page.evaluate("document.documentElement.dataset.theme = 'dark'; true")
        try await page.screenshot(to: shots + "/10-overview-dark.png")
    }

    @Test(.enabled(if: HeadlessChromium.isInstalled, skipReason), .timeLimit(.minutes(3)))
    func toolCardsAbortResetAndDelete() async throws {
        let stack = try await ControlUIStack.start(replies: [
            OpenAIScript.toolCall(id: "call_time", name: "current_time", arguments: "{}"),
            OpenAIScript.text(["It is", " late."]),
            OpenAIScript.endless("Once upon a time"),
        ])
        let browser = try await HeadlessChromium.launch()
        do {
            let shots = ControlUIStack.artifacts
            let page = try await browser.open(stack.base + "/#token=\(ControlUIStack.token)")
            try await page.waitFor("document.body.dataset.connection === 'connected'")

            // A tool call shows as a card with its name and result, before the answer.
            try await page.click("a[data-view=chat]")
            try await page.waitFor("document.querySelector('#chat-session option')")
            try await page.type("What time is it?", into: "#chat-input", enter: true)
            try await page.waitFor("document.querySelector('.msg[data-role=assistant][data-state=final] .text')?.textContent === 'It is late.'")
            #expect(try await page.evaluate("document.querySelector('li.tool summary')?.textContent") == "Tool: current_time")
            #expect(try await page.evaluate("document.querySelector('li.tool .result')?.textContent.length > 0") == true)
            #expect(
                try await page.evaluate(
                    "(document.querySelector('li.tool').compareDocumentPosition(document.querySelector('.msg[data-state=final]')) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0"
                ) == true)
            try await page.screenshot(to: shots + "/12-chat-tool-card.png")

            // A run that never ends stops with Abort, and says so.
            try await page.type("Tell me a long story", into: "#chat-input", enter: true)
            try await page.waitFor("document.querySelector('.msg[data-role=assistant][data-streaming] .text')?.textContent.startsWith('Once upon')")
            try await page.waitFor("[...document.querySelectorAll('form.composer button')].find((b) => b.textContent === 'Abort')?.disabled === false")
            try await page.evaluate("[...document.querySelectorAll('form.composer button')].find((b) => b.textContent === 'Abort').click(); true")
            try await page.waitFor("document.querySelector('.msg[data-role=assistant][data-state=aborted]')?.innerText.includes('Aborted.')")
            try await page.screenshot(to: shots + "/13-chat-aborted.png")

            // Sessions: reset empties the transcript, delete removes the session (both confirmed).
            try await page.click("a[data-view=sessions]")
            try await page.waitFor("document.querySelector('[data-testid=sessions]')?.innerText.includes('agent:main:main')")
            try await page.evaluate("window.confirm = () => true; true")
            try await page.click("button[aria-label='Reset agent:main:main']")
            try await page.click("a[data-view=chat]")
            try await page.waitFor("document.querySelector('.transcript li.empty')?.textContent.startsWith('No messages yet')")
            try await page.click("a[data-view=sessions]")
            try await page.waitFor("document.querySelector('[data-testid=sessions]')?.innerText.includes('agent:main:main')")
            try await page.evaluate("window.confirm = () => true; true")
            try await page.click("button[aria-label='Delete agent:main:main']")
            try await page.waitFor("document.querySelector('[data-testid=sessions-count]')?.textContent === '0 sessions'")
            try await page.screenshot(to: shots + "/14-sessions-deleted.png")
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await browser.stop()
        await stack.stop()
    }

    /// Bytes the page load transferred and the time to a rendered Overview, saved for scripts/bench-ui.
    private func recordPageLoad(_ page: BrowserPage, overviewMs: JSONValue) async throws {
        let bytes = try await page.evaluate(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0)"
        )
        let decoded = try await page.evaluate(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + e.decodedBodySize, 0)"
        )
        let files = try await page.evaluate("performance.getEntriesByType('resource').length + 1")
        let report: JSONValue = ["transferBytes": bytes, "bodyBytes": decoded, "requests": files, "overviewRenderedMs": overviewMs]
        try FileManager.default.createDirectory(atPath: ControlUIStack.artifacts, withIntermediateDirectories: true)
        try Data(report.text.utf8).write(to: URL(fileURLWithPath: ControlUIStack.artifacts + "/page-load.json"))
        print("control UI page load: \(report.text) (artifacts in \(ControlUIStack.artifacts))")
    }

    @Test(.enabled(if: HeadlessChromium.isInstalled, skipReason), .timeLimit(.minutes(2)))
    func wrongTokenShowsTheGatewaysReason() async throws {
        let stack = try await ControlUIStack.start()
        let browser = try await HeadlessChromium.launch()
        do {
            let page = try await browser.open(stack.base + "/#token=wrong-token")
            let message = try await page.waitFor("document.querySelector('#auth-error')?.textContent")
            #expect(message.stringValue?.contains("gateway token mismatch") == true, "\(message)")
            #expect(try await page.evaluate("document.body.dataset.connection") == "auth-failed")
            try await page.screenshot(to: ControlUIStack.artifacts + "/11-wrong-token.png")
            // Fixing the token in the form connects.
            try await page.evaluate("document.querySelector('#auth-token').value = '\(ControlUIStack.token)'; true")
            try await page.click("form.login button[type=submit]")
            try await page.waitFor("document.body.dataset.connection === 'connected'")
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await browser.stop()
        await stack.stop()
    }
}
