// Bootstrap of one Web Worker: the page sends a compiled module first ({op: "module"}: app.wasm
// for the view worker, worker.wasm for the prune and evaluating workers); messages that arrive
// before the Go program installed its own onmessage are kept in self.rpPending, which the Go side
// drains.
"use strict";
importScripts("wasm_exec.js");
self.rpPending = [];
self.onmessage = (e) => {
  const d = e.data;
  if (d && d.op === "module") {
    self.rpStarted = performance.now();
    const go = new Go();
    WebAssembly.instantiate(d.module, go.importObject)
      .then((inst) => go.run(inst))
      .catch((err) => postMessage({ op: "error", json: JSON.stringify({ msg: "module: " + err }) }));
    return;
  }
  self.rpPending.push(e);
};
