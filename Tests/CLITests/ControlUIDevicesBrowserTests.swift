// Tests/CLITests/ControlUIDevicesBrowserTests.swift - the Devices view and the refused-browser flow in headless Chromium

import Foundation
import Generated
import Runtime
import TestUpstream
import Testing

/// Device pairing from the Control UI, against a real gateway: an operator approves, rotates, revokes and removes
/// another client's device in the Devices view; and a browser on the LAN address, refused with "pairing
/// required", shows its request and connects by itself once the CLI approves it. Screenshots go to
/// `ControlUIStack.artifacts` (20-…). Part of the serialized browser suite, so no two Chromiums run at once.
extension ControlUIBrowserTests {
    static let lanSkipReason: Comment = "this machine has no non-loopback IPv4 address for the browser to connect from as a remote peer"

    @Test(.enabled(if: HeadlessChromium.isInstalled, skipReason), .timeLimit(.minutes(3)))
    func devicesViewApprovesRotatesRevokesAndRemoves() async throws {
        let stack = try await ControlUIStack.start()
        let browser = try await HeadlessChromium.launch()
        do {
            try await driveDevicesView(stack, browser)
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await browser.stop()
        await stack.stop()
    }

    private func driveDevicesView(_ stack: ControlUIStack, _ browser: HeadlessChromium) async throws {
        let shots = ControlUIStack.artifacts
        let page = try await browser.open(stack.base + "/devices#token=\(ControlUIStack.token)")
        // The UI itself is a device, paired silently on loopback; the list marks it.
        try await page.waitFor("document.querySelector('[data-testid=devices-paired]')?.innerText.includes('this browser')")
        #expect(try await page.evaluate("document.querySelector('nav a[aria-current=page]')?.dataset.view") == "devices")

        // Another client (a signed device on loopback) is paired for read, then asks for write: a pending
        // scope upgrade. The view lists it by itself, from the device.pair.requested event.
        var laptop = GatewayClientOptions(url: "ws://127.0.0.1:\(stack.port)", token: ControlUIStack.token, identity: DeviceIdentity())
        laptop.clientId = .test
        laptop.clientMode = .test
        laptop.displayName = "Laptop"
        laptop.scopes = ["operator.read"]
        await (try await GatewayClient.connect(laptop)).close()
        laptop.scopes = ["operator.read", "operator.write"]
        let refused = try await Self.refusal(laptop)
        #expect(refused?.details?["reason"]?.stringValue == "scope-upgrade")
        let requestId = try #require(refused?.details?["requestId"]?.stringValue)
        let deviceId = try #require(laptop.identity?.deviceId)
        try await page.waitFor(
            "document.querySelector('[data-testid=devices-pending] tr[data-request=\"\(requestId)\"]')?.innerText.includes('operator.write')")
        #expect(try await page.evaluate("document.querySelector('[data-testid=devices-note]').textContent") == "New pairing request from Laptop.")
        try await page.screenshot(to: shots + "/20-devices-pending.png")
        try await page.send("Emulation.setDeviceMetricsOverride", ["width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true])
        // Nothing sticks out at phone width, apart from the navigation, which scrolls by design.
        let overflowing = try await page.evaluate(
            "[...document.querySelectorAll('#main *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1).map((e) => e.tagName + '.' + e.className).slice(0, 5)"
        )
        #expect(overflowing == [], "wider than a phone: \(overflowing)")
        try await page.screenshot(to: shots + "/21-devices-phone.png")
        try await page.send("Emulation.clearDeviceMetricsOverride")

        // Approve: the request leaves, the device is paired with write, and it can now connect asking for it.
        try await page.click("button[aria-label='Approve Laptop']")
        try await page.waitFor(
            "!document.querySelector('[data-testid=devices-pending]') && document.querySelector('tr[data-device=\"\(deviceId)\"]')?.innerText.includes('operator.write')"
        )
        #expect(try await page.evaluate("document.querySelector('[data-testid=devices-note]').textContent") == "Approved Laptop.")
        let admin = try await GatewayClient.connect(
            GatewayClientOptions(url: "ws://127.0.0.1:\(stack.port)", token: ControlUIStack.token, identity: DeviceIdentity()))
        #expect(try await Self.paired(admin, deviceId)?.scopes?.contains("operator.write") == true)
        let connected = try await GatewayClient.connect(laptop)
        let oldToken = try #require(connected.hello.auth?.deviceToken)

        // Rotate (confirmed): the laptop's socket closes, its old token stops working; the dialog says the new
        // token goes only to the device itself.
        try await page.evaluate("window.confirm = () => true; true")
        try await page.click("button[aria-label='Rotate operator token of Laptop']")
        try await page.waitFor("document.querySelector('[data-testid=token-dialog]')?.open && document.querySelector('[data-testid=token-withheld]')")
        try await page.screenshot(to: shots + "/22-devices-rotated.png")
        try await page.click("[data-testid=token-dialog] button[type=submit]")
        try await page.waitFor("!document.querySelector('[data-testid=token-dialog]').open")
        try await Self.waitUntilClosed(connected)
        var withOldToken = laptop
        withOldToken.token = nil
        withOldToken.deviceToken = oldToken
        #expect(try await Self.refusal(withOldToken)?.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH")
        #expect(try await Self.paired(admin, deviceId)?.tokens?.first?.rotatedAtMs != nil)
        try await page.waitFor("document.querySelector('tr[data-device=\"\(deviceId)\"]')?.innerText.includes('rotated')")

        // Revoke (confirmed): the token shows as revoked, in the list and in the gateway.
        let reconnected = try await GatewayClient.connect(laptop)
        let rotatedToken = try #require(reconnected.hello.auth?.deviceToken)
        #expect(rotatedToken != oldToken)
        try await page.click("button[aria-label='Revoke operator token of Laptop']")
        try await page.waitFor("document.querySelector('tr[data-device=\"\(deviceId)\"] li[data-role=operator][data-state=revoked]')")
        try await Self.waitUntilClosed(reconnected)
        #expect(try await Self.paired(admin, deviceId)?.tokens?.first?.revokedAtMs != nil)
        withOldToken.deviceToken = rotatedToken
        #expect(try await Self.refusal(withOldToken)?.details?["code"]?.stringValue == "AUTH_DEVICE_TOKEN_MISMATCH")
        try await page.screenshot(to: shots + "/23-devices-revoked.png")

        // Remove, declined at the confirmation: nothing happens. Then confirmed: the row goes, and so does the pairing.
        try await page.evaluate("window.confirm = () => false; true")
        try await page.click("button[aria-label='Remove Laptop']")
        #expect(try await Self.paired(admin, deviceId) != nil)
        try await page.evaluate("window.confirm = () => true; true")
        try await page.click("button[aria-label='Remove Laptop']")
        try await page.waitFor(
            "!document.querySelector('tr[data-device=\"\(deviceId)\"]') && document.querySelector('[data-testid=devices-note]').textContent === 'Removed Laptop.'"
        )
        #expect(try await Self.paired(admin, deviceId) == nil)
        await admin.close()

        // Reject: a new request from another device goes away without a pairing.
        var phone = laptop
        phone.identity = DeviceIdentity()
        phone.displayName = "Phone"
        phone.scopes = ["operator.read"]
        await (try await GatewayClient.connect(phone)).close()
        phone.scopes = ["operator.read", "operator.write"]
        let phoneRequest = try #require(try await Self.refusal(phone)?.details?["requestId"]?.stringValue)
        try await page.waitFor("document.querySelector('tr[data-request=\"\(phoneRequest)\"]')")
        try await page.click("button[aria-label='Reject Phone']")
        try await page.waitFor(
            "!document.querySelector('[data-testid=devices-pending]') && document.querySelector('[data-testid=devices-note]').textContent === 'Rejected Phone.'"
        )

        // Rotating this browser's own token shows the new token once; the UI reconnects by itself.
        let ownId = try #require(try await page.evaluate("JSON.parse(localStorage.getItem('openclaw.device.v1')).id").stringValue)
        try await page.evaluate("document.querySelector('tr[data-device=\"\(ownId)\"] button[aria-label^=Rotate]').click(); true")
        let shown = try await page.waitFor("document.querySelector('[data-testid=token-value]')?.value")
        #expect(shown.stringValue?.count == 43, "\(shown)")
        #expect(try await page.evaluate("document.activeElement?.id") == "token-dialog-value")
        try await page.waitFor(
            "document.body.dataset.connection === 'connected' && document.querySelector('tr[data-device=\"\(ownId)\"]')?.innerText.includes('rotated')")
        #expect(try await page.evaluate("document.querySelector('[data-testid=token-dialog]').open") == true)
        try await page.screenshot(to: shots + "/24-devices-own-token.png")
    }

    @Test(
        .enabled(if: HeadlessChromium.isInstalled, skipReason), .enabled(if: LANAddress.isAvailable, lanSkipReason),
        .timeLimit(.minutes(3))
    )
    func refusedBrowserShowsTheRequestAndConnectsOnceApproved() async throws {
        let ip = try #require(LANAddress.ipv4)
        let port = Sandbox.freePort()
        let origin = "http://\(ip):\(port)"
        let stack = try await ControlUIStack.start(controlUi: "{ allowedOrigins: [\"\(origin)\"] }", bind: "\"lan\"", port: port)
        // WebCrypto (the device key) needs a secure context: a plain-http LAN page is one only when told so,
        // as an https page would be.
        let browser = try await HeadlessChromium.launch(extraArguments: ["--unsafely-treat-insecure-origin-as-secure=\(origin)"])
        do {
            let page = try await browser.open(origin + "/#token=\(ControlUIStack.token)")
            let command = try await page.waitFor("document.querySelector('[data-testid=pairing-command]')?.textContent")
            let requestId = try #require(command.stringValue?.replacingOccurrences(of: "openclaw devices approve ", with: ""))
            #expect(command.stringValue == "openclaw devices approve \(requestId)" && requestId.count > 8, "\(command)")
            #expect(try await page.evaluate("document.querySelector('[data-testid=pairing-request]').textContent") == .string(requestId))
            #expect(try await page.evaluate("document.querySelector('[data-testid=pairing] h2').textContent") == "Pairing required")
            #expect(try await page.evaluate("document.body.dataset.connection") == "pairing")
            #expect(try await page.evaluate("document.querySelector('.banner').textContent.includes('\(requestId)')") == true)
            // It keeps trying with the same request, without reloading the page.
            try await page.evaluate("window.__sameDocument = true; true")
            try await page.waitFor("document.querySelector('[data-testid=pairing-retry]')?.textContent.includes('attempt 2')")
            #expect(try await page.evaluate("document.querySelector('[data-testid=pairing-request]').textContent") == .string(requestId))
            try await page.screenshot(to: ControlUIStack.artifacts + "/25-pairing-required.png")

            // A UI on the gateway host (paired silently) lists the request with the browser's address.
            let host = try await browser.open("http://127.0.0.1:\(port)/devices#token=\(ControlUIStack.token)")
            try await host.waitFor("document.querySelector('tr[data-request=\"\(requestId)\"]')?.innerText.includes('\(ip)')")

            let approve = try await OpenClawProcess(["devices", "approve", requestId], environment: stack.sandbox.environment())
            #expect(await approve.wait() == 0, "\(approve.text)")
            #expect(approve.text.contains("Approved") && approve.text.contains(requestId), "\(approve.text)")
            // The host's list follows the approval made elsewhere (device.pair.resolved).
            try await host.waitFor(
                "!document.querySelector('[data-testid=devices-pending]') && document.querySelector('[data-testid=devices-paired]')?.innerText.includes('\(ip)')"
            )

            try await page.waitFor(
                "document.body.dataset.connection === 'connected' && document.querySelector('[data-testid=health]')?.textContent === 'ok'", timeoutMs: 20000)
            #expect(try await page.evaluate("window.__sameDocument === true && !document.querySelector('[data-testid=pairing]')") == true)
            try await page.screenshot(to: ControlUIStack.artifacts + "/26-pairing-approved.png")

            // The gateway paired it as a remote device, with the UI's scopes.
            let admin = try await GatewayClient.connect(
                GatewayClientOptions(url: "ws://127.0.0.1:\(port)", token: ControlUIStack.token, identity: DeviceIdentity()))
            let list = try await admin.request("device.pair.list", params: [:], as: DevicePairListResult.self)
            await admin.close()
            let browserDevice = try #require(list.paired.first { $0.remoteIp == ip })
            #expect(browserDevice.clientId == "openclaw-control-ui" && browserDevice.scopes?.contains("operator.admin") == true)
        } catch {
            Issue.record("\(error)\n--- gateway:\n\(stack.gateway.text.suffix(4000))")
        }
        await browser.stop()
        await stack.stop()
    }

    /// The error a connect is refused with (nil when it connects; that client is closed at once).
    private static func refusal(_ options: GatewayClientOptions) async throws -> ErrorShape? {
        do {
            await (try await GatewayClient.connect(options)).close()
            return nil
        } catch {
            guard case .rejected(_, let shape, _) = error else { throw error }
            return shape
        }
    }

    /// `deviceId` as `device.pair.list` shows it, or nil when it is not paired.
    private static func paired(_ admin: GatewayClient, _ deviceId: String) async throws -> PairedDeviceSummary? {
        try await admin.request("device.pair.list", params: [:], as: DevicePairListResult.self).paired.first { $0.deviceId == deviceId }
    }

    /// Waits until the gateway closes `client`'s socket (its event stream ends).
    private static func waitUntilClosed(_ client: GatewayClient) async throws {
        let events = client.events
        try await within(10) { for await _ in events {} }
    }
}
