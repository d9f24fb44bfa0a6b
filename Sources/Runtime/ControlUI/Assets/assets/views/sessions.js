// views/sessions.js - every session with search, open in chat, reset and delete.
import { h, render, ago, subscribe, errorLine } from "../dom.js";

export default {
  title: "Sessions",
  mount(el, { gw, navigate }) {
    let timer = null;
    const search = h("input", { id: "sessions-search", type: "search", placeholder: "key, title or text", oninput: () => { clearTimeout(timer); timer = setTimeout(load, 250); } });
    const body = h("div.table-wrap");
    const note = h("div", { role: "status", "data-testid": "sessions-count" });
    render(el, h("h1", "Sessions"),
      h("div.row", h("label", { for: "sessions-search" }, "Search"), search, h("button", { type: "button", onclick: () => load() }, "Refresh")),
      note, body);

    async function load() {
      try {
        const params = { limit: 200, includeDerivedTitles: true, includeLastMessage: true };
        if (search.value.trim()) params.search = search.value.trim();
        const result = await gw.request("sessions.list", params);
        note.textContent = `${result.count} session${result.count === 1 ? "" : "s"}`;
        render(body, h("table", { "data-testid": "sessions" },
          h("thead", h("tr", h("th", "Session"), h("th", "Title / last message"), h("th", "Updated"), h("th", "Tokens"), h("th", h("span.visually-hidden", "Actions")))),
          h("tbody", result.sessions.map((row) => h("tr",
            h("td.mono", row.key),
            h("td", row.derivedTitle ?? row.label ?? "", row.lastMessagePreview ? h("div.muted.small", row.lastMessagePreview) : null),
            h("td", ago(row.updatedAt)),
            h("td", String(row.totalTokens ?? 0)),
            h("td.actions",
              h("button", { type: "button", onclick: () => { localStorage.setItem("openclaw.chat.session", row.key); navigate("chat", { sessionKey: row.key }); } }, "Open"),
              h("button", { type: "button", "aria-label": `Reset ${row.key}`, onclick: () => act("sessions.reset", { key: row.key, reason: "reset" }, `Reset ${row.key}? A new transcript starts; the old one is kept.`) }, "Reset"),
              h("button.danger", { type: "button", "aria-label": `Delete ${row.key}`, onclick: () => act("sessions.delete", { key: row.key }, `Delete ${row.key} and its transcripts?`) }, "Delete")))))));
      } catch (error) {
        render(body, errorLine(error));
      }
    }

    async function act(method, params, question) {
      if (!confirm(question)) return;
      try {
        await gw.request(method, params);
        await load();
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
    }

    const unsubscribe = subscribe(gw, { load });
    return () => { unsubscribe(); clearTimeout(timer); };
  },
};
