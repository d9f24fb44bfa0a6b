// gateway.js - the UI's only link to the gateway: protocol 3 or 4 frames (4 when the gateway speaks it) over one WebSocket, reconnecting.
import { loadIdentity, signConnect } from "./device.js";

const SCOPES = ["operator.admin", "operator.read", "operator.write"];
const VERSION = "1.0.0";
/** Retries while this browser waits for approval: from 1 s, doubling, at most every 5 s (the request lives 5 min). */
const PAIRING_RETRY_MS = { first: 1000, max: 5000 };

/**
 * Events (CustomEvent.detail):
 *  - "status": {state: "connecting"|"connected"|"disconnected"|"auth-failed"|"pairing"|"restarting", message};
 *    "pairing" (refused with NOT_PAIRED, retrying by itself) adds {requestId, reason, deviceId, retryInMs, attempt}
 *  - "hello": the hello-ok payload, after every (re)connect; views refetch then
 *  - "event": an event frame; "gap": a broadcast `seq` was skipped, so state must be refetched
 */
export class Gateway extends EventTarget {
  constructor({ url, credentials }) {
    super();
    this.url = url;
    this.credentials = credentials; // {token} or {password}
    this.pending = new Map();
    this.nextId = 1;
    this.attempt = 0;
    this.pairingAttempt = 0;
    this.hello = null;
    this.stopped = false;
    this.instanceId = sessionStorage.getItem("openclaw.instance") || crypto.randomUUID();
    sessionStorage.setItem("openclaw.instance", this.instanceId);
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  status(state, message = "", extra = {}) {
    this.state = state;
    this.emit("status", { state, message, ...extra });
  }

  /** Skips the wait before the next attempt (the "Retry now" button while pairing). */
  retryNow() {
    if (this.stopped || this.socket?.readyState === WebSocket.OPEN || this.socket?.readyState === WebSocket.CONNECTING) return;
    this.open();
  }

  open() {
    clearTimeout(this.retryTimer);
    this.status("connecting", this.attempt ? `Reconnecting (attempt ${this.attempt + 1})…` : "Connecting…");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.lastSeq = null;
    this.hello = null;
    let refusal = null;
    socket.onmessage = (message) => {
      let frame;
      try { frame = JSON.parse(message.data); } catch { return; }
      if (frame.type === "event" && frame.event === "connect.challenge") {
        this.connect(frame.payload?.nonce).catch((error) => {
          refusal = error;
          if (error.auth) this.stopped = true;
        });
      } else if (frame.type === "res") {
        const waiter = this.pending.get(frame.id);
        if (!waiter) return;
        this.pending.delete(frame.id);
        frame.ok ? waiter.resolve(frame.payload) : waiter.reject(Object.assign(new Error(frame.error?.message ?? "request failed"), frame.error ?? {}));
      } else if (frame.type === "event") {
        this.onEvent(frame);
      }
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      for (const waiter of this.pending.values()) waiter.reject(new Error("disconnected"));
      this.pending.clear();
      const reason = refusal?.message || close.reason || `connection closed (${close.code})`;
      if (refusal?.auth) return this.status("auth-failed", reason);
      if (this.stopped) return this.status("disconnected", reason);
      if (refusal?.pairing) {
        // Not an auth failure: the request waits for an operator, and a repeat connect keeps it (same id) alive.
        const delay = Math.min(PAIRING_RETRY_MS.max, PAIRING_RETRY_MS.first * 2 ** this.pairingAttempt);
        this.pairingAttempt += 1;
        this.attempt += 1;
        const details = refusal.details ?? {};
        this.status("pairing", `pairing required; retrying in ${Math.round(delay / 100) / 10}s`, {
          requestId: details.requestId ?? null, reason: details.reason ?? null, deviceId: this.deviceId ?? null,
          retryInMs: delay, attempt: this.pairingAttempt,
        });
        this.retryTimer = setTimeout(() => this.open(), delay);
        return;
      }
      const restarting = this.restartExpectedMs != null;
      const delay = restarting ? this.restartExpectedMs : Math.min(10000, 500 * 2 ** this.attempt);
      this.restartExpectedMs = null;
      this.attempt += 1;
      this.status(restarting ? "restarting" : "disconnected", `${restarting ? "Gateway restarting" : reason}; reconnecting in ${Math.round(delay / 100) / 10}s`);
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }

  async connect(nonce) {
    const client = {
      id: "openclaw-control-ui", displayName: "Control UI", version: VERSION,
      platform: navigator.platform || "web", mode: "webchat", instanceId: this.instanceId,
    };
    const params = {
      minProtocol: 3, maxProtocol: 4, client, role: "operator", scopes: SCOPES, caps: ["tool-events"],
      auth: this.credentials, locale: navigator.language, userAgent: navigator.userAgent,
    };
    const identity = await loadIdentity();
    this.deviceId = identity?.id ?? null;
    if (identity && nonce) {
      params.device = await signConnect(identity, { client, role: "operator", scopes: SCOPES, token: this.credentials.token, nonce });
    }
    try {
      this.hello = await this.send("connect", params);
    } catch (error) {
      const code = error.details?.code ?? "";
      error.pairing = code === "PAIRING_REQUIRED";
      error.auth = code.startsWith("AUTH_") || code === "CONTROL_UI_ORIGIN_NOT_ALLOWED";
      throw error;
    }
    this.attempt = 0;
    this.pairingAttempt = 0;
    this.status("connected", `Connected to ${this.hello.server?.version ?? "gateway"}`);
    this.emit("hello", this.hello);
  }

  send(method, params) {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      if (this.socket?.readyState !== WebSocket.OPEN) return reject(new Error("not connected"));
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify(params === undefined ? { type: "req", id, method } : { type: "req", id, method, params }));
    });
  }

  /** A request after the handshake; rejects with the error shape's message when not connected. */
  request(method, params) {
    if (!this.hello) return Promise.reject(new Error("not connected"));
    return this.send(method, params);
  }

  onEvent(frame) {
    if (typeof frame.seq === "number") {
      if (this.lastSeq != null && frame.seq > this.lastSeq + 1) this.emit("gap", { expected: this.lastSeq + 1, got: frame.seq });
      this.lastSeq = frame.seq;
    }
    if (frame.event === "shutdown") this.restartExpectedMs = frame.payload?.restartExpectedMs ?? null;
    this.emit("event", frame);
  }
}
