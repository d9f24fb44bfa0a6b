// views/devices.js - device pairing: pending requests (approve/reject) and paired devices with their tokens
// (rotate/revoke) and removal, through device.pair.* and device.token.*; reloaded quietly on pairing events.
import { h, render, ago, subscribe, errorLine } from "../dom.js";

const name = (device) => device.displayName || device.clientId || device.deviceId.slice(0, 12);
const list = (values) => (values?.length ? values.join(", ") : "—");
const when = (ms) => (ms ? h("time", { datetime: new Date(ms).toISOString(), title: new Date(ms).toLocaleString() }, ago(ms)) : "—");

export default {
  title: "Devices",
  mount(el, { gw }) {
    let timer = null;
    const note = h("div", { role: "status", "aria-live": "polite", "data-testid": "devices-note" });
    const pending = h("section.card", { "aria-labelledby": "dev-pending" });
    const paired = h("section.card", { "aria-labelledby": "dev-paired" });
    const dialog = tokenDialog();
    render(el, h("h1", "Devices"),
      h("div.row",
        h("p.muted", "Browsers, apps and nodes that asked to connect with their own device key. Approving one gives it the role and scopes it asked for, and a device token."),
        h("button", { type: "button", onclick: () => load() }, "Refresh")),
      note, pending, paired, dialog.el);

    async function load() {
      clearTimeout(timer);
      try {
        draw(await gw.request("device.pair.list", {}));
      } catch (error) {
        // Rotating or revoking this browser's own token closes its socket: the reconnect reloads the list.
        if (gw.state !== "connected" || /^(not connected|disconnected)$/.test(error.message)) return;
        render(pending, h("h2", { id: "dev-pending" }, "Pending requests"), errorLine(error));
        render(paired, h("h2", { id: "dev-paired" }, "Paired devices"));
      }
    }

    /** Events arrive in bursts (a request supersedes another, an approval resolves one): reload once after them. */
    const quietReload = () => { clearTimeout(timer); timer = setTimeout(load, 150); };

    function draw(result) {
      render(pending,
        h("h2", { id: "dev-pending" }, `Pending requests (${result.pending.length})`),
        result.pending.length
          ? h("div.table-wrap", h("table.stack", { "data-testid": "devices-pending" },
              h("thead", h("tr", h("th", "Device"), h("th", "Asks for"), h("th", "Address"), h("th", "Requested"), h("th", h("span.visually-hidden", "Actions")))),
              h("tbody", result.pending.map((request) => h("tr", { "data-request": request.requestId },
                h("td", h("strong", name(request)), request.isRepair ? h("span.badge", { title: "Already paired; asks for more" }, "repair") : null,
                  h("div.mono.small.id", request.deviceId), h("div.muted.small", `request ${request.requestId}`)),
                h("td", { "data-label": "Asks for" }, h("div", "Role: ", list(request.roles ?? (request.role ? [request.role] : []))), h("div.small", "Scopes: ", list(request.scopes))),
                h("td.mono", { "data-label": "Address" }, request.remoteIp ?? "local"),
                h("td", { "data-label": "Requested" }, when(request.ts)),
                h("td.actions",
                  h("button.primary", { type: "button", "aria-label": `Approve ${name(request)}`, onclick: () => act("device.pair.approve", { requestId: request.requestId }, `Approved ${name(request)}.`) }, "Approve"),
                  h("button.danger", { type: "button", "aria-label": `Reject ${name(request)}`, onclick: () => act("device.pair.reject", { requestId: request.requestId }, `Rejected ${name(request)}.`) }, "Reject")))))))
          : h("p.muted", "No pending requests."));
      render(paired,
        h("h2", { id: "dev-paired" }, `Paired devices (${result.paired.length})`),
        result.paired.length
          ? h("div.table-wrap", h("table.stack", { "data-testid": "devices-paired" },
              h("thead", h("tr", h("th", "Device"), h("th", "Roles and scopes"), h("th", "Address"), h("th", "Tokens"), h("th", h("span.visually-hidden", "Actions")))),
              h("tbody", result.paired.map((device) => h("tr", { "data-device": device.deviceId },
                h("td", h("strong", name(device)), device.deviceId === gw.deviceId ? h("span.badge", { "data-ok": "true" }, "this browser") : null,
                  h("div.mono.small.id", device.deviceId), h("div.muted.small", "approved ", when(device.approvedAtMs))),
                h("td", { "data-label": "Roles and scopes" }, h("div", "Roles: ", list(device.roles ?? (device.role ? [device.role] : []))), h("div.small", "Scopes: ", list(device.scopes))),
                h("td.mono", { "data-label": "Address" }, device.remoteIp ?? "local"),
                h("td", { "data-label": "Tokens" }, tokens(device)),
                h("td.actions",
                  h("button.danger", {
                    type: "button", "aria-label": `Remove ${name(device)}`,
                    onclick: () => act("device.pair.remove", { deviceId: device.deviceId }, `Removed ${name(device)}.`,
                      `Remove ${name(device)}? Its tokens are deleted, its connections closed, and it must pair again.${device.deviceId === gw.deviceId ? " This is the browser you are using." : ""}`),
                  }, "Remove")))))))
          : h("p.muted", "No paired devices."));
    }

    /** One line per role: state, dates, and Rotate/Revoke for a live token. */
    function tokens(device) {
      if (!device.tokens?.length) return h("span.muted", "none");
      return h("ul.plain.tokens", device.tokens.map((token) => {
        const label = `${token.role} token of ${name(device)}`;
        const revoked = token.revokedAtMs != null;
        return h("li", { "data-role": token.role, "data-state": revoked ? "revoked" : "active" },
          h("div", h("strong", token.role), " ", h("span.badge", { "data-ok": String(!revoked) }, revoked ? "revoked" : "active"),
            h("span.small", " ", list(token.scopes))),
          h("div.muted.small",
            "created ", when(token.createdAtMs),
            token.rotatedAtMs ? [" · rotated ", when(token.rotatedAtMs)] : null,
            revoked ? [" · revoked ", when(token.revokedAtMs)] : null,
            " · last used ", when(token.lastUsedAtMs)),
          revoked ? null : h("div.token-actions",
            h("button", { type: "button", "aria-label": `Rotate ${label}`, onclick: () => rotate(device, token) }, "Rotate"),
            h("button.danger", {
              type: "button", "aria-label": `Revoke ${label}`,
              onclick: () => act("device.token.revoke", { deviceId: device.deviceId, role: token.role }, `Revoked the ${label}.`,
                `Revoke the ${label}? Its ${token.role} connections close and the role needs approval again.`),
            }, "Revoke")));
      }));
    }

    async function act(method, params, done, question) {
      if (question && !confirm(question)) return;
      try {
        await gw.request(method, params);
        note.replaceChildren(h("p.ok", done));
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
      await load();
    }

    async function rotate(device, token) {
      const label = `${token.role} token of ${name(device)}`;
      if (!confirm(`Rotate the ${label}? The old token stops working and the device's ${token.role} connections close.`)) return;
      try {
        const result = await gw.request("device.token.rotate", { deviceId: device.deviceId, role: token.role });
        note.replaceChildren(h("p.ok", `Rotated the ${label}.`));
        dialog.show(label, result);
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
      await load();
    }

    const unsubscribe = subscribe(gw, {
      load,
      onEvent: (frame) => {
        if (frame.event === "device.pair.requested") {
          // Announced in the live region as well: a screen-reader user should not have to find the new row.
          if (frame.payload?.deviceId) note.replaceChildren(h("p", `New pairing request from ${name(frame.payload)}.`));
          quietReload();
        } else if (frame.event === "device.pair.resolved") {
          quietReload();
        }
      },
    });
    return () => { unsubscribe(); clearTimeout(timer); if (dialog.el.open) dialog.el.close(); };
  },
};

/**
 * The new token, shown once in a modal dialog (Escape or Close dismisses it, and it is gone). The gateway hands
 * a rotated token only to the device itself, so for another device the dialog says where it will get it.
 */
function tokenDialog() {
  const title = h("h2", { id: "token-dialog-title" });
  const body = h("div");
  const el = h("dialog.token-dialog", { "aria-labelledby": "token-dialog-title", "data-testid": "token-dialog" },
    h("form", { method: "dialog" }, title, body, h("div.row", h("button.primary", { type: "submit", value: "close" }, "Close"))));
  el.addEventListener("close", () => body.replaceChildren());
  return {
    el,
    show(label, result) {
      title.textContent = `New ${label}`;
      if (result.token) {
        const field = h("input.mono", { id: "token-dialog-value", readonly: true, value: result.token, "aria-describedby": "token-dialog-help", "data-testid": "token-value" });
        const copy = h("button", { type: "button", onclick: () => navigator.clipboard?.writeText(field.value).then(() => { copy.textContent = "Copied"; }, () => {}) }, "Copy");
        render(body,
          h("p", { id: "token-dialog-help" }, "Shown only this once: copy it now. Scopes: ", list(result.scopes), "."),
          h("label", { for: "token-dialog-value" }, "Token"), h("div.row", field, copy));
        el.showModal();
        field.select();
      } else {
        render(body, h("p", { "data-testid": "token-withheld" },
          `Rotated ${new Date(result.rotatedAtMs).toLocaleString()} (scopes: ${list(result.scopes)}). The gateway gives the new token only to the device itself, in hello-ok, when it next connects with the shared secret; it is not shown here.`));
        el.showModal();
      }
    },
  };
}
