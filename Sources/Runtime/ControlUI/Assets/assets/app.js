// app.js - the shell: credentials (from #token= or storage), the connection, navigation and the views.
import { Gateway } from "./gateway.js";
import { h, render } from "./dom.js";
import overview from "./views/overview.js";
import chat from "./views/chat.js";
import sessions from "./views/sessions.js";
import config from "./views/config.js";
import logs from "./views/logs.js";
import devices from "./views/devices.js";
import cron from "./views/cron.js";
import debug from "./views/debug.js";

const VIEWS = { overview, chat, sessions, cron, devices, config, logs, debug };
const TOKEN_KEY = "openclaw.token";
const base = new URL(document.baseURI).pathname; // ends with "/"

/** Takes `#token=` (or `#password=`) from the URL into storage and removes it from the address bar. */
function credentials() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has("token")) {
    localStorage.setItem(TOKEN_KEY, fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const password = fragment.get("password") ?? sessionStorage.getItem("openclaw.password");
  if (fragment.has("password")) history.replaceState(null, "", location.pathname + location.search);
  if (password) return { password };
  const token = localStorage.getItem(TOKEN_KEY);
  return token ? { token } : {};
}

function socketURL() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${base}`;
}

function currentView() {
  const name = location.pathname.startsWith(base) ? location.pathname.slice(base.length).split("/")[0] : "";
  return VIEWS[name] ? name : "overview";
}

const theme = localStorage.getItem("openclaw.theme");
if (theme) document.documentElement.dataset.theme = theme;

const gw = new Gateway({ url: socketURL(), credentials: credentials() });
const main = h("main.view", { id: "main", tabindex: "-1" });
const statusLine = h("span.status-text", { role: "status", "aria-live": "polite" }, "Connecting…");
const statusDot = h("span.dot", { "aria-hidden": "true" });
const nav = h("nav.nav", { "aria-label": "Views" },
  Object.entries(VIEWS).map(([name, view]) => h("a", { href: name, "data-view": name }, view.title)));
const themeButton = h("button.ghost", { type: "button", title: "Switch dark/light theme", onclick: toggleTheme }, "Theme");
const authButton = h("button.ghost", { type: "button", onclick: () => showLogin() }, "Auth");
const banner = h("div.banner", { hidden: true, role: "alert" });

render(document.getElementById("app"),
  h("header.top",
    h("a.brand", { href: "overview" }, h("img", { src: new URL("icon.svg", import.meta.url).href, alt: "", width: 24, height: 24 }), "OpenClaw"),
    h("div.connection", statusDot, statusLine),
    h("div.actions", authButton, themeButton)),
  nav, banner, main);

function toggleTheme() {
  const dark = document.documentElement.dataset.theme
    ? document.documentElement.dataset.theme === "dark"
    : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "light" : "dark";
  localStorage.setItem("openclaw.theme", document.documentElement.dataset.theme);
}

/** The auth form: shown on an auth failure (with the gateway's message) or from the header button. */
function showLogin(message) {
  const token = h("input", { id: "auth-token", type: "password", autocomplete: "off", value: localStorage.getItem(TOKEN_KEY) ?? "" });
  const password = h("input", { id: "auth-password", type: "password", autocomplete: "off" });
  const form = h("form.card.login", {
    onsubmit: (event) => {
      event.preventDefault();
      if (password.value) sessionStorage.setItem("openclaw.password", password.value);
      else sessionStorage.removeItem("openclaw.password");
      if (token.value) localStorage.setItem(TOKEN_KEY, token.value);
      gw.credentials = password.value ? { password: password.value } : { token: token.value };
      gw.stop();
      gw.start();
      navigate(currentView());
    },
  },
  h("h2", "Gateway auth"),
  message ? h("p.error", { role: "alert", id: "auth-error" }, message) : null,
  h("p.muted", "Paste the gateway token (openclaw dashboard prints a URL with it) or the password. The token is kept in this browser's storage."),
  h("label", { for: "auth-token" }, "Token"), token,
  h("label", { for: "auth-password" }, "Password (not stored)"), password,
  h("div.row", h("button.primary", { type: "submit" }, "Connect")));
  cleanup?.();
  cleanup = null;
  pairing = null;
  render(main, form);
  token.focus();
}

/**
 * The pairing panel: this browser was refused with NOT_PAIRED. It names the request and the command that
 * approves it; the gateway client keeps retrying, so approval connects without a reload. Updated in place
 * on every attempt: focus stays where it is, and the header's status line is the one live region announcing it.
 */
let pairing = null; // {requestId, command, retry, device} elements while the panel is shown
function showPairing(detail) {
  if (!pairing && main.querySelector("form.login")) return; // the operator opened Auth: leave the form alone
  if (!pairing) {
    cleanup?.();
    cleanup = null;
    pairing = {
      requestId: h("code", { "data-testid": "pairing-request" }),
      command: h("code", { id: "pairing-command", "data-testid": "pairing-command" }),
      device: h("code"),
      // Not a live region: the header's status line already announces each attempt.
      retry: h("p.muted", { "data-testid": "pairing-retry" }),
    };
    const copy = h("button", {
      type: "button", "aria-label": "Copy the approve command",
      onclick: () => navigator.clipboard?.writeText(pairing.command.textContent).then(() => { copy.textContent = "Copied"; }, () => {}),
    }, "Copy");
    const heading = h("h2", { id: "pairing-title", tabindex: "-1" }, "Pairing required");
    render(main, h("section.card.pairing", { "aria-labelledby": "pairing-title", "data-testid": "pairing" },
      heading,
      h("p", "The gateway does not know this browser yet. An operator must approve its pairing request; this page connects by itself once that is done (no reload needed)."),
      h("dl.facts", h("dt", "Request"), h("dd", pairing.requestId), h("dt", "This device"), h("dd", pairing.device)),
      h("p", "On the gateway host, run:"),
      h("div.row.command", h("pre", pairing.command), copy),
      h("p.muted", "Or approve it under Devices in a Control UI that is already connected (on the gateway host, http://127.0.0.1 is approved by itself)."),
      pairing.retry,
      h("div.row", h("button.primary", { type: "button", onclick: () => gw.retryNow() }, "Retry now"))));
    heading.focus();
  }
  const id = detail.requestId ?? "<requestId>";
  if (pairing.requestId.textContent !== id) {
    pairing.requestId.textContent = id;
    pairing.command.textContent = `openclaw devices approve ${id}`;
  }
  pairing.device.textContent = detail.deviceId ?? "unknown";
  pairing.retry.textContent = `Not approved yet${detail.reason ? ` (${detail.reason})` : ""}; trying again in ${Math.round(detail.retryInMs / 1000)} s (attempt ${detail.attempt}).`;
}

let cleanup = null;
function navigate(name, push = false) {
  pairing = null;
  if (push) history.pushState(null, "", base + name);
  for (const link of nav.querySelectorAll("a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  cleanup?.();
  main.replaceChildren();
  document.title = `${VIEWS[name].title} · OpenClaw`;
  cleanup = VIEWS[name].mount(main, { gw, navigate: (view, state) => { history.pushState(state ?? null, "", base + view); navigate(view); } }) ?? null;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[href]");
  if (!link || link.target || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const name = link.getAttribute("href");
  if (!VIEWS[name]) return;
  event.preventDefault();
  navigate(name, true);
  main.focus();
});
addEventListener("popstate", () => navigate(currentView()));

gw.addEventListener("status", ({ detail }) => {
  statusLine.textContent = detail.message || detail.state;
  statusDot.dataset.state = detail.state;
  document.body.dataset.connection = detail.state;
  // Between pairing attempts the banner keeps saying what is awaited instead of flickering away.
  if (!(pairing && detail.state === "connecting")) {
    banner.hidden = detail.state === "connected" || detail.state === "connecting";
    banner.textContent = detail.state === "restarting" ? `⟳ ${detail.message}` : detail.message;
  }
  if (detail.state === "auth-failed") showLogin(detail.message);
  if (detail.state === "pairing") {
    banner.textContent = `Pairing required: approve request ${detail.requestId ?? "?"} (openclaw devices approve ${detail.requestId ?? "<requestId>"}).`;
    showPairing(detail);
  }
  if (detail.state === "connected" && pairing) navigate(currentView());
});

navigate(currentView());
if (gw.credentials.token || gw.credentials.password) gw.start();
else showLogin("No gateway token yet.");
