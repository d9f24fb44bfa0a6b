// device.js - this browser's Ed25519 device identity (WebCrypto), used to sign `connect` (payload v3).
// The key pair lives in localStorage next to the token; clearing site data makes a new device.

const STORAGE_KEY = "openclaw.device.v1";
const utf8 = (text) => new TextEncoder().encode(text);

export function base64url(bytes) {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64 + "===".slice((base64.length + 3) % 4)), (c) => c.charCodeAt(0));
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The stored identity, or a new one; null where WebCrypto Ed25519 is unavailable (non-secure context). */
export async function loadIdentity() {
  if (!globalThis.crypto?.subtle) return null;
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    if (stored?.pkcs8) {
      const privateKey = await crypto.subtle.importKey("pkcs8", fromBase64url(stored.pkcs8), { name: "Ed25519" }, false, ["sign"]);
      return { id: stored.id, publicKey: stored.publicKey, privateKey };
    }
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const raw = await crypto.subtle.exportKey("raw", pair.publicKey);
    const pkcs8 = await crypto.subtle.exportKey("pkcs8", pair.privateKey);
    const identity = { id: await sha256Hex(raw), publicKey: base64url(raw) };
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...identity, pkcs8: base64url(pkcs8) }));
    return { ...identity, privateKey: pair.privateKey };
  } catch (error) {
    console.warn("device identity unavailable", error);
    return null;
  }
}

const normalize = (value) => (value ?? "").trim().replace(/[A-Z]/g, (c) => c.toLowerCase());

/** `v3|deviceId|clientId|mode|role|scopes|signedAt|token|nonce|platform|deviceFamily`, signed. */
export async function signConnect(identity, { client, role, scopes, token, nonce }) {
  const signedAt = Date.now();
  const payload = [
    "v3", identity.id, client.id, client.mode, role, scopes.join(","), String(signedAt), token ?? "", nonce,
    normalize(client.platform), normalize(client.deviceFamily),
  ].join("|");
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, identity.privateKey, utf8(payload));
  return { id: identity.id, publicKey: identity.publicKey, signature: base64url(signature), signedAt, nonce };
}
