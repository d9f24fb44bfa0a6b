// views/config.js - the config file: a form generated from config.schema (with the key docs) and a raw
// JSON5 editor. Writes carry config.get's hash as baseHash; validation errors show by path.
import { h, render, subscribe, errorLine } from "../dom.js";

const fieldId = (path) => `cfg-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** Resolves `$ref` and picks the first non-null branch of anyOf/oneOf. */
function resolve(schema, root) {
  let node = schema ?? {};
  for (let i = 0; i < 10 && node.$ref; i++) {
    node = node.$ref.replace(/^#\//, "").split("/").reduce((at, key) => at?.[key], root) ?? {};
  }
  const branches = node.anyOf ?? node.oneOf;
  if (branches) return resolve(branches.find((b) => b.type !== "null") ?? branches[0], root);
  return node;
}

function typeOf(node, root) {
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
  if (node.enum) return "enum";
  if (type === "array") return ["string", "number", "integer"].includes(typeOf(resolve(node.items, root), root)) ? "list" : "complex";
  return type ?? "string";
}

function get(obj, path) {
  return path.split(".").reduce((at, key) => (at == null ? undefined : at[key]), obj);
}

function set(obj, path, value) {
  const keys = path.split(".");
  let at = obj;
  for (const key of keys.slice(0, -1)) at = at[key] && typeof at[key] === "object" ? at[key] : (at[key] = {});
  if (value === undefined) delete at[keys.at(-1)];
  else at[keys.at(-1)] = value;
}

export default {
  title: "Config",
  mount(el, { gw }) {
    let snapshot = null;
    let schema = null;
    const edits = new Map(); // path → value (undefined = remove)
    const summary = h("div.row.wrap", { role: "status", "data-testid": "config-status" });
    const issues = h("div", { "data-testid": "config-issues" });
    // The gateway validates (one source of truth, errors by path); the browser's own checks would hide them.
    const form = h("form.config-form", { novalidate: true, onsubmit: (e) => { e.preventDefault(); saveForm(false); } });
    const raw = h("textarea.mono.raw", { id: "config-raw", rows: 24, spellcheck: "false" });
    const tabs = h("div.tabs", { role: "tablist" });
    const formPanel = h("div", { role: "tabpanel", id: "config-form-panel" }, form);
    const rawPanel = h("div", { role: "tabpanel", id: "config-raw-panel", hidden: true },
      h("label", { for: "config-raw" }, "Raw config (JSON5)"), raw,
      h("div.row", h("button.primary", { type: "button", onclick: () => write("config.set", raw.value) }, "Save"),
        h("button", { type: "button", onclick: () => write("config.apply", raw.value) }, "Save & restart")));
    const tab = (label, panel, other) => h("button", {
      type: "button", role: "tab", "aria-controls": panel.id, "aria-selected": String(!panel.hidden),
      onclick: (e) => { panel.hidden = false; other.hidden = true; for (const t of tabs.children) t.setAttribute("aria-selected", String(t === e.target)); },
    }, label);
    tabs.append(tab("Form", formPanel, rawPanel), tab("Raw JSON5", rawPanel, formPanel));
    render(el, h("h1", "Config"), summary, issues, tabs, formPanel, rawPanel);

    async function load() {
      try {
        [snapshot, schema] = await Promise.all([gw.request("config.get"), schema ? Promise.resolve(schema) : gw.request("config.schema")]);
        edits.clear();
        raw.value = snapshot.raw ?? "{\n}\n";
        render(summary, h("span.mono.small", snapshot.path), h("span.badge", { "data-ok": String(snapshot.valid) }, snapshot.valid ? "valid" : "invalid"),
          snapshot.hash ? h("span.muted.small", `hash ${snapshot.hash.slice(0, 12)}`) : h("span.muted.small", "no file yet"));
        showIssues(snapshot.issues);
        drawForm();
      } catch (error) {
        render(issues, errorLine(error));
      }
    }

    function showIssues(list, heading = "Validation errors") {
      for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
      for (const note of form.querySelectorAll(".field-error")) note.remove();
      if (!list?.length) return render(issues);
      render(issues, h("div.card.error-box", { role: "alert" }, h("h2", heading),
        h("ul", list.map((issue) => h("li", h("code", issue.path), ": ", issue.message)))));
      let first = null;
      for (const issue of list) {
        const input = form.querySelector(`#${CSS.escape(fieldId(issue.path))}`);
        if (!input) continue;
        input.setAttribute("aria-invalid", "true");
        input.closest("details")?.setAttribute("open", "");
        input.closest(".field")?.append(h("p.field-error", issue.message));
        first ??= input;
      }
      first?.scrollIntoView({ block: "center" });
    }

    function drawForm() {
      const root = schema.schema;
      const hints = schema.uiHints ?? {};
      const parsed = snapshot.parsed ?? {};
      // Sections the file sets come first, then the rest; each group alphabetical.
      const entries = Object.entries(resolve(root, root).properties ?? {})
        .sort(([a], [b]) => (get(parsed, a) === undefined) - (get(parsed, b) === undefined) || a.localeCompare(b));
      const sections = entries.map(([key, node]) =>
        h("details.card", { open: get(parsed, key) !== undefined },
          h("summary", h("strong", key), hints[key]?.help ? h("span.muted.small", ` — ${hints[key].help}`) : null),
          fields(key, node)));
      render(form, sections,
        h("div.row.sticky", h("button.primary", { type: "submit" }, "Save"),
          h("button", { type: "button", onclick: () => saveForm(true) }, "Save & restart"),
          h("button", { type: "button", onclick: load }, "Reload")));

      function fields(path, schemaNode) {
        const node = resolve(schemaNode, root);
        if (node.properties) return Object.entries(node.properties).map(([key, child]) => fields(`${path}.${key}`, child));
        if (node.type === "object" || node.additionalProperties) {
          return h("p.muted.small", h("code", path), ": a map — edit it in the raw editor.");
        }
        return field(path, node);
      }

      function field(path, node) {
        const id = fieldId(path);
        const value = get(parsed, path);
        const type = typeOf(node, root);
        if (type === "complex") return h("p.muted.small", h("code", path), ": a list of objects — edit it in the raw editor.");
        const help = hints[path]?.help ?? node.description ?? "";
        const changed = (v) => { edits.set(path, v); };
        let input;
        if (type === "boolean") {
          input = h("select", { id, "data-path": path, onchange: () => changed(input.value === "" ? undefined : input.value === "true") },
            h("option", { value: "" }, `(default${node.default !== undefined ? `: ${node.default}` : ""})`),
            h("option", { value: "true", selected: value === true }, "true"), h("option", { value: "false", selected: value === false }, "false"));
        } else if (type === "enum") {
          input = h("select", { id, "data-path": path, onchange: () => changed(input.value === "" ? undefined : input.value) },
            h("option", { value: "" }, `(default${node.default !== undefined ? `: ${node.default}` : ""})`),
            node.enum.filter((v) => v !== null).map((v) => h("option", { value: v, selected: value === v }, String(v))));
        } else if (type === "integer" || type === "number") {
          input = h("input", { id, "data-path": path, type: "number", step: type === "integer" ? 1 : "any", min: node.minimum, max: node.maximum,
            value: value ?? "", placeholder: node.default ?? "", oninput: () => changed(input.value === "" ? undefined : Number(input.value)) });
        } else if (type === "list") {
          input = h("input", { id, "data-path": path, value: Array.isArray(value) ? value.join(", ") : "", placeholder: "comma-separated",
            oninput: () => changed(input.value.trim() ? input.value.split(",").map((s) => s.trim()).filter(Boolean) : undefined) });
        } else {
          input = h("input", { id, "data-path": path, value: value ?? "", placeholder: node.default ?? "",
            type: /token|password|secret|key/i.test(path) ? "password" : "text", autocomplete: "off",
            oninput: () => changed(input.value === "" ? undefined : input.value) });
        }
        return h("div.field", h("label", { for: id }, h("code", path)), input, help ? h("p.help", help) : null);
      }
    }

    function saveForm(restart) {
      const next = structuredClone(snapshot.parsed ?? {});
      for (const [path, value] of edits) set(next, path, value);
      write(restart ? "config.apply" : "config.set", JSON.stringify(next, null, 2) + "\n");
    }

    async function write(method, text) {
      try {
        const params = { raw: text };
        if (snapshot?.hash) params.baseHash = snapshot.hash;
        const result = await gw.request(method, params);
        showIssues([]);
        render(issues, h("p.ok", { role: "status", "data-testid": "config-saved" },
          result.restart ? "Saved. The gateway is restarting…" : `Saved: ${result.changedPaths.length ? result.changedPaths.join(", ") : "no changes"}.`));
        if (!result.restart) {
          const saved = issues.firstChild;
          await load();
          issues.replaceChildren(saved);
        }
      } catch (error) {
        const list = error.details?.issues;
        if (list?.length) showIssues(list, error.message);
        else render(issues, errorLine(error));
      }
    }

    return subscribe(gw, { load });
  },
};
