// views/logs.js - the gateway log through logs.tail: polled with a cursor, level filter, pause, follow.
import { h, render, subscribe, errorLine } from "../dom.js";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];
const MAX_LINES = 2000;

function parse(line) {
  try {
    const entry = JSON.parse(line);
    const level = String(entry.level ?? "info").toLowerCase().replace("warning", "warn");
    const extra = Object.entries(entry).filter(([k]) => !["time", "level", "subsystem", "message"].includes(k)).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
    return { time: entry.time ?? "", level, subsystem: entry.subsystem ?? "", message: `${entry.message ?? ""}${extra ? ` ${extra}` : ""}` };
  } catch {
    return { time: "", level: "info", subsystem: "", message: line };
  }
}

export default {
  title: "Logs",
  mount(el, { gw }) {
    let cursor = null;
    let timer = null;
    const entries = [];
    const level = h("select", { id: "logs-level", onchange: draw }, LEVELS.map((l) => h("option", { value: l, selected: l === "info" }, l)));
    const paused = h("input", { id: "logs-pause", type: "checkbox" });
    const follow = h("input", { id: "logs-follow", type: "checkbox", checked: true });
    const filter = h("input", { id: "logs-filter", type: "search", placeholder: "text", oninput: draw });
    const file = h("span.muted.small");
    const list = h("ol.logs", { "aria-label": "Log lines", "data-testid": "logs" });
    const note = h("div", { role: "status" });
    render(el, h("h1", "Logs"),
      h("div.row.wrap",
        h("label", { for: "logs-level" }, "Level ≥"), level,
        h("label", { for: "logs-filter" }, "Filter"), filter,
        h("label.check", paused, " Pause"), h("label.check", follow, " Follow"), file),
      note, list);

    async function poll() {
      clearTimeout(timer);
      if (!paused.checked && gw.hello) {
        try {
          const result = await gw.request("logs.tail", cursor == null ? { limit: 300 } : { cursor });
          if (result.reset) entries.length = 0;
          cursor = result.cursor;
          file.textContent = result.file;
          if (result.lines.length) {
            entries.push(...result.lines.map(parse));
            entries.splice(0, Math.max(0, entries.length - MAX_LINES));
            draw();
          }
          note.replaceChildren();
        } catch (error) {
          note.replaceChildren(errorLine(error));
        }
      }
      timer = setTimeout(poll, 1000);
    }

    function draw() {
      const min = LEVELS.indexOf(level.value);
      const text = filter.value.trim().toLowerCase();
      const shown = entries.filter((e) => (LEVELS.indexOf(e.level) < 0 || LEVELS.indexOf(e.level) >= min) && (!text || e.message.toLowerCase().includes(text) || e.subsystem.includes(text)));
      render(list, shown.slice(-500).map((e) => h("li", { "data-level": e.level },
        h("span.time", e.time.slice(11, 23)), h("span.level", e.level), e.subsystem ? h("span.sub", `[${e.subsystem}]`) : null, h("span.line", e.message))));
      if (follow.checked) list.scrollTop = list.scrollHeight;
    }

    const unsubscribe = subscribe(gw, { load: () => { cursor = null; entries.length = 0; poll(); } });
    return () => { unsubscribe(); clearTimeout(timer); };
  },
};
