// Runs an exported ResNet20 ONNX model with ONNX Runtime (onnxruntime-node) on raw images and
// writes the logits: the check behind cmd/resnetprune/export_test.go.
//
//   NODE_PATH=out/onnx/node_modules node scripts/onnx/run.js MODEL.onnx IMAGES.f32 OUT.f32 [BATCH]
//
// IMAGES.f32 holds N normalised images, float32 little-endian N×3×32×32; OUT.f32 receives the
// logits, float32 N×10. The images go through in batches of BATCH (default 64; the last one
// smaller), which also exercises the model's dynamic batch dimension.
// onnxruntime-node: `make onnx-deps` (npm ci --ignore-scripts of scripts/onnx/ into out/onnx/).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, images, out, batchArg] = process.argv.slice(2);
  if (!out) throw new Error('usage: run.js MODEL.onnx IMAGES.f32 OUT.f32 [BATCH]');
  const batch = Number(batchArg || 64);
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`bad batch ${batchArg}`);
  const buf = fs.readFileSync(images);
  const per = 3 * 32 * 32;
  if (buf.length % (4 * per) !== 0) throw new Error(`${images}: ${buf.length} bytes is not a whole number of 3×32×32 float32 images`);
  const x = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const n = x.length / per;
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2, interOpNumThreads: 1 });
  if (session.inputNames.length !== 1 || session.outputNames.length !== 1) {
    throw new Error(`want one input and one output, got ${session.inputNames} → ${session.outputNames}`);
  }
  const logits = new Float32Array(n * 10);
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const input = new ort.Tensor('float32', x.subarray(i * per, (i + m) * per), [m, 3, 32, 32]);
    const res = await session.run({ [session.inputNames[0]]: input });
    const y = res[session.outputNames[0]];
    if (y.dims.length !== 2 || y.dims[0] !== m || y.dims[1] !== 10) throw new Error(`output shape ${y.dims}, want [${m}, 10]`);
    logits.set(y.data, i * 10);
  }
  fs.writeFileSync(out, Buffer.from(logits.buffer));
  console.log(`${session.inputNames[0]} → ${session.outputNames[0]}: ${n} images in batches of ${batch}`);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
