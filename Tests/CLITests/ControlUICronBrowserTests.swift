// Tests/CLITests/ControlUICronBrowserTests.swift - the Cron view in headless Chromium against a real gateway

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

/// Cron jobs from the Control UI: a job added over RPC appears by itself (the `cron` event), shows its schedule
/// and next run in the browser's local time; "Run now" runs it and its history lists the run; the switch
/// disables it, and enabling it from another client shows up live. Screenshots go to `ControlUIStack.artifacts`
/// (30-…). Part of the serialized browser suite, so no two Chromiums run at once.
extension ControlUIBrowserTests {
    @Test(.enabled(if: HeadlessChromium.isInstalled, skipReason), .timeLimit(.minutes(3)))
    func cronViewRunsTogglesAndShowsHistory() async throws {
        let stack = try await ControlUIStack.start(replies: [OpenAIScript.text(["HEARTBEAT_OK"])])
        let browser = try await HeadlessChromium.launch()
        let admin = try await GatewayClient.connect(
            GatewayClientOptions(url: "ws://127.0.0.1:\(stack.port)", token: ControlUIStack.token, identity: DeviceIdentity()))
        do {
            try await driveCronView(stack, browser, admin)
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await admin.close()
        await browser.stop()
        await stack.stop()
    }

    private func driveCronView(_ stack: ControlUIStack, _ browser: HeadlessChromium, _ admin: GatewayClient) async throws {
        let shots = ControlUIStack.artifacts
        let page = try await browser.open(stack.base + "/cron#token=\(ControlUIStack.token)")
        try await page.waitFor("document.querySelector('[data-testid=cron-empty]')?.textContent === 'No cron jobs.'")
        #expect(try await page.evaluate("document.querySelector('nav a[aria-current=page]')?.dataset.view") == "cron")

        // Added elsewhere: the row comes with the `added` event, no reload.
        let job = try await admin.cronAdd(
            CronAddParams(
                name: "Inbox check", schedule: CronSchedule(kind: .every, everyMs: 600_000),
                payload: CronPayload(kind: .systemEvent, text: "Check the inbox")))
        let row = "document.querySelector('tr[data-job=\"\(job.id)\"]')"
        try await page.waitFor("\(row)?.innerText.includes('Inbox check')")
        #expect(try await page.evaluate("\(row).querySelector('td[data-label=Schedule]').textContent") == "every 10m")
        let next = try #require(job.state.nextRunAtMs)
        // The next run as a machine-readable instant, written out in the browser's own zone.
        #expect(try await page.evaluate("\(row).querySelector('[data-testid=next-run]').dateTime") == .string(CronTimeText.isoString(ms: Int64(next))))
        #expect(try await page.evaluate("\(row).querySelector('[data-testid=next-run]').textContent === new Date(\(next)).toLocaleString()") == true)
        #expect(try await page.evaluate("\(row).dataset.status") == "idle")
        try await page.screenshot(to: shots + "/30-cron-job.png")

        // Run now: started, then finished (the row's status and the history follow the events).
        try await page.click("button[aria-label='Run Inbox check now']")
        // The note says it started, until the `finished` event (which may come first) says how it ended.
        try await page.waitFor("/^(Started Inbox check\\.|Inbox check finished: )/.test(document.querySelector('[data-testid=cron-note]').textContent)")
        try await page.waitFor("['ok', 'skipped'].includes(\(row).dataset.status)", timeoutMs: 30000)
        try await page.click("button[aria-label='History of Inbox check']")
        try await page.waitFor("document.querySelectorAll('[data-testid=cron-runs] tbody tr').length === 1")
        #expect(try await page.evaluate("document.querySelector('[data-testid=cron-history] h2').textContent") == "History: Inbox check")
        let runs = try await admin.cronRuns(CronRunsParams(id: job.id))
        #expect(runs.entries.count == 1)
        #expect(
            try await page.evaluate("document.querySelector('[data-testid=cron-runs] tbody tr').dataset.status")
                == .string(runs.entries.first?.status?.rawValue ?? "?"))
        try await page.screenshot(to: shots + "/31-cron-history.png")

        // The switch disables it in the gateway; enabling it from another client shows up live.
        try await page.click("input[aria-label='Enabled: Inbox check']")
        try await page.waitFor(
            "\(row)?.dataset.status === 'disabled' && document.querySelector('[data-testid=cron-note]').textContent === 'Disabled Inbox check.'")
        #expect(try await admin.cronList(CronListParams(includeDisabled: true)).jobs.first?.enabled == false)
        _ = try await admin.cronUpdate(CronUpdateParams(id: job.id, patch: CronJobPatch(enabled: true)))
        try await page.waitFor("\(row)?.dataset.status !== 'disabled' && \(row).querySelector('input[type=checkbox]').checked")

        // Removed elsewhere: the row goes.
        _ = try await admin.cronRemove(CronJobRef(id: job.id))
        try await page.waitFor("!\(row) && document.querySelector('[data-testid=cron-empty]')")
    }
}
