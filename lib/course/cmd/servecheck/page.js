// page.js stands in for the notebook page, in node, for servecheck's labelling-widget check:
// it runs the <script>s of the HTML the kernel displays (GoNB's gonb_comm installer and
// activeui's click script) as the page would, against a fake DOM that knows only the
// elements with an id of the displayed HTML, and a fake WebSocket that servecheck connects to the
// Jupyter server. It reads one JSON command per line on stdin and writes one JSON event
// per line on stdout:
//
//   in:  {"op":"html","display":"...","html":"..."}
//                                          show HTML in a display: its elements replace the
//                                          display's, then its scripts run
//        {"op":"click","id":"...","status":"..."}
//                                          click the element with this id
//        {"op":"message","data":"..."}     a websocket message from the server
//   out: {"op":"ws_open","url":"..."}      a WebSocket was created with this URL
//        {"op":"ws_send","data":"..."}     the page sent this on its WebSocket
//        {"op":"clicked","id":"...","listeners":n,"status":"..."}
//                                          n click listeners ran (-1: no such element);
//                                          status is then the text of element "status"
//        {"op":"console","text":"..."}     console.log / console.error, and script errors
"use strict";

const emit = (event) => process.stdout.write(JSON.stringify(event) + "\n");
const text = (args) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
console.log = (...args) => emit({ op: "console", text: text(args) });
console.error = (...args) => emit({ op: "console", text: "error: " + text(args) });
// A browser logs a rejected promise no one waits on; node would exit.
process.on("unhandledRejection", (reason) => emit({ op: "console", text: "error: uncaught (in promise) " + reason }));

// The DOM: the elements with an id in the HTML each display shows, by id. Showing new
// HTML in a display removes the elements it showed before.
const elements = new Map();
const displays = new Map(); // display id → ids of its elements
globalThis.document = {
  location: { host: process.argv[1] }, // node -e page.js -- HOST
  getElementById: (id) => elements.get(id) ?? null,
};

function element(id) {
  const listeners = {};
  return {
    id,
    textContent: "",
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
  send(data) {
    if (this.closed) { throw new Error("WebSocket is closed"); }
    emit({ op: "ws_send", data });
  }
  close(code, reason) {
    if (this.closed) { return; }
    this.closed = true;
    emit({ op: "console", text: "websocket closed by the page" });
    setTimeout(() => this.onclose?.({ type: "close", code, reason }), 0);
  }
};

function show(display, html) {
  for (const id of displays.get(display) ?? []) {
    elements.delete(id);
  }
  const ids = [];
  for (const m of html.matchAll(/<[a-z]+ id="([^"]*)"/g)) {
    elements.set(m[1], element(m[1]));
    ids.push(m[1]);
  }
  displays.set(display, ids);
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
      show(cmd.display, cmd.html);
    } else if (cmd.op === "click") {
      const el = elements.get(cmd.id);
      const listeners = el ? el.click() : -1;
      const status = elements.get(cmd.status);
      emit({ op: "clicked", id: cmd.id, listeners, status: status?.textContent ?? "" });
    } else if (cmd.op === "message") {
      sockets.filter((s) => !s.closed).forEach((s) => s.onmessage?.({ data: cmd.data }));
    }
  }
});
process.stdin.on("end", () => process.exit(0));
