// Starts the ebiten K-Means animation (anim.wasm) in this iframe, if the browser has WebGL.
"use strict";
(() => {
  const c = document.createElement("canvas");
  const gl = c.getContext("webgl2") || c.getContext("webgl");
  if (!gl) {
    const p = document.createElement("p");
    p.id = "nogl";
    p.textContent = "The K-Means animation needs WebGL, which this browser does not offer.";
    document.body.appendChild(p);
    parent.postMessage(JSON.stringify({ animReady: false }), location.origin);
    return;
  }
  const go = new Go();
  WebAssembly.instantiateStreaming(fetch("anim.wasm"), go.importObject)
    .then((r) => go.run(r.instance))
    .catch((err) => {
      const p = document.createElement("p");
      p.textContent = "The animation could not start: " + err;
      document.body.appendChild(p);
    });
})();
