// views/overview.js - health, uptime, version, channels and presence, kept live by events.
import { h, render, duration, ago, subscribe, errorLine } from "../dom.js";

export default {
  title: "Overview",
  mount(el, { gw }) {
    let snapshot = null; // {health, presence, uptimeMs, at, stateVersion}
    let status = null;
    const body = h("div.grid", { "data-testid": "overview" }, h("p.muted", "Waiting for the gateway…"));
    render(el, h("h1", "Overview"), body);

    async function load() {
      const hello = gw.hello;
      snapshot = { ...hello.snapshot, at: Date.now(), server: hello.server };
      try {
        status = await gw.request("status");
      } catch (error) {
        status = { error };
      }
      draw();
    }

    function onEvent(frame) {
      if (!snapshot) return;
      const version = frame.stateVersion;
      if (frame.event === "presence" && (!version || version.presence >= snapshot.stateVersion.presence)) {
        snapshot.presence = frame.payload.presence;
        if (version) snapshot.stateVersion = version;
        draw();
      } else if (frame.event === "health" && (!version || version.health >= snapshot.stateVersion.health)) {
        snapshot.health = frame.payload;
        if (version) snapshot.stateVersion = version;
        draw();
      }
    }

    const uptime = h("span", { "data-testid": "uptime" });
    const tickUptime = () => { if (snapshot) uptime.textContent = duration(snapshot.uptimeMs + Date.now() - snapshot.at); };
    const timer = setInterval(tickUptime, 1000);

    function draw() {
      const health = snapshot.health ?? {};
      tickUptime();
      const channels = health.channelOrder ?? [];
      render(body,
        h("section.card", { "aria-labelledby": "ov-gw" },
          h("h2", { id: "ov-gw" }, "Gateway"),
          h("dl.facts",
            h("dt", "Health"), h("dd", h("span.badge", { "data-ok": String(!!health.ok), "data-testid": "health" }, health.ok ? "ok" : "degraded")),
            h("dt", "Version"), h("dd", { "data-testid": "version" }, snapshot.server?.version ?? "?"),
            h("dt", "Uptime"), h("dd", uptime),
            h("dt", "Auth"), h("dd", snapshot.authMode ?? "?"),
            h("dt", "Default agent"), h("dd", health.defaultAgentId ?? "—"),
            h("dt", "Sessions"), h("dd", String(health.sessions?.count ?? status?.sessions?.count ?? "—")),
            snapshot.configPath ? [h("dt", "Config"), h("dd.mono", snapshot.configPath)] : null,
            h("dt", "Health checked"), h("dd", ago(health.ts)))),
        h("section.card", { "aria-labelledby": "ov-ch" },
          h("h2", { id: "ov-ch" }, "Channels"),
          channels.length
            ? h("ul.plain", channels.map((id) => h("li", health.channelLabels?.[id] ?? id, " ",
                h("span.badge", { "data-ok": String(health.channels?.[id]?.ok !== false) }, health.channels?.[id]?.ok === false ? "down" : "ok"))))
            : h("p.muted", "No channels configured.")),
        h("section.card.wide", { "aria-labelledby": "ov-pr" },
          h("h2", { id: "ov-pr" }, `Presence (${snapshot.presence?.length ?? 0})`),
          h("div.table-wrap", h("table", { "data-testid": "presence" },
            h("thead", h("tr", h("th", "Client"), h("th", "Mode"), h("th", "Platform"), h("th", "Address"), h("th", "Updated"))),
            h("tbody", (snapshot.presence ?? []).map((entry) => h("tr",
              h("td", entry.host ?? entry.text ?? "?", entry.version ? h("span.muted", ` ${entry.version}`) : null),
              h("td", entry.mode ?? "—"), h("td", entry.platform ?? "—"), h("td.mono", entry.ip ?? "—"), h("td", ago(entry.ts)))))))),
        status?.error ? errorLine(status.error) : null);
    }

    const unsubscribe = subscribe(gw, { load, onEvent });
    return () => { unsubscribe(); clearInterval(timer); };
  },
};
