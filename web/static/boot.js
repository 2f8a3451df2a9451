// Loader of the demo page: downloads the page's wasm (app.wasm), the workers' wasm
// (worker.wasm, compiled once and handed to every worker), the weights and the first 200 test
// images with one progress bar, then starts the Go program, which takes over #app; the other test
// images follow, the calibration images when a repair step needs them. window.rp holds the few
// browser functions the Go side calls (workers, clipboard, image decoding); everything else,
// including all computation, is Go.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const t0 = performance.now();
  window.rpTimings = { start: t0 };
  // The page's main thread: long tasks (over 50 ms) so far, for the browser test's reports.
  try {
    window.rpTimings.longTaskMs = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.rpTimings.longTaskMs += e.duration;
    }).observe({ entryTypes: ["longtask"] });
  } catch (e) { /* no long-task timing in this browser */ }

  function status(text, frac) {
    $("load-text").textContent = text;
    if (frac !== undefined) $("load-bar").value = frac;
  }

  function fail(msg) {
    $("load-bar").hidden = true;
    const p = $("load-error");
    p.hidden = false;
    p.textContent = msg;
  }

  // fetchBytes downloads url, reporting the bytes received so far.
  async function fetchBytes(url, onBytes) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    if (!r.body || !r.body.getReader) {
      const b = new Uint8Array(await r.arrayBuffer());
      onBytes(b.length);
      return b;
    }
    const reader = r.body.getReader();
    const chunks = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.length;
      onBytes(n);
    }
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  // weightsURL returns ?weights=… (same origin only, as the CSP allows) or the manifest's default.
  function weightsURL(manifest) {
    const q = new URLSearchParams(location.search).get("weights");
    if (q) {
      const u = new URL(q, location.href);
      if (u.origin === location.origin) return u.pathname + u.search;
    }
    return manifest.weights || "";
  }

  function pickWeights() {
    return new Promise((resolve) => {
      const box = $("load-weights");
      box.hidden = false;
      $("weights-file").addEventListener("change", async (e) => {
        const f = e.target.files[0];
        if (!f) return;
        box.hidden = true;
        resolve({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      });
    });
  }

  async function main() {
    if (typeof WebAssembly !== "object") {
      fail("This browser has no WebAssembly.");
      return;
    }
    status("Loading the manifest…", 0);
    const manifest = await (await fetch("manifest.json")).json();
    const wurl = weightsURL(manifest);
    // What the first view needs: the page's and the workers' programs, the weights and the first
    // part of the test images (the sample grid). The rest of the test images follow at once, the
    // calibration images only when a repair step asks for them (rp.needTrain), the animation
    // when it is first on screen.
    parts = manifest.testParts && manifest.testParts.length ? manifest.testParts : [manifest.test];
    trainFile = manifest.train && manifest.train.file;
    const files = [
      { key: "app", url: "app.wasm" },
      { key: "worker", url: "worker.wasm" },
      { key: "test0", url: parts[0].file },
    ];
    if (wurl) files.push({ key: "weights", url: wurl });
    const sizes = manifest.sizes || {};
    let total = 0;
    for (const f of files) total += sizes[f.url] || 1e6;
    const got = {};
    const progress = () => {
      let n = 0;
      for (const f of files) n += got[f.url] || 0;
      status("Downloading the demo: " + (n / 1e6).toFixed(1) + " of " + (total / 1e6).toFixed(1) + " MB", Math.min(1, n / total));
    };
    const bytes = {};
    const fetched = {};
    for (const f of files) {
      fetched[f.key] = fetchBytes(f.url, (n) => { got[f.url] = n; progress(); });
    }
    // Both programs compile while the rest downloads.
    const workerModule = fetched.worker.then((b) => WebAssembly.compile(b));
    const app = fetched.app.then((b) => WebAssembly.instantiate(b, (window.rpGo = new Go()).importObject));
    await Promise.all(files.map(async (f) => {
      try {
        bytes[f.key] = await fetched[f.key];
      } catch (err) {
        if (f.key !== "weights") throw err;
        bytes.weightsError = String(err);
      }
    }));
    // The other parts of the test images, in order, after the first.
    testPack = bytes.test0;
    (async () => {
      const rest = await Promise.all(parts.slice(1).map((p) => fetchBytes(p.file, () => {})));
      const n = rest.reduce((a, b) => a + b.length, testPack.length);
      const all = new Uint8Array(n);
      all.set(testPack, 0);
      let o = testPack.length;
      for (const b of rest) {
        all.set(b, o);
        o += b.length;
      }
      testPack = all;
      allTest = true;
      window.rpTimings.testImages = performance.now();
      for (const f of testWaiters.splice(0)) f();
      if (onTest) onTest(testPack);
    })().catch((err) => fail("The test images could not be loaded: " + err));
    if (manifest.sweep) {
      try {
        bytes.sweep = await (await fetch(manifest.sweep)).text();
      } catch (e) {
        bytes.sweep = "";
      }
    }
    window.rpTimings.downloaded = performance.now();
    // The name as the person wrote it (the command-line box quotes it for the shell).
    let weightsName = wurl;
    try {
      weightsName = decodeURIComponent(wurl);
    } catch (e) { /* not percent-encoded text: shown as it is */ }
    if (!bytes.weights) {
      status(bytes.weightsError ? "Could not load " + wurl + ". Choose a weights file:" : "No trained weights are installed. Choose a weights file:");
      const w = await pickWeights();
      bytes.weights = w.bytes;
      weightsName = w.name;
    }
    status("Compiling WebAssembly…", 1);
    window.rpData = { manifest, weights: bytes.weights, weightsName, workerModule: await workerModule, sweep: bytes.sweep || "" };
    // The workers start now, while the page's own program starts; the view worker is asked at
    // once for the layer of the address's hash (the page knows it as job 1). Their first
    // messages wait for the page.
    early = startAll(workerCount());
    window.rpData.earlyLayer = true;
    const inst = await app;
    window.rpTimings.compiled = performance.now();
    status("Starting…", 1);
    window.rpGo.run(inst.instance);
  }

  // workerCount is the view worker, the prune worker and one evaluating worker per core (at most 8).
  const workerCount = () => 2 + Math.min(Math.max(navigator.hardwareConcurrency || 2, 1), 8);

  let early = null; // {workers, queue, handler, restart, needTrain}
  let parts = [];
  let testPack = null; // the test images so far (all of them once testWaiters ran)
  const testWaiters = [];
  let onTest = null;
  let trainFile = "";
  let train = null; // the calibration images, once a repair asked for them

  // whenAllTest runs f once every part of the test images is in.
  let allTest = false;
  const whenAllTest = (f) => (allTest ? f() : testWaiters.push(f));

  // startAll starts the view worker (weights only: it must answer its first layer job quickly)
  // and the prune worker (weights; the calibration images are added when a repair needs them) at
  // once, and the evaluating workers (weights and all test images), which are needed only after
  // a pruning, once the view worker has answered (or after 2 s) and the test images are in, so
  // that they do not slow the first view down. The page gets a stable handle per worker: it
  // queues messages until the worker starts and survives restarts.
  function startAll(n) {
    const st = { workers: [], queue: [], handler: null };
    const deliver = (i, d) => (st.handler ? st.handler(i, d) : st.queue.push([i, d]));
    const d = window.rpData;
    const real = [];
    const waiting = [];
    let rest = false;
    const startRest = () => {
      if (rest) return;
      rest = true;
      whenAllTest(() => {
        for (let i = 2; i < n; i++) start(i);
      });
    };
    const initBin = (i) => (i === 0 ? [d.weights] : i === 1 ? (train ? [d.weights, new Uint8Array(0), train] : [d.weights]) : [d.weights, testPack]);
    const start = (i) => {
      const w = new Worker("worker.js");
      w.onmessage = (e) => {
        if (i === 0 && e.data && (e.data.op === "layer" || e.data.op === "error")) startRest();
        deliver(i, e.data);
      };
      w.onerror = (e) => deliver(i, { op: "error", json: JSON.stringify({ msg: "worker " + i + ": " + (e.message || "failed") }) });
      w.postMessage({ op: "module", module: d.workerModule });
      w.postMessage({ op: "init", json: "{}", bin: initBin(i) });
      if (i === 0) w.postMessage({ op: "layer", json: JSON.stringify({ gen: 1, hash: location.hash }) });
      for (const [m, t] of waiting[i] || []) w.postMessage(m, t);
      waiting[i] = null;
      real[i] = w;
    };
    for (let i = 0; i < n; i++) {
      st.workers.push({
        postMessage: (m, t) => (real[i] ? real[i].postMessage(m, t || []) : (waiting[i] = waiting[i] || []).push([m, t || []])),
      });
    }
    st.restart = (i) => {
      if (real[i]) real[i].terminate();
      start(i);
    };
    // needTrain holds the prune worker's jobs while the calibration images download, then
    // replaces the worker by one that has them.
    let trainLoading = false;
    st.needTrain = () => {
      if (train || trainLoading || !trainFile) return;
      trainLoading = true;
      if (real[1]) real[1].terminate();
      real[1] = null;
      fetchBytes(trainFile, () => {}).then((b) => {
        train = b;
        window.rpTimings.trainImages = performance.now();
        start(1);
      }, (err) => deliver(1, { op: "error", json: JSON.stringify({ msg: "calibration images: " + err }) }));
    };
    start(0);
    start(1);
    setTimeout(startRest, 2000);
    return st;
  }

  window.rp = {
    // startWorkers hands the page the workers (started by the loader, already initialising);
    // onMessage(i, data) gets their messages, those that arrived before first.
    startWorkers(onMessage) {
      if (!early) early = startAll(workerCount());
      early.handler = onMessage;
      for (const [i, d] of early.queue.splice(0)) onMessage(i, d);
      return early.workers;
    },
    // restartWorker terminates worker i (a pruning for stale settings) and starts a fresh one
    // from the compiled module with the same data; the page's handle stays valid.
    restartWorker(i) {
      early.restart(i);
    },
    // needTrain makes sure the prune worker has the calibration images before its next job.
    needTrain() {
      early.needTrain();
    },
    // onTestImages(f) calls f with the test images so far, and again once all have arrived.
    onTestImages(f) {
      onTest = f;
      f(testPack);
    },
    // whenVisible calls f once the element with that id is first on screen (at once without
    // IntersectionObserver).
    whenVisible(id, f) {
      const el = $(id);
      if (!el || typeof IntersectionObserver !== "function") {
        f();
        return;
      }
      const obs = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          obs.disconnect();
          f();
        }
      });
      obs.observe(el);
    },
    // firstRender hides the loading screen (called by the Go side once the filters are drawn).
    firstRender() {
      if (!window.rpTimings.firstRender) window.rpTimings.firstRender = performance.now();
      $("loading").hidden = true;
    },
    copy(text, done) {
      const fallback = () => {
        const ta = document.createElement("textarea");
        ta.value = text;
        document.body.appendChild(ta);
        ta.select();
        let ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        ta.remove();
        done(ok);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(() => done(true), fallback);
      } else {
        fallback();
      }
    },
    // decodeImage resizes an uploaded picture to 32×32 and returns its planar R, G, B bytes;
    // done(bytes, error).
    decodeImage(file, done) {
      if (!file || !/^image\//.test(file.type)) {
        done(null, "“" + (file ? file.name : "?") + "” is not an image (PNG, JPEG, GIF, WebP, …).");
        return;
      }
      createImageBitmap(file).then((bmp) => {
        const c = document.createElement("canvas");
        c.width = 32;
        c.height = 32;
        const ctx = c.getContext("2d");
        ctx.imageSmoothingQuality = "high";
        ctx.drawImage(bmp, 0, 0, 32, 32);
        const d = ctx.getImageData(0, 0, 32, 32).data;
        const out = new Uint8Array(3072);
        for (let i = 0; i < 1024; i++) {
          out[i] = d[4 * i];
          out[1024 + i] = d[4 * i + 1];
          out[2048 + i] = d[4 * i + 2];
        }
        done(out, "");
      }, () => done(null, "“" + file.name + "” could not be decoded as an image."));
    },
  };

  main().catch((err) => fail("The demo could not start: " + err));
})();
