// views/cron.js - scheduled jobs: schedule, next run in local time, last run and status, an enabled switch,
// "Run now" and each job's run history, through cron.list/status/update/run/runs; kept live by `cron` events.
import { h, render, ago, subscribe, errorLine } from "../dom.js";

/** `45s`, `10m`, `3h`, `2d`: one unit, rounded, as `openclaw cron list` writes it. */
export function shortDuration(ms) {
  if (ms < 60000) return `${Math.max(1, Math.round(ms / 1000))}s`;
  if (ms < 3600000) return `${Math.round(ms / 60000)}m`;
  if (ms < 86400000) return `${Math.round(ms / 3600000)}h`;
  return `${Math.round(ms / 86400000)}d`;
}

/** `at 2026-02-01 16:00Z`, `every 10m`, `cron 0 7 * * * @ Europe/Vienna`. */
export function scheduleText(schedule) {
  if (schedule.kind === "at") {
    const date = new Date(schedule.at);
    return Number.isNaN(date.getTime()) ? "at -" : `at ${date.toISOString().slice(0, 16).replace("T", " ")}Z`;
  }
  if (schedule.kind === "every") return `every ${shortDuration(schedule.everyMs ?? 0)}`;
  return schedule.tz ? `cron ${schedule.expr} @ ${schedule.tz}` : `cron ${schedule.expr}`;
}

/** `in 5m` or `3h ago`. */
function relative(ms) {
  const delta = ms - Date.now();
  return delta >= 0 ? `in ${shortDuration(delta)}` : `${shortDuration(-delta)} ago`;
}

/** A time in this browser's zone, with the relative form beside it. */
const when = (ms, testid) => (ms
  ? h("span", h("time", { datetime: new Date(ms).toISOString(), "data-testid": testid }, new Date(ms).toLocaleString()), h("span.muted.small", { "data-ms": ms }, ` (${relative(ms)})`))
  : h("span.muted", "—"));

const statusOf = (job) => (!job.enabled ? "disabled" : job.state?.runningAtMs ? "running" : job.state?.lastStatus ?? "idle");
const good = { ok: "true", error: "false" };

