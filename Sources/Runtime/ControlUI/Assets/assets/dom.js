// dom.js - a tiny element builder and formatting helpers (no framework).

/** h("button.primary", {onclick, "aria-label": "Send"}, "Send") → HTMLElement. */
export function h(tag, attrs = {}, ...children) {
  // The attributes object is optional: a string, node, array or null there is the first child.
  if (attrs == null || typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "value" || key === "checked") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

export function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), hrs = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${hrs}h ${m}m`;
  if (hrs) return `${hrs}h ${m}m ${s % 60}s`;
  return m ? `${m}m ${s % 60}s` : `${s}s`;
}

export function ago(ts) {
  if (!ts) return "—";
  const diff = Date.now() - ts;
  return diff < 5000 ? "just now" : `${duration(diff)} ago`;
}

/** Text of a transcript/chat message: string content or the text parts of a content array. */
export function messageText(message) {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return (message.content ?? []).filter((part) => part?.type === "text").map((part) => part.text).join("");
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}

/**
 * Subscribes a view to the gateway: `load` runs now (when connected), after every reconnect and after
 * an event gap; `onEvent` gets event frames. Returns the unsubscribe function.
 */
export function subscribe(gw, { load, onEvent }) {
  const reload = () => load?.();
  const event = ({ detail }) => onEvent?.(detail);
  gw.addEventListener("hello", reload);
  gw.addEventListener("gap", reload);
  gw.addEventListener("event", event);
  if (gw.hello) reload();
  return () => {
    gw.removeEventListener("hello", reload);
    gw.removeEventListener("gap", reload);
    gw.removeEventListener("event", event);
  };
}

/** A labelled error line for a failed request. */
export function errorLine(error) {
  return h("p.error", { role: "alert" }, error?.message ?? String(error));
}
