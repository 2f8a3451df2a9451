// Speed comparison: the demo's Go engine (worker.wasm) against ONNX Runtime Web and TensorFlow.js,
// both with their WebAssembly backends, running the same networks on the same test images in this
// browser: the shipped weights and the method-2 pruned networks that make site writes
// (compare/models.json, web/site/compare_assets.go: each as safetensors for the Go engine and
// TensorFlow.js, and as ONNX exported from the same network for ONNX Runtime).
//
// Every engine runs in fresh Web Workers: one worker / one thread, then (cross-origin isolated
// only) T workers / T threads. The thread count of ONNX Runtime and TensorFlow.js is fixed when
// their wasm starts, so each configuration gets its own worker; that worker is this very file (see
// the end). Each configuration first warms up (batches of the first images until at least
// WARM_BATCHES batches and WARM_MS have passed: V8 first runs wasm unoptimised and optimises the
// hot functions while they run). The page then times all the configurations of one thread count
// (every engine on every network) in turns, on chunks of 4 (or T) batches of 16 images, each from
// posting the chunk to its last answer, so that the machine's other load falls on all alike and
// the ratios between them hold.
//
// ?images=N (default 400), ?threads=T (default: all cores; 1 runs only the one-thread
// configurations), ?models=unpruned,m2-r0.8 (default: all the build's networks). Threads need
// cross-origin isolation (cmd/serve's COOP/COEP headers); on a host without them (GitHub Pages)
// every engine runs one thread. Missing engines (make site without npm) are named on the page and
// in window.rpCompare.missing; ?weights= (other weights than the shipped ones) runs only those,
// unpruned, without ONNX Runtime.
//
// window.rpCompare, set when everything ran (or {error} when the page failed; error is also set,
// with the rest, when some configuration failed):
//   images, threads (T), isolated, versions {ort, tfjs}, missing: [engine: reason],
//   models: [{name, label, params, macs, args}],
//   runs: [{model, engine ("go" | "ort" | "tfjs"), threads (asked for), engineThreads (what the
//           engine says it runs), msPerImage, imagesPerSecond, accuracy (fraction), agreeGo
//           (fraction of predictions equal to the Go engine's, one worker, same model), preds,
//           backend}],
//   summary: {goVsPeer: {ratio, peer, goMs, peerMs} (Go one worker ÷ the faster of ONNX Runtime
//             and TensorFlow.js at one thread, unpruned), speedup: {model: Go one worker's
//             unpruned ms ÷ that model's}},
//   errors: [what failed],
//   and, as before, go / tfjs / agree for the unpruned network at T threads.
"use strict";
(() => {
  const BATCH = 16; // the Go engine's batch (resnet.Batch)
  const WARM_BATCHES = 3, WARM_MS = 1000, WARM_MAX = 30; // warm-up: at least 3 batches and 1 s, at most 30 batches
  const MEAN = [0.485, 0.456, 0.406], STD = [0.229, 0.224, 0.225];
  if (typeof document === "undefined") {
    workerMain();
    return;
  }

  const $ = (id) => document.getElementById(id);
  const q = new URLSearchParams(location.search);
  const N = Math.max(BATCH, Math.min(1000, Math.floor(+(q.get("images") || 400)) || 400));
  const isolated = self.crossOriginIsolated === true;
  const asked = Math.max(1, Math.min(16, Math.floor(+(q.get("threads") || navigator.hardwareConcurrency || 2)) || 1));
  const T = isolated ? asked : 1;
  const NAMES = { go: "Go engine (worker.wasm)", ort: "ONNX Runtime Web", tfjs: "TensorFlow.js" };

  function log(msg) {
    const li = document.createElement("li");
    li.textContent = msg;
    $("log").appendChild(li);
  }

  function row(table, cells, head) {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = document.createElement(head ? "th" : "td");
      td.textContent = c;
      tr.appendChild(td);
    }
    table.appendChild(tr);
  }

  const fetchBytes = async (url) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return new Uint8Array(await r.arrayBuffer());
  };
  const exists = async (url) => (await fetch(url, { method: "HEAD" }).catch(() => ({ ok: false }))).ok;

  // testImages returns the first n raw test records, from as many of the pack's parts as needed.
  async function testImages(manifest, n) {
    const parts = manifest.testParts || [manifest.test];
    const out = new Uint8Array(n * 3073);
    let have = 0;
    for (const p of parts) {
      if (have >= n) break;
      const b = await fetchBytes(p.file);
      const take = Math.min(b.length, (n - have) * 3073);
      out.set(b.subarray(0, take), have * 3073);
      have += take / 3073;
    }
    if (have < n) throw new Error("the site's test pack has " + have + " images, fewer than " + n);
    return out;
  }

  // inputs normalises the records as the Go engine does (core/cifar: x/255, then minus the mean and
  // divided by the std, each step rounded to float32), in NCHW (ONNX) and NHWC (TensorFlow.js).
  function inputs(test, n) {
    const nchw = new Float32Array(n * 3072), nhwc = new Float32Array(n * 3072);
    const labels = [];
    const f = Math.fround;
    const lut = MEAN.map((m, c) => Float32Array.from({ length: 256 }, (_, v) => f(f(f(v) / 255 - f(m)) / f(STD[c]))));
    for (let i = 0; i < n; i++) {
      const r = i * 3073;
      labels.push(test[r]);
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 1024; p++) {
          const v = lut[c][test[r + 1 + c * 1024 + p]];
          nchw[i * 3072 + c * 1024 + p] = v;
          nhwc[(i * 1024 + p) * 3 + c] = v;
        }
      }
    }
    return { nchw, nhwc, labels };
  }

  // ---- The Go engine: worker.wasm in T Web Workers, as in the demo ----
  function startGo(module, weights, test) {
    return new Promise((resolve, reject) => {
      const w = new Worker("worker.js");
      w.onmessage = (e) => {
        if (e.data.op === "ready") resolve(w);
        if (e.data.op === "error") reject(new Error("Go worker: " + JSON.parse(e.data.json).msg));
      };
      w.onerror = (e) => reject(new Error("Go worker: " + e.message));
      w.postMessage({ op: "module", module });
      w.postMessage({ op: "init", json: "{}", bin: [weights, test] });
    });
  }

  // goEval evaluates images start…start+count with the original network (pruned false) or a
  // pruned one: net's safetensors, or, when net is null, the one the worker was sent before and
  // keeps. It writes the predictions into preds.
  function goEval(w, gen, pruned, net, start, count, preds) {
    return new Promise((resolve, reject) => {
      w.onmessage = (e) => {
        const d = e.data;
        if (d.op === "error") reject(new Error("Go worker: " + JSON.parse(d.json).msg));
        if (d.op !== "progress" && d.op !== "evaldone") return;
        const p = JSON.parse(d.json);
        if (p.gen !== gen) return;
        (p.preds || []).forEach((v, k) => { preds[p.first + k] = v; });
        if (d.op === "evaldone") resolve();
      };
      const msg = { op: "eval", json: JSON.stringify({ gen, net: pruned ? "pruned" : "orig", start, count }) };
      if (net) msg.bin = [net.slice()];
      w.postMessage(msg);
    });
  }

  // Each configuration (an engine with a thread count, on one network) is loaded and warmed up
  // first, then timed on ranges of the images by the page: {engine, threads, engineThreads,
  // version, backend, run(start, count) → predictions, close()}.

  // warmUp repeats one batch until at least WARM_BATCHES batches and WARM_MS have passed.
  async function warmUp(batch) {
    const t = performance.now();
    for (let k = 0; k < WARM_MAX && (k < WARM_BATCHES || performance.now() - t < WARM_MS); k++) await batch(k);
  }

  async function goConfig(module, weights, test, model, threads) {
    const net = model.name === "unpruned" ? null : model.bytes;
    const ws = await Promise.all(Array.from({ length: threads }, () => startGo(module, weights, test)));
    const close = () => ws.forEach((w) => w.terminate());
    let gen = 1;
    try {
      // The first batch also compiles the pruned network, which the workers then keep.
      await Promise.all(ws.map((w) => warmUp((k) => goEval(w, gen, net !== null, k === 0 ? net : null, 0, BATCH, []))));
    } catch (err) {
      close();
      throw err;
    }
    return {
      engine: "go", threads, engineThreads: threads, close,
      // run splits the range among the workers in whole batches.
      run: async (start, count) => {
        const preds = new Array(count).fill(-1), got = [];
        const per = Math.ceil(count / threads / BATCH) * BATCH;
        gen++;
        await Promise.all(ws.map((w, k) => {
          const a = start + k * per, b = Math.min(start + count, a + per);
          return a < b ? goEval(w, gen, net !== null, null, a, b - a, got) : null;
        }));
        for (let i = 0; i < count; i++) preds[i] = got[start + i];
        return preds;
      },
    };
  }

  // ---- ONNX Runtime Web and TensorFlow.js: one worker (this file) per configuration ----
  function call(w, msg, transfer) {
    return new Promise((resolve, reject) => {
      w.onmessage = (e) => (e.data.op === "error" ? reject(new Error(e.data.msg)) : resolve(e.data));
      w.onerror = (e) => reject(new Error(e.message || "worker failed"));
      w.postMessage(msg, transfer || []);
    });
  }

  async function peerConfig(engine, model, x, threads) {
    const w = new Worker("compare.js");
    try {
      const bytes = (engine === "ort" ? model.onnx : model.bytes).slice();
      const xs = x.slice(); // each worker gets its own copy
      const ready = await call(w, { op: "load", engine, threads, model: bytes, x: xs, n: N }, [bytes.buffer, xs.buffer]);
      return { engine, threads, engineThreads: ready.threads, version: ready.version, backend: ready.backend, isolated: ready.isolated,
        run: async (start, count) => (await call(w, { op: "run", start, count })).preds, close: () => w.terminate() };
    } catch (err) {
      w.terminate();
      throw err;
    }
  }

  async function main() {
    const manifest = await (await fetch("manifest.json")).json();
    const wurl = q.get("weights") || manifest.weights;
    if (!wurl) throw new Error("this site ships no weights (weights/resnet20.safetensors); pass ?weights=PATH");
    const missing = [];
    // manifest.sizes lists every file of the build: what it lacks is not fetched (no 404s).
    const has = (f) => !manifest.sizes || f in manifest.sizes;
    const idx = has("compare/models.json") ? await fetch("compare/models.json").then((r) => (r.ok ? r.json() : null)).catch(() => null) : null;
    const engines = ["go"];
    if (!idx || !idx.ort) missing.push("ort: ONNX Runtime Web is not part of this build (make site needs npm for it)");
    else if (q.get("weights")) missing.push("ort: ?weights= has no ONNX export (only the shipped weights do)");
    else if (!idx.models || !idx.models.length) missing.push("ort: this build has no ONNX exports of the weights");
    else engines.push("ort");
    if (idx ? idx.tfjs : has("tfjs/tf.min.js") && (await exists("tfjs/tf.min.js"))) engines.push("tfjs");
    else missing.push("tfjs: TensorFlow.js is not part of this build (make site needs npm for it)");
    missing.forEach((m) => log("missing " + m));

    const weights = await fetchBytes(wurl);
    // The models: the shipped (or ?weights=) network, then the pruned ones when they are of the
    // shipped weights.
    const models = [{ name: "unpruned", label: "unpruned", bytes: weights }];
    if (idx && idx.models && !q.get("weights")) {
      for (const m of idx.models) {
        const mm = m.name === "unpruned" ? models[0] : { name: m.name, label: m.label, bytes: await fetchBytes(m.safetensors) };
        Object.assign(mm, { params: m.params, macs: m.macs, args: m.args || [] });
        if (engines.includes("ort")) mm.onnx = await fetchBytes(m.onnx);
        if (mm !== models[0]) models.push(mm);
      }
    }
    if (q.get("models")) {
      const want = q.get("models").split(",");
      const unknown = want.filter((n) => !models.some((m) => m.name === n));
      if (unknown.length) throw new Error("?models=: no network " + unknown.join(", ") + " (this build has " + models.map((m) => m.name).join(", ") + ")");
      models.splice(0, models.length, ...models.filter((m) => want.includes(m.name)));
    }
    const test = await testImages(manifest, N);
    const { nchw, nhwc, labels } = inputs(test, N);
    log("images: " + N + ", threads / workers: 1" + (T > 1 ? " and " + T : "") + ", cross-origin isolated: " + isolated +
      ", networks: " + models.map((m) => m.label).join(", "));
    if (!isolated && asked > 1) log("this host sends no COOP/COEP headers, so ONNX Runtime and TensorFlow.js cannot use threads: every engine runs one thread");

    const module = await WebAssembly.compileStreaming(fetch("worker.wasm"));
    const counts = T > 1 ? [1, T] : [1];
    const runs = [], errors = [], versions = {};
    // One group per thread count: its engines are loaded on every network, then timed in turns on
    // chunks of the images (go, ort, tfjs on the first network, then on the next, …, then the
    // next chunk), so that a load on the machine that comes and goes falls on all of them alike;
    // each one's time is the sum of its chunks.
    for (const threads of counts) {
      const group = [];
      for (const model of models) {
        for (const engine of engines) {
          log("loading " + NAMES[engine] + ", " + model.label + ", " + threads + (threads > 1 ? " threads" : " thread") + "…");
          try {
            const c = engine === "go" ? await goConfig(module, weights, test, model, threads)
              : await peerConfig(engine, model, engine === "ort" ? nchw : nhwc, threads);
            if (c.version) versions[engine] = c.version;
            if (c.engineThreads !== threads) {
              log(NAMES[engine] + " says it runs " + c.engineThreads + " thread(s), not " + threads + (c.isolated === false ? " (its worker is not cross-origin isolated)" : ""));
            }
            group.push(Object.assign(c, { model, ms: 0, preds: [] }));
          } catch (err) {
            errors.push(engine + ", " + model.name + ", " + threads + " threads: " + err.message);
            log("failed: " + errors[errors.length - 1]);
          }
        }
      }
      log("timing them in turns on " + N + " images…");
      const chunk = BATCH * Math.max(4, threads);
      for (let start = 0; start < N; start += chunk) {
        for (const c of group) {
          if (c.failed) continue;
          const count = Math.min(chunk, N - start);
          try {
            const t0 = performance.now();
            const p = await c.run(start, count);
            c.ms += performance.now() - t0;
            c.preds.push(...p);
          } catch (err) {
            c.failed = true;
            errors.push(c.engine + ", " + c.model.name + ", " + threads + " threads: " + err.message);
            log("failed: " + errors[errors.length - 1]);
          }
        }
      }
      for (const c of group) {
        c.close();
        if (c.failed) continue;
        runs.push({ model: c.model.name, engine: c.engine, threads, engineThreads: c.engineThreads, msPerImage: c.ms / N, imagesPerSecond: 1000 * N / c.ms,
          accuracy: c.preds.filter((v, i) => v === labels[i]).length / N, preds: c.preds, backend: c.backend });
      }
    }
    const find = (model, engine, threads) => runs.find((r) => r.model === model && r.engine === engine && r.threads === threads);
    for (const r of runs) {
      const g = find(r.model, "go", 1);
      r.agreeGo = g ? r.preds.filter((v, i) => v === g.preds[i]).length / N : null;
    }

    // The tables: one per network.
    for (const model of models) {
      const h = document.createElement("h2");
      h.textContent = model.label + (model.params ? " — " + model.params.toLocaleString("en") + " parameters, " +
        (model.macs / 1e6).toFixed(1) + " M multiply-adds per image" : "");
      const table = document.createElement("table");
      table.className = "acc";
      row(table, ["engine", "threads", "ms / image", "images / s", "accuracy", "same prediction as Go (1 worker)"], true);
      for (const r of runs.filter((r) => r.model === model.name)) {
        const name = NAMES[r.engine] + (versions[r.engine] ? " " + versions[r.engine] : "") + (r.backend ? " (" + r.backend + ")" : "");
        row(table, [name, String(r.engineThreads), r.msPerImage.toFixed(3), r.imagesPerSecond.toFixed(0), (100 * r.accuracy).toFixed(1) + "%",
          r.agreeGo === null ? "–" : (100 * r.agreeGo).toFixed(1) + "%"]);
      }
      $("results").append(h, table);
    }

    // The summary: Go (one worker) against the faster peer at one thread, unpruned; the Go
    // engine's speed-up of each pruned network over the unpruned one.
    const summary = { speedup: {} };
    const go1 = find("unpruned", "go", 1);
    const peers = ["ort", "tfjs"].map((e) => find("unpruned", e, 1)).filter(Boolean);
    if (go1 && peers.length) {
      const p = peers.reduce((a, b) => (b.msPerImage < a.msPerImage ? b : a));
      summary.goVsPeer = { ratio: go1.msPerImage / p.msPerImage, peer: p.engine, goMs: go1.msPerImage, peerMs: p.msPerImage };
      log("Go engine, one worker: " + summary.goVsPeer.ratio.toFixed(2) + "× the time per image of " + NAMES[p.engine] + " (one thread, the faster peer), unpruned");
    }
    for (const m of models.filter((m) => m.name !== "unpruned")) {
      const g = find(m.name, "go", 1);
      if (go1 && g) {
        summary.speedup[m.name] = go1.msPerImage / g.msPerImage;
        log("Go engine, one worker: " + m.label + " runs " + summary.speedup[m.name].toFixed(2) + "× as fast as the unpruned network");
      }
    }
    for (const r of runs) {
      if (r.engine === "ort" && r.agreeGo !== null && r.agreeGo < 1) log("ONNX Runtime and the Go engine disagree on " + Math.round((1 - r.agreeGo) * N) + " images (" + r.model + ")");
    }

    const out = { images: N, threads: T, isolated, versions, missing, errors, summary,
      models: models.map((m) => ({ name: m.name, label: m.label, params: m.params, macs: m.macs, args: m.args })), runs };
    // The earlier fields: Go against TensorFlow.js, unpruned, at T threads.
    const goT = find("unpruned", "go", T), tfT = find("unpruned", "tfjs", T);
    if (goT) out.go = { msPerImage: goT.msPerImage, accuracy: (100 * goT.accuracy).toFixed(1) + "%", workers: goT.threads };
    if (tfT) {
      out.tfjs = { msPerImage: tfT.msPerImage, accuracy: (100 * tfT.accuracy).toFixed(1) + "%", threads: tfT.threads, version: versions.tfjs };
      if (goT) out.agree = (100 * goT.preds.filter((v, i) => v === tfT.preds[i]).length / N).toFixed(1) + "%";
    }
    if (errors.length) out.error = errors.join("; ");
    window.rpCompare = out;
  }

  // ---- Worker side: ONNX Runtime Web or TensorFlow.js on one model, `threads` threads ----
  function workerMain() {
    let job = null;
    self.onmessage = async (e) => {
      const d = e.data;
      try {
        if (d.op === "load") {
          job = d.engine === "ort" ? await loadORT(d) : await loadTF(d);
          await warmUp(() => job.batch(0, Math.min(BATCH, d.n)));
          postMessage({ op: "ready", threads: job.threads, version: job.version, backend: job.backend, isolated: self.crossOriginIsolated === true });
        } else if (d.op === "run") {
          postMessage({ op: "done", preds: await predict(job, d.start, d.count) });
        }
      } catch (err) {
        postMessage({ op: "error", msg: (d.engine || "worker") + ": " + (err && err.message ? err.message : String(err)) });
      }
    };
  }

  // predict runs a loaded job on images start…start+count, batch by batch, and returns the top
  // classes.
  async function predict(job, start, count) {
    if (!(start >= 0 && count >= 0 && start + count <= job.n)) throw new Error("images " + start + "+" + count + " outside 0…" + job.n);
    const preds = [];
    for (let i = start; i < start + count; i += BATCH) {
      const m = Math.min(BATCH, start + count - i);
      const v = await job.batch(i, m);
      for (let k = 0; k < m; k++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (v[k * 10 + c] > v[k * 10 + best]) best = c;
        preds.push(best);
      }
    }
    return preds;
  }

  async function loadORT(d) {
    importScripts("ort/ort.wasm.min.js");
    ort.env.wasm.wasmPaths = new URL("ort/", location.href).href;
    ort.env.wasm.numThreads = d.threads;
    ort.env.wasm.proxy = false;
    const s = await ort.InferenceSession.create(d.model, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
    const input = s.inputNames[0], output = s.outputNames[0];
    return {
      n: d.n, threads: ort.env.wasm.numThreads, version: ort.env.versions.web, backend: "wasm",
      batch: async (i, m) => {
        const r = await s.run({ [input]: new ort.Tensor("float32", d.x.subarray(i * 3072, (i + m) * 3072), [m, 3, 32, 32]) });
        return r[output].data;
      },
    };
  }

  // loadTF loads TensorFlow.js and the model. Version 4.22 reports one thread whatever
  // setThreadsCount asks, here, in a worker and in the page alike (tensorflow/tfjs#6081): the page
  // shows the count it reports.
  async function loadTF(d) {
    importScripts("tfjs/tf.min.js", "tfjs/tf-backend-wasm.min.js");
    tf.wasm.setWasmPaths(new URL("tfjs/", location.href).href);
    if (tf.wasm.setThreadsCount) tf.wasm.setThreadsCount(d.threads);
    if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not start");
    await tf.ready();
    const model = buildTF(parseSafetensors(d.model));
    return {
      n: d.n, threads: tf.wasm.getThreadsCount ? tf.wasm.getThreadsCount() : 1, version: tf.version.tfjs, backend: tf.getBackend(),
      batch: async (i, m) => {
        const xb = tf.tensor4d(d.x.subarray(i * 3072, (i + m) * 3072), [m, 32, 32, 3]);
        const y = model(xb);
        const v = await y.data();
        xb.dispose();
        y.dispose();
        return v;
      },
    };
  }

  // parseSafetensors returns {name: {shape, data: Float32Array}} (F32 tensors only).
  function parseSafetensors(buf) {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = Number(dv.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
    const base = 8 + n;
    const out = {};
    for (const [name, e] of Object.entries(header)) {
      if (name === "__metadata__") continue;
      if (e.dtype !== "F32") throw new Error(name + ": dtype " + e.dtype + " (want F32)");
      const [b, end] = e.data_offsets;
      const bytes = buf.slice(base + b, base + end);
      out[name] = { shape: e.shape, data: new Float32Array(bytes.buffer, bytes.byteOffset, (end - b) / 4) };
    }
    return out;
  }

  // buildTF makes ResNet20 in TensorFlow.js with BN folded into the convolutions; the widths are
  // the tensors' (method 2's narrower conv1/bn1/conv2 included).
  function buildTF(ts) {
    const archB = !!ts["l.weight"];
    const conv = (wName, bnName, stride) => {
      const w = ts[wName + ".weight"];
      if (!w) throw new Error("no tensor " + wName + ".weight");
      if (ts[wName + ".assign"]) throw new Error(wName + ": shared filters (method 1) are not supported here");
      const [co, ci, kh, kw] = w.shape;
      const g = ts[bnName + ".weight"].data, be = ts[bnName + ".bias"].data;
      const mu = ts[bnName + ".running_mean"].data, va = ts[bnName + ".running_var"].data;
      const cb = ts[wName + ".bias"] ? ts[wName + ".bias"].data : null;
      const f = new Float32Array(kh * kw * ci * co);
      const bias = new Float32Array(co);
      for (let o = 0; o < co; o++) {
        const s = g[o] / Math.sqrt(va[o] + 1e-5);
        bias[o] = be[o] - mu[o] * s + (cb ? s * cb[o] : 0);
        for (let i = 0; i < ci; i++)
          for (let y = 0; y < kh; y++)
            for (let x = 0; x < kw; x++)
              f[((y * kw + x) * ci + i) * co + o] = w.data[((o * ci + i) * kh + y) * kw + x] * s;
      }
      return { f: tf.tensor4d(f, [kh, kw, ci, co]), b: tf.tensor1d(bias), stride, pad: kh === 3 ? 1 : 0, co };
    };
    const blocks = [];
    let cin = 16;
    for (let stage = 0; stage < 3; stage++) {
      for (let i = 0; i < 3; i++) {
        const stride = stage > 0 && i === 0 ? 2 : 1;
        const name = archB ? "layer" + (stage * 3 + i + 1) : "layer" + (stage + 1) + "." + i;
        const b = { c1: conv(name + ".conv1", name + ".bn1", stride), c2: conv(name + ".conv2", name + ".bn2", 1), cin, stride };
        if (archB && stride !== 1) b.sc = conv(name + ".skipper.0", name + ".skipper.1", stride);
        blocks.push(b);
        cin = b.c2.co;
      }
    }
    const stem = conv("conv1", "bn1", 1);
    const fcName = archB ? "l" : "linear";
    const fw = ts[fcName + ".weight"];
    const fcW = tf.transpose(tf.tensor2d(fw.data, fw.shape)); // 64×10
    const fcB = tf.tensor1d(ts[fcName + ".bias"].data);
    const apply = (c, x) => tf.add(tf.conv2d(x, c.f, c.stride, c.pad), c.b);
    return (x) => tf.tidy(() => {
      let h = tf.relu(apply(stem, x));
      for (const b of blocks) {
        const t = tf.relu(apply(b.c1, h));
        let s;
        if (b.sc) s = apply(b.sc, h);
        else if (b.stride === 1 && b.cin === b.c2.co) s = h;
        else {
          const [n, hh, ww, c] = h.shape;
          const sub = tf.stridedSlice(h, [0, 0, 0, 0], [n, hh, ww, c], [1, b.stride, b.stride, 1]);
          const p = (b.c2.co - b.cin) / 2;
          s = tf.pad(sub, [[0, 0], [0, 0], [0, 0], [p, p]]);
        }
        h = tf.relu(tf.add(apply(b.c2, t), s));
      }
      const pooled = tf.mean(h, [1, 2]);
      return tf.add(tf.matMul(pooled, fcW), fcB);
    });
  }

  main().catch((err) => {
    log("failed: " + err.message);
    window.rpCompare = { error: String(err.message) };
  });
})();
