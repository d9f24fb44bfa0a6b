// views/chat.js - pick or create a session, read its history, send, watch the answer stream, abort.
import { h, render, messageText, subscribe, errorLine, json } from "../dom.js";

const SESSION_KEY = "openclaw.chat.session";

export default {
  title: "Chat",
  mount(el, { gw }) {
    let sessionKey = history.state?.sessionKey ?? localStorage.getItem(SESSION_KEY) ?? null;
    let running = null; // runId of this session's run in progress
    const streams = new Map(); // runId → assistant bubble
    const tools = new Map(); // toolCallId → card

    const picker = h("select", { id: "chat-session", onchange: () => select(picker.value) });
    const transcript = h("ol.transcript", { "aria-live": "polite", "aria-label": "Messages", "data-testid": "transcript" });
    const input = h("textarea", {
      id: "chat-input", rows: 3, placeholder: "Message (Enter to send, Shift+Enter for a new line)",
      onkeydown: (event) => { if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); } },
    });
    const sendButton = h("button.primary", { type: "submit" }, "Send");
    const abortButton = h("button", { type: "button", disabled: true, onclick: abort }, "Abort");
    const note = h("div.note", { role: "status" });
    render(el,
      h("h1", "Chat"),
      h("div.row.session-bar",
        h("label", { for: "chat-session" }, "Session"), picker,
        h("button", { type: "button", onclick: create }, "New session")),
      transcript,
      h("form.composer", { onsubmit: (event) => { event.preventDefault(); send(); } },
        h("label.visually-hidden", { for: "chat-input" }, "Message"), input,
        h("div.row", sendButton, abortButton, note)));

    async function load() {
      try {
        const list = await gw.request("sessions.list", { limit: 100, includeDerivedTitles: true });
        const agent = gw.hello.snapshot.health?.defaultAgentId ?? "main";
        const keys = list.sessions.map((row) => row.key);
        if (!sessionKey) sessionKey = `agent:${agent}:main`;
        if (!keys.includes(sessionKey)) keys.unshift(sessionKey);
        render(picker, keys.map((key) => {
          const row = list.sessions.find((r) => r.key === key);
          return h("option", { value: key, selected: key === sessionKey }, row?.derivedTitle ? `${key} — ${row.derivedTitle.slice(0, 40)}` : key);
        }));
        await loadHistory();
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
    }

    // A message sent while the history is still loading must not be wiped by its render: send waits for it.
    let historyLoaded = Promise.resolve();
    function loadHistory() {
      historyLoaded = fetchHistory();
      return historyLoaded;
    }

    async function fetchHistory() {
      localStorage.setItem(SESSION_KEY, sessionKey);
      streams.clear();
      tools.clear();
      const result = await gw.request("chat.history", { sessionKey, limit: 200 });
      render(transcript, result.messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => bubble(m.role, messageText(m))));
      if (!result.messages.length) transcript.append(h("li.muted.empty", "No messages yet. Say hello."));
      scroll();
    }

    function select(key) {
      sessionKey = key;
      loadHistory().catch((error) => note.replaceChildren(errorLine(error)));
    }

    function create() {
      const agent = gw.hello?.snapshot.health?.defaultAgentId ?? "main";
      const key = `agent:${agent}:ui-${Date.now().toString(36)}`;
      picker.prepend(h("option", { value: key }, key));
      picker.value = key;
      select(key);
      input.focus();
    }

    function bubble(role, text) {
      return h("li.msg", { "data-role": role }, h("span.who", role === "user" ? "You" : "Assistant"), h("div.text", text));
    }

    function scroll() {
      transcript.scrollTop = transcript.scrollHeight;
    }

    async function send() {
      const message = input.value.trim();
      if (!message || !gw.hello) return;
      input.value = "";
      await historyLoaded.catch(() => {});
      transcript.querySelector(".empty")?.remove();
      transcript.append(bubble("user", message));
      scroll();
      try {
        const result = await gw.request("chat.send", { sessionKey, message, idempotencyKey: crypto.randomUUID() });
        if (result.runId && result.status === "started") setRunning(result.runId);
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
    }

    async function abort() {
      try {
        await gw.request("chat.abort", running ? { sessionKey, runId: running } : { sessionKey });
      } catch (error) {
        note.replaceChildren(errorLine(error));
      }
    }

    function setRunning(runId) {
      running = runId;
      abortButton.disabled = !runId;
      note.textContent = runId ? "Thinking…" : "";
    }

    function stream(runId) {
      let el = streams.get(runId);
      if (!el) {
        el = bubble("assistant", "");
        el.dataset.streaming = "true";
        streams.set(runId, el);
        transcript.append(el);
      }
      return el;
    }

    function onEvent(frame) {
      const p = frame.payload ?? {};
      if (p.sessionKey && p.sessionKey !== sessionKey) return;
      if (frame.event === "chat") {
        const el = stream(p.runId);
        const text = el.querySelector(".text");
        if (p.message) text.textContent = messageText(p.message);
        if (p.state === "delta") {
          if (!running) setRunning(p.runId);
        } else {
          delete el.dataset.streaming;
          el.dataset.state = p.state;
          if (p.state === "error") el.append(h("p.error", { role: "alert" }, p.errorMessage ?? "The run failed."));
          if (p.state === "aborted") el.append(h("p.muted", "Aborted."));
          if (p.usage) el.append(h("p.muted.small", `${p.usage.totalTokens} tokens`));
          setRunning(null);
        }
        scroll();
      } else if (frame.event === "agent" && p.stream === "tool") {
        const id = p.data?.toolCallId ?? `${p.runId}-${tools.size}`;
        let card = tools.get(id);
        if (!card) {
          card = h("li.tool", h("details", { open: true }, h("summary", `Tool: ${p.data?.name ?? "tool"}`), h("pre.args", json(p.data?.args ?? {})), h("pre.result")));
          tools.set(id, card);
          const answer = streams.get(p.runId);
          answer ? transcript.insertBefore(card, answer) : transcript.append(card);
        }
        if (p.data?.phase === "result") {
          const result = card.querySelector(".result");
          result.textContent = typeof p.data.result === "string" ? p.data.result : json(p.data.result);
          if (p.data.isError) card.dataset.error = "true";
        }
        scroll();
      }
    }

    const unsubscribe = subscribe(gw, { load, onEvent });
    return unsubscribe;
  },
};
