// page.js stands in for the notebook page, in node, for servecheck's labelling-widget check:
// it runs the <script>s of the HTML the kernel displays (GoNB's gonb_comm installer and
// activeui's click script) as the page would, against a fake DOM that knows only the
// buttons of the displayed HTML, and a fake WebSocket that servecheck connects to the
// Jupyter server. It reads one JSON command per line on stdin and writes one JSON event
// per line on stdout:
//
//   in:  {"op":"html","html":"..."}        display HTML: register its buttons, run its scripts
//        {"op":"click","id":"..."}         click the button with this id
//        {"op":"message","data":"..."}     a websocket message from the server
//   out: {"op":"ws_open","url":"..."}      a WebSocket was created with this URL
//        {"op":"ws_send","data":"..."}     the page sent this on its WebSocket
//        {"op":"clicked","id":"...","listeners":n}
//        {"op":"console","text":"..."}     console.log / console.error, and script errors
"use strict";

const emit = (event) => process.stdout.write(JSON.stringify(event) + "\n");
const text = (args) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
console.log = (...args) => emit({ op: "console", text: text(args) });
console.error = (...args) => emit({ op: "console", text: "error: " + text(args) });

// The DOM: elements by id, each recording its listeners.
const elements = new Map();
globalThis.document = {
  location: { host: process.argv[1] }, // node -e page.js -- HOST
  getElementById: (id) => elements.get(id) ?? null,
};

function element(id) {
  const listeners = {};
  return {
    id,
    addEventListener(type, fn) { (listeners[type] ??= []).push(fn); },
    click() {
      const fns = listeners.click ?? [];
      fns.forEach((fn) => fn({ type: "click", target: this }));
      return fns.length;
    },
  };
}

// The WebSocket: servecheck opens the real one and relays it.
const sockets = [];
globalThis.WebSocket = class {
  constructor(url) {
    this.url = url;
    sockets.push(this);
    emit({ op: "ws_open", url });
    setTimeout(() => this.onopen?.({ type: "open" }), 0);
  }
  send(data) { emit({ op: "ws_send", data }); }
  close() { emit({ op: "console", text: "websocket closed by the page" }); }
};

function show(html) {
  for (const m of html.matchAll(/<button id="([^"]*)"/g)) {
    elements.set(m[1], element(m[1]));
  }
  for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    try {
      (0, eval)(m[1]); // global scope, as a <script> element runs
    } catch (err) {
      emit({ op: "console", text: "error: script threw: " + err.stack });
    }
  }
}

let buffer = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const cmd = JSON.parse(buffer.slice(0, nl));
    buffer = buffer.slice(nl + 1);
    if (cmd.op === "html") {
      show(cmd.html);
    } else if (cmd.op === "click") {
      const el = elements.get(cmd.id);
      emit({ op: "clicked", id: cmd.id, listeners: el ? el.click() : -1 });
    } else if (cmd.op === "message") {
      sockets.forEach((s) => s.onmessage?.({ data: cmd.data }));
    }
  }
});
process.stdin.on("end", () => process.exit(0));
