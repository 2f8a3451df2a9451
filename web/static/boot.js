// Loader of the demo page. What the first view needs comes first, with one progress bar: the
// manifest, the page's program (app.wasm, which is also the view worker's: compiled once) and the
// weights (web/site.Critical lists exactly these, for the download budget). Once the filters and
// the K-Means view are drawn (rp.firstRender), the rest follows: the engine (worker.wasm, for the
// prune and evaluating workers), the test images (the first 200 first), the CLI's sweep for the
// charts; the calibration images when a repair step needs them, the animation when it is first
// on screen. window.rp holds the few browser functions the Go side calls (workers, clipboard,
// image decoding); everything else, including all computation, is Go.
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

  // compileWasm downloads and compiles a WebAssembly program, compiling while the bytes arrive
  // (compileStreaming; the response is rewrapped, so that a host's MIME type does not matter),
  // reporting the bytes received so far.
  async function compileWasm(url, onBytes) {
    if (typeof WebAssembly.compileStreaming !== "function" || typeof TransformStream !== "function") {
      return WebAssembly.compile(await fetchBytes(url, onBytes));
    }
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    let n = 0;
    const counted = r.body.pipeThrough(new TransformStream({
      transform(chunk, c) {
        n += chunk.length;
        onBytes(n);
        c.enqueue(chunk);
      },
    }));
    return WebAssembly.compileStreaming(new Response(counted, { headers: { "Content-Type": "application/wasm" } }));
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
    parts = manifest.testParts && manifest.testParts.length ? manifest.testParts : [manifest.test];
    trainFile = manifest.train && manifest.train.file;
    sweepFile = manifest.sweep || "";
    const files = [{ key: "app", url: "app.wasm" }];
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
      const onBytes = (n) => { got[f.url] = n; progress(); };
      // The program compiles while it downloads.
      fetched[f.key] = f.key === "app" ? compileWasm(f.url, onBytes) : fetchBytes(f.url, onBytes);
    }
    const appModule = fetched.app;
    await Promise.all(files.map(async (f) => {
      try {
        bytes[f.key] = await fetched[f.key];
      } catch (err) {
        if (f.key !== "weights") throw err;
        bytes.weightsError = String(err);
      }
    }));
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
    window.rpData = { manifest, weights: bytes.weights, weightsName, appModule: await appModule };
    window.rpTimings.compiled = performance.now();
    // The view worker starts now, while the page's own program starts, and is asked at once for
    // the layer of the address's hash (the page knows it as job 1). Its messages wait for the page.
    early = startAll(workerCount());
    window.rpData.earlyLayer = true;
    const inst = await WebAssembly.instantiate(window.rpData.appModule, (window.rpGo = new Go()).importObject);
    status("Starting…", 1);
    window.rpGo.run(inst);
  }

  // workerCount is the view worker, the prune worker and one evaluating worker per core (at most 8).
  const workerCount = () => 2 + Math.min(Math.max(navigator.hardwareConcurrency || 2, 1), 8);

  let early = null; // {workers, queue, handler, restart, needTrain, poke}
  let parts = [];
  let testPack = null; // the test images so far (all of them once allTest)
  let allTest = false;
  let onTest = null;
  let sweepFile = "";
  let sweep = null; // the sweep's text once fetched ("" when there is none or it failed)
  let onSweep = null;
  let trainFile = "";
  let train = null; // the calibration images, once a repair asked for them
  let trainLoading = false;
  let engine = null; // the compiled worker.wasm
  // setEngineUp: the prune worker has answered its init (or failed).
  let engineUp = false;
  const setEngineUp = () => {
    if (engineUp) return;
    engineUp = true;
    window.rpTimings.engineUp = performance.now();
    setTimeout(setQuiet, 15000);
  };
  // whenQuiet runs f once the first evaluation has finished, or 15 s after the engine is up.
  let quiet = false;
  const quietWaiters = [];
  const whenQuiet = (f) => (quiet ? f() : quietWaiters.push(f));
  const setQuiet = () => {
    if (quiet) return;
    quiet = true;
    for (const f of quietWaiters.splice(0)) f();
  };

  // loadRest fetches what the first view did not need, once it is on screen: the engine, the test
  // images (the first part first: the sample grid), the sweep.
  let restLoading = false;
  function loadRest() {
    if (restLoading) return;
    restLoading = true;
    window.rpTimings.restRequested = performance.now();
    compileWasm("worker.wasm", () => {}).then((m) => {
      engine = m;
      window.rpTimings.engineCompiled = performance.now();
      if (early) early.poke();
    }, (err) => {
      setEngineUp();
      fail("The demo's engine (worker.wasm) could not be loaded: " + err);
    });
    (async () => {
      testPack = await fetchBytes(parts[0].file, () => {});
      if (onTest) onTest(testPack);
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
      if (onTest && rest.length) onTest(testPack);
      if (early) early.poke();
    })().catch((err) => fail("The test images could not be loaded: " + err));
    (sweepFile ? fetch(sweepFile).then((r) => (r.ok ? r.text() : ""), () => "") : Promise.resolve("")).then((t) => {
      sweep = t;
      if (onSweep) onSweep(t);
    });
  }

  // startAll starts the view worker (app.wasm with the weights) at once; the prune worker
  // (worker.wasm with the weights; with the calibration images once a repair asked for them)
  // when the engine is in, the evaluating workers (weights and all test images) when the engine
  // and the test images are in. The page gets a stable handle per worker: it queues messages
  // until the worker starts and survives restarts.
  function startAll(n) {
    const st = { workers: [], queue: [], handler: null };
    const deliver = (i, d) => (st.handler ? st.handler(i, d) : st.queue.push([i, d]));
    const d = window.rpData;
    const real = [];
    const waiting = [];
    const wanted = []; // wanted[i]: a fresh worker i starts as soon as what it needs is in
    const canStart = (i) => i === 0 || (engine && (i === 1 ? !trainLoading || train : allTest));
    const initBin = (i) => (i === 0 ? [d.weights] : i === 1 ? (train ? [d.weights, new Uint8Array(0), train] : [d.weights]) : [d.weights, testPack]);
    const boot = (i) => {
      if (!wanted[i] || !canStart(i)) return;
      wanted[i] = false;
      const w = new Worker("worker.js");
      w.onmessage = (e) => {
        // The view worker's first answer: the page draws it now (or shows its error); what
        // the first view did not need may come.
        if (i === 0 && e.data && (e.data.op === "layer" || e.data.op === "error")) setTimeout(loadRest, 0);
        if (i === 1) setEngineUp();
        deliver(i, e.data);
      };
      w.onerror = (e) => {
        if (i === 0) loadRest();
        if (i === 1) setEngineUp();
        deliver(i, { op: "error", json: JSON.stringify({ msg: "worker " + i + ": " + (e.message || "failed") }) });
      };
      w.postMessage({ op: "module", module: i === 0 ? d.appModule : engine });
      w.postMessage({ op: "init", json: "{}", bin: initBin(i) });
      if (i === 0) w.postMessage({ op: "layer", json: JSON.stringify({ gen: 1, hash: location.hash }) });
      for (const [m, t] of waiting[i] || []) w.postMessage(m, t);
      waiting[i] = null;
      real[i] = w;
    };
    const start = (i) => {
      if (real[i]) real[i].terminate();
      real[i] = null;
      wanted[i] = true;
      boot(i);
    };
    for (let i = 0; i < n; i++) {
      st.workers.push({
        postMessage: (m, t) => (real[i] ? real[i].postMessage(m, t || []) : (waiting[i] = waiting[i] || []).push([m, t || []])),
      });
    }
    // poke starts the workers whose data has come in.
    st.poke = () => {
      for (let i = 0; i < n; i++) boot(i);
    };
    // restart replaces worker i (its queued jobs go with it).
    st.restart = (i) => {
      waiting[i] = null;
      start(i);
    };
    // needTrain holds the prune worker's jobs while the calibration images download, then
    // replaces the worker by one that has them.
    st.needTrain = () => {
      if (train || trainLoading || !trainFile) return;
      trainLoading = true;
      start(1);
      fetchBytes(trainFile, () => {}).then((b) => {
        train = b;
        window.rpTimings.trainImages = performance.now();
        st.poke();
      }, (err) => {
        trainLoading = false;
        st.poke();
        deliver(1, { op: "error", json: JSON.stringify({ msg: "calibration images: " + err }) });
      });
    };
    for (let i = 0; i < n; i++) start(i);
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
    // onTestImages(f) calls f with the test images once the first part is in, and again once
    // all have arrived.
    onTestImages(f) {
      onTest = f;
      if (testPack) f(testPack);
    },
    // onSweep(f) calls f with the text of the CLI's sweep (assets/sweep.json) once it is in ("" when
    // the site has none).
    onSweep(f) {
      onSweep = f;
      if (sweep !== null) f(sweep);
    },
    // whenVisible calls f once the element with that id is first on screen (at once without
    // IntersectionObserver) and the first evaluation has finished (rp.evalFinished), or 15 s
    // after the prune worker started: the animation (anim.wasm, the largest download, and its
    // game loop on the page's thread) must not hold up the engine's compile, the workers' start
    // and the first evaluation. Until then the page shows the K-Means view as a still picture.
    whenVisible(id, f) {
      const el = $(id);
      const go = () => whenQuiet(f);
      if (!el || typeof IntersectionObserver !== "function") {
        go();
        return;
      }
      const obs = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          obs.disconnect();
          go();
        }
      });
      obs.observe(el);
    },
    // evalFinished is called by the Go side when the first evaluation has finished.
    evalFinished() {
      setQuiet();
    },
    // firstRender hides the loading screen (called by the Go side once the filters are drawn).
    firstRender() {
      if (!window.rpTimings.firstRender) window.rpTimings.firstRender = performance.now();
      $("loading").hidden = true;
      loadRest();
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