export default {
  title: "Cron",
  mount(el, { gw }) {
    let timer = null;
    let jobs = [];
    let selected = null; // the job id whose history is shown
    const note = h("div", { role: "status", "aria-live": "polite", "data-testid": "cron-note" });
    const status = h("p.muted", { "data-testid": "cron-status" });
    const list = h("section.card", { "aria-labelledby": "cron-jobs-title" });
    const history = h("section.card", { "aria-labelledby": "cron-history-title", "data-testid": "cron-history", hidden: true });
    render(el, h("h1", "Cron jobs"),
      h("div.row",
        h("p.muted", "Jobs the gateway runs on a schedule: a system event into an agent's main session, or an isolated agent turn. Add them with openclaw cron add."),
        h("button", { type: "button", onclick: () => load() }, "Refresh")),
      status, note, list, history);

    async function load() {
      clearTimeout(timer);
      try {
        const [result, info] = await Promise.all([gw.request("cron.list", { includeDisabled: true }), gw.request("cron.status", {})]);
        jobs = result.jobs;
        status.textContent = `Scheduler ${info.enabled ? "on" : "off"} · ${info.jobs} job${info.jobs === 1 ? "" : "s"}`
          + (info.nextWakeAtMs ? ` · next wake ${new Date(info.nextWakeAtMs).toLocaleString()}` : "");
        draw();
        if (selected) await loadHistory();
      } catch (error) {
        if (gw.state !== "connected") return;
        render(list, h("h2", { id: "cron-jobs-title" }, "Jobs"), errorLine(error));
      }
    }

    /** Events come in pairs (started, then finished; a run also updates the job): reload once after them. */
    const quietReload = () => { clearTimeout(timer); timer = setTimeout(load, 100); };

    function draw() {
      render(list,
        h("h2", { id: "cron-jobs-title" }, `Jobs (${jobs.length})`),
        jobs.length
          ? h("div.table-wrap", h("table.stack", { "data-testid": "cron-jobs" },
              h("thead", h("tr", h("th", "Job"), h("th", "Schedule"), h("th", "Next run"), h("th", "Last run"), h("th", "Enabled"), h("th", h("span.visually-hidden", "Actions")))),
              h("tbody", jobs.map(row))))
          : h("p.muted", { "data-testid": "cron-empty" }, "No cron jobs."));
    }

    function row(job) {
      const state = job.state ?? {};
      const current = statusOf(job);
      return h("tr", { "data-job": job.id, "data-status": current, "data-selected": String(job.id === selected) },
        h("td", h("strong", job.name), h("span.badge", { "data-ok": good[current] }, current),
          job.description ? h("div.small", job.description) : null,
          h("div.muted.small", `${job.sessionTarget} · agent ${job.agentId ?? "default"}`), h("div.mono.small.id", job.id)),
        h("td.mono", { "data-label": "Schedule" }, scheduleText(job.schedule)),
        h("td", { "data-label": "Next run" }, job.enabled ? when(state.nextRunAtMs, "next-run") : h("span.muted", "—")),
        h("td", { "data-label": "Last run" }, when(state.lastRunAtMs, "last-run"),
          state.lastDurationMs != null ? h("div.muted.small", `took ${state.lastDurationMs} ms`) : null,
          state.lastError ? h("div.error.small", state.lastError) : null),
        h("td", { "data-label": "Enabled" },
          h("label.check.switch", h("input", {
            type: "checkbox", checked: job.enabled, "aria-label": `Enabled: ${job.name}`,
            onchange: (event) => setEnabled(job, event.target.checked),
          }), job.enabled ? "on" : "off")),
        h("td.actions",
          h("button.primary", { type: "button", "aria-label": `Run ${job.name} now`, disabled: current === "running", onclick: () => runNow(job) }, "Run now"),
          h("button", { type: "button", "aria-label": `History of ${job.name}`, "aria-pressed": String(job.id === selected), onclick: () => showHistory(job.id) }, "History")));
    }

    async function setEnabled(job, enabled) {
      try {
        await gw.request("cron.update", { id: job.id, patch: { enabled } });
        note.replaceChildren(h("p.ok", `${enabled ? "Enabled" : "Disabled"} ${job.name}.`));
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
      await load();
    }

    async function runNow(job) {
      try {
        const result = await gw.request("cron.run", { id: job.id, mode: "force" });
        const started = result.ok && (result.ran || result.enqueued);
        note.replaceChildren(started ? h("p.ok", `Started ${job.name}.`) : h("p.error", `${job.name} did not start${result.reason ? `: ${result.reason}` : ""}.`));
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
      await load();
    }

    async function showHistory(id) {
      selected = selected === id ? null : id;
      draw();
      await loadHistory();
    }

    async function loadHistory() {
      const job = jobs.find((candidate) => candidate.id === selected);
      if (!job) {
        selected = null;
        history.hidden = true;
        return;
      }
      history.hidden = false;
      try {
        const { entries } = await gw.request("cron.runs", { id: job.id, limit: 50 });
        render(history,
          h("h2", { id: "cron-history-title" }, `History: ${job.name}`),
          entries.length
            ? h("div.table-wrap", h("table.stack", { "data-testid": "cron-runs" },
                h("thead", h("tr", h("th", "Started"), h("th", "Status"), h("th", "Duration"), h("th", "Summary"))),
                h("tbody", entries.slice().reverse().map((entry) => h("tr", { "data-status": entry.status ?? "" },
                  h("td", { "data-label": "Started" }, when(entry.runAtMs ?? entry.ts)),
                  h("td", { "data-label": "Status" }, h("span.badge", { "data-ok": good[entry.status] }, entry.status ?? "?")),
                  h("td", { "data-label": "Duration" }, entry.durationMs != null ? `${entry.durationMs} ms` : "—"),
                  h("td", { "data-label": "Summary" }, entry.error ? h("span.error", entry.error) : entry.summary ?? ""))))))
            : h("p.muted", "No runs yet."));
      } catch (error) {
        render(history, h("h2", { id: "cron-history-title" }, `History: ${job.name}`), errorLine(error));
      }
    }

    const unsubscribe = subscribe(gw, {
      load,
      onEvent: (frame) => {
        if (frame.event !== "cron") return;
        const event = frame.payload ?? {};
        if (event.action === "finished") {
          const job = jobs.find((candidate) => candidate.id === event.jobId);
          if (job) note.replaceChildren(h("p", `${job.name} finished: ${event.status ?? "?"}${event.error ? ` (${event.error})` : ""}.`));
        }
        quietReload();
      },
    });
    // The relative times age: rewrite them each minute (not the rows, so focus stays where it is).
    const tick = setInterval(() => {
      for (const span of el.querySelectorAll("[data-ms]")) span.textContent = ` (${relative(Number(span.dataset.ms))})`;
    }, 60000);
    return () => { unsubscribe(); clearTimeout(timer); clearInterval(tick); };
  },
};
