// views/debug.js - call any method with JSON params; see the answer and the live event stream.
import { h, render, json } from "../dom.js";

export default {
  title: "Debug",
  mount(el, { gw }) {
    const methods = h("datalist", { id: "debug-methods" }, (gw.hello?.features?.methods ?? []).map((m) => h("option", { value: m })));
    const method = h("input", { id: "debug-method", list: "debug-methods", value: "status", autocomplete: "off" });
    const params = h("textarea.mono", { id: "debug-params", rows: 5, spellcheck: "false" }, "{}");
    const output = h("pre.output", { "data-testid": "debug-output", "aria-live": "polite" });
    const events = h("ol.events", { "aria-label": "Events" });
    const showTicks = h("input", { id: "debug-ticks", type: "checkbox" });
    render(el, h("h1", "Debug"),
      h("form.card", { onsubmit: (event) => { event.preventDefault(); call(); } },
        h("label", { for: "debug-method" }, "Method"), method, methods,
        h("label", { for: "debug-params" }, "Params (JSON)"), params,
        h("div.row", h("button.primary", { type: "submit" }, "Call"))),
      h("h2", "Response"), output,
      h("h2", "Events ", h("label.check.small", showTicks, " show ticks")), events);

    async function call() {
      let value;
      try {
        value = params.value.trim() ? JSON.parse(params.value) : undefined;
      } catch (error) {
        output.textContent = `Params are not JSON: ${error.message}`;
        return;
      }
      const started = performance.now();
      try {
        const result = await gw.request(method.value.trim(), value);
        output.dataset.ok = "true";
        output.textContent = `// ok in ${Math.round(performance.now() - started)} ms\n${json(result)}`;
      } catch (error) {
        output.dataset.ok = "false";
        output.textContent = `// error\n${json({ code: error.code, message: error.message, details: error.details })}`;
      }
    }

    const onEvent = ({ detail: frame }) => {
      if (frame.event === "tick" && !showTicks.checked) return;
      events.prepend(h("li", h("details", h("summary", `${new Date().toLocaleTimeString()} ${frame.event}${frame.seq != null ? ` #${frame.seq}` : ""}`), h("pre", json(frame.payload)))));
      while (events.children.length > 200) events.lastChild.remove();
    };
    gw.addEventListener("event", onEvent);
    return () => gw.removeEventListener("event", onEvent);
  },
};
