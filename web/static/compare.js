// Speed comparison: the demo's Go engine (worker.wasm, in Web Workers) against TensorFlow.js with
// its WebAssembly backend, both running the same weights on the same test images in this browser.
// ?images=N (default 200), ?threads=T (default: all cores). TensorFlow.js's threads need
// cross-origin isolation (cmd/serve's COOP/COEP headers); on a host without them (GitHub Pages)
// both engines run one thread, so that they stay comparable. Results also go to window.rpCompare.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const q = new URLSearchParams(location.search);
  const N = Math.max(16, Math.min(1000, +(q.get("images") || 200)));
  const isolated = self.crossOriginIsolated === true;
  const asked = Math.max(1, Math.min(16, +(q.get("threads") || navigator.hardwareConcurrency || 2)));
  const T = isolated ? asked : 1;
  const BATCH = 16; // the Go engine's batch (resnet.Batch)
  const MEAN = [0.485, 0.456, 0.406], STD = [0.229, 0.224, 0.225];

  function log(msg) {
    const li = document.createElement("li");
    li.textContent = msg;
    $("log").appendChild(li);
  }

  function row(cells, head) {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = document.createElement(head ? "th" : "td");
      td.textContent = c;
      tr.appendChild(td);
    }
    $("results").appendChild(tr);
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

  // Inputs: NHWC float32, normalised as the checkpoints expect.
  function inputs(test, n) {
    const x = new Float32Array(n * 32 * 32 * 3);
    const labels = [];
    for (let i = 0; i < n; i++) {
      const r = i * 3073;
      labels.push(test[r]);
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 1024; p++) {
          x[(i * 1024 + p) * 3 + c] = (Math.fround(test[r + 1 + c * 1024 + p] / 255) - MEAN[c]) / STD[c];
        }
      }
    }
    return { x, labels };
  }

  // ---- TensorFlow.js: ResNet20 with BN folded into the convolutions ----
  function buildTF(ts) {
    const archB = !!ts["l.weight"];
    const conv = (wName, bnName, stride) => {
      const w = ts[wName + ".weight"];
      const [co, ci, kh, kw] = w.shape;
      const g = ts[bnName + ".weight"].data, be = ts[bnName + ".bias"].data;
      const mu = ts[bnName + ".running_mean"].data, va = ts[bnName + ".running_var"].data;
      const f = new Float32Array(kh * kw * ci * co);
      const bias = new Float32Array(co);
      for (let o = 0; o < co; o++) {
        const s = g[o] / Math.sqrt(va[o] + 1e-5);
        bias[o] = be[o] - mu[o] * s;
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

  async function runTF(ts, x, n) {
    tf.wasm.setWasmPaths("tfjs/");
    if (tf.wasm.setThreadsCount) tf.wasm.setThreadsCount(T);
    await tf.setBackend("wasm");
    await tf.ready();
    const threads = tf.wasm.getThreadsCount ? tf.wasm.getThreadsCount() : 1;
    const model = buildTF(ts);
    const batch = (i, m) => tf.tensor4d(x.subarray(i * 3072, (i + m) * 3072), [m, 32, 32, 3]);
    { // warm-up
      const xb = batch(0, BATCH);
      await model(xb).data();
      xb.dispose();
    }
    const preds = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i += BATCH) {
      const m = Math.min(BATCH, n - i);
      const xb = batch(i, m);
      const y = model(xb);
      const v = await y.data();
      for (let k = 0; k < m; k++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (v[k * 10 + c] > v[k * 10 + best]) best = c;
        preds.push(best);
      }
      xb.dispose();
      y.dispose();
    }
    const ms = performance.now() - t0;
    return { ms, msPerImage: ms / n, preds, threads, backend: tf.getBackend() };
  }

  // ---- The Go engine: worker.wasm in T Web Workers, as in the demo ----
  function startWorker(module, weights, test) {
    return new Promise((resolve, reject) => {
      const w = new Worker("worker.js");
      w.onmessage = (e) => {
        if (e.data.op === "ready") resolve(w);
        if (e.data.op === "error") reject(new Error(JSON.parse(e.data.json).msg));
      };
      w.postMessage({ op: "module", module });
      w.postMessage({ op: "init", json: "{}", bin: [weights, test] });
    });
  }

  function evalRange(w, gen, start, count, preds) {
    return new Promise((resolve, reject) => {
      w.onmessage = (e) => {
        const d = e.data;
        if (d.op === "error") reject(new Error(JSON.parse(d.json).msg));
        if (d.op !== "progress" && d.op !== "evaldone") return;
        const p = JSON.parse(d.json);
        if (p.gen !== gen) return;
        p.preds.forEach((v, k) => { preds[p.first + k] = v; });
        if (d.op === "evaldone") resolve();
      };
      w.postMessage({ op: "eval", json: JSON.stringify({ gen, net: "orig", start, count }) });
    });
  }

  async function runGo(weights, test, n) {
    const module = await WebAssembly.compileStreaming(fetch("worker.wasm"));
    const ws = await Promise.all(Array.from({ length: T }, () => startWorker(module, weights, test)));
    const preds = new Array(n);
    await Promise.all(ws.map((w) => evalRange(w, 1, 0, BATCH, []))); // warm-up
    const per = Math.ceil(n / T / BATCH) * BATCH;
    const t0 = performance.now();
    await Promise.all(ws.map((w, k) => {
      const a = k * per, b = Math.min(n, a + per);
      return a < b ? evalRange(w, 2, a, b - a, preds) : null;
    }));
    const ms = performance.now() - t0;
    ws.forEach((w) => w.terminate());
    return { ms, msPerImage: ms / n, preds, threads: T };
  }

  // testImages returns the first n raw test records, from as many of the pack's parts as needed.
  async function testImages(manifest, n) {
    const parts = manifest.testParts || [manifest.test];
    const out = new Uint8Array(n * 3073);
    let have = 0;
    for (const p of parts) {
      if (have >= n) break;
      const b = new Uint8Array(await (await fetch(p.file)).arrayBuffer());
      const take = Math.min(b.length, (n - have) * 3073);
      out.set(b.subarray(0, take), have * 3073);
      have += take / 3073;
    }
    if (have < n) throw new Error("the site's test pack has " + have + " images, fewer than " + n);
    return out;
  }

  async function main() {
    const manifest = await (await fetch("manifest.json")).json();
    const wurl = q.get("weights") || manifest.weights;
    if (!wurl) throw new Error("this site ships no weights (weights/resnet20.safetensors); pass ?weights=PATH");
    if (typeof tf === "undefined" || !tf.wasm) throw new Error("TensorFlow.js is not part of this build (make site needs npm for it)");
    log("images: " + N + ", threads / workers: " + T + ", cross-origin isolated: " + isolated);
    if (!isolated && asked > 1) log("this host sends no COOP/COEP headers, so TensorFlow.js cannot use threads: both engines run one thread");
    const weights = new Uint8Array(await (await fetch(wurl)).arrayBuffer());
    const test = await testImages(manifest, N);
    const { x, labels } = inputs(test, N);
    log("running the Go engine…");
    const go = await runGo(weights, test, N);
    log("running TensorFlow.js…");
    const tfr = await runTF(parseSafetensors(weights), x, N);
    const acc = (p) => (100 * p.filter((v, i) => v === labels[i]).length / N).toFixed(1) + "%";
    const agree = (100 * go.preds.filter((v, i) => v === tfr.preds[i]).length / N).toFixed(1) + "%";
    row(["engine", "threads", "ms / image", "images / s", "accuracy"], true);
    row(["Go (wasm, Web Workers)", String(go.threads), go.msPerImage.toFixed(3), (1000 / go.msPerImage).toFixed(0), acc(go.preds)]);
    row(["TensorFlow.js " + tf.version.tfjs + " (" + tfr.backend + ")", String(tfr.threads), tfr.msPerImage.toFixed(3), (1000 / tfr.msPerImage).toFixed(0), acc(tfr.preds)]);
    log("the two engines agree on " + agree + " of the predictions");
    window.rpCompare = { images: N, threads: T, isolated, go: { msPerImage: go.msPerImage, accuracy: acc(go.preds), workers: go.threads },
      tfjs: { msPerImage: tfr.msPerImage, accuracy: acc(tfr.preds), threads: tfr.threads, version: tf.version.tfjs }, agree };
  }

  main().catch((err) => {
    log("failed: " + err.message);
    window.rpCompare = { error: String(err.message) };
  });
})();
