#!/usr/bin/python3
"""Load a (pruned) ResNet20 written by `resnetprune export --out F.safetensors` (or `prune --out`)
into PyTorch and evaluate it on the CIFAR-10 test images.

    /usr/bin/python3 scripts/load_pruned.py pruned.safetensors [more.safetensors …] [--data DIR]
                                            [--limit N] [--logits OUT.f32 …] [--threads N] [--json]

The module is built from the file alone: the arch from the tensor names (layer9.* / l: the study's
variant B, 1x1-conv shortcuts; layer3.2.* / linear: akamaster's variant A, subsample-and-pad
shortcuts), every width from the tensors' shapes (method 2 leaves conv1 narrower:
conv1.weight [k, in, 3, 3], bn1 [k], conv2.weight [out, k, 3, 3]). Method 1 (weight sharing)
stores K centroid filters in <conv>.weight and each output channel's centroid index in
<conv>.assign; they are expanded here, weight = W[assign], into an ordinary Conv2d (as is a conv
bias, <conv>.bias, when the file has one). The metadata's "layout" entry says the same.

--logits writes each file's logits (one output per weights file, in order) as float32
little-endian, N x 10; --json prints one JSON object per file. "seconds" is the time of the
forward passes alone (--batch images at a time, --threads threads), as torch_reference.py bench
times the unpruned model. Needs PyTorch and numpy (Debian:
apt-get install python3-torch python3-numpy); the safetensors format is parsed here (8-byte
header length, JSON header, raw little-endian data), so the safetensors package is not needed.
Data: --data, else $CIFAR10_DIR (scripts/torch_reference.py's reader and normalisation).
"""

import argparse
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import torch_reference as ref

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def read_safetensors(path):
    """Returns ({name: torch.Tensor}, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", {}) or {}
    data = memoryview(raw)[8 + n :]
    tensors = {}
    for name, e in header.items():
        if e["dtype"] not in DTYPES:
            sys.exit("%s: tensor %s has dtype %s (want one of %s)" % (path, name, e["dtype"], ", ".join(DTYPES)))
        begin, end = e["data_offsets"]
        a = np.frombuffer(data[begin:end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        tensors[name] = torch.from_numpy(a.copy())
    return tensors, meta


def expand_shared(sd):
    """Method 1: <conv>.weight [K,...] + <conv>.assign [out] -> <conv>.weight [out,...] (and bias)."""
    for key in [k for k in sd if k.endswith(".assign")]:
        conv = key[: -len(".assign")]
        a = sd.pop(key)
        idx = a.long()
        if not torch.equal(idx.to(a.dtype), a) or idx.min() < 0 or idx.max() >= sd[conv + ".weight"].shape[0]:
            sys.exit("%s: not centroid indices" % key)
        sd[conv + ".weight"] = sd[conv + ".weight"][idx]
        if conv + ".bias" in sd:
            sd[conv + ".bias"] = sd[conv + ".bias"][idx]
    return sd


def conv(sd, name, stride):
    out, inp, k, _ = sd[name + ".weight"].shape
    return nn.Conv2d(inp, out, k, stride=stride, padding=k // 2, bias=name + ".bias" in sd)


def bn(sd, name):
    return nn.BatchNorm2d(sd[name + ".weight"].shape[0])  # eps 1e-5, as the engine


class Block(nn.Module):
    """relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)), widths from sd."""

    def __init__(self, sd, name, stride):
        super().__init__()
        self.conv1, self.bn1 = conv(sd, name + ".conv1", stride), bn(sd, name + ".bn1")
        self.conv2, self.bn2 = conv(sd, name + ".conv2", 1), bn(sd, name + ".bn2")
        self.stride, self.cin, self.cout = stride, self.conv1.in_channels, self.conv2.out_channels
        if name + ".skipper.0.weight" in sd:  # variant B projection
            self.skipper = nn.Sequential(conv(sd, name + ".skipper.0", stride), bn(sd, name + ".skipper.1"))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if hasattr(self, "skipper"):
            s = self.skipper(x)
        elif self.stride == 1 and self.cin == self.cout:
            s = x
        else:  # variant A: subsample, zero-pad the channels evenly
            p = (self.cout - self.cin) // 2
            s = F.pad(x[:, :, :: self.stride, :: self.stride], (0, 0, 0, 0, p, self.cout - self.cin - p))
        return F.relu(y + s)


class ResNet20(nn.Module):
    def __init__(self, sd):
        super().__init__()
        self.arch = "B" if "l.weight" in sd else "A"
        self.conv1, self.bn1 = conv(sd, "conv1", 1), bn(sd, "bn1")
        strides = [1, 1, 1, 2, 1, 1, 2, 1, 1]
        if self.arch == "B":
            self.blocks = ["layer%d" % (i + 1) for i in range(9)]
            for name, s in zip(self.blocks, strides):
                setattr(self, name, Block(sd, name, s))
            self.l = nn.Linear(sd["l.weight"].shape[1], 10)
        else:
            for st in range(3):
                names = ["layer%d.%d" % (st + 1, i) for i in range(3)]
                setattr(self, "layer%d" % (st + 1), nn.Sequential(*(Block(sd, n, strides[3 * st + i]) for i, n in enumerate(names))))
            self.linear = nn.Linear(sd["linear.weight"].shape[1], 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        if self.arch == "B":
            for name in self.blocks:
                x = getattr(self, name)(x)
            fc = self.l
        else:
            x = self.layer3(self.layer2(self.layer1(x)))
            fc = self.linear
        return fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def load(path):
    """Returns (model in eval mode, metadata)."""
    sd, meta = read_safetensors(path)
    sd = {k: v.float() for k, v in expand_shared(sd).items()}
    if "l.weight" not in sd and "linear.weight" not in sd:
        sys.exit("%s: no l.weight (variant B) nor linear.weight (variant A): not a ResNet20 of this project" % path)
    model = ResNet20(sd)
    if meta.get("arch", model.arch) != model.arch:
        sys.exit("%s: metadata says arch %s but the tensors are variant %s" % (path, meta["arch"], model.arch))
    model.load_state_dict(sd, strict=True)  # every tensor used, every shape as built
    return model.eval(), meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("weights", nargs="+", help=".safetensors files written by resnetprune export or prune --out")
    ap.add_argument("--data", help="cifar-10-batches-bin folder (default $CIFAR10_DIR)")
    ap.add_argument("--limit", type=int, default=10000, help="first N test images (default all 10,000)")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--logits", nargs="+", metavar="OUT", help="write each file's logits, float32 little-endian N x 10")
    ap.add_argument("--json", action="store_true", help="print one JSON object per file")
    args = ap.parse_args()
    if args.limit < 1 or args.batch < 1 or args.threads < 1:
        sys.exit("--limit, --batch and --threads must be >= 1")
    if args.logits and len(args.logits) != len(args.weights):
        sys.exit("--logits names %d files for %d weights files" % (len(args.logits), len(args.weights)))
    torch.set_num_threads(args.threads)
    pixels, labels = ref.read_split(ref.data_dir(args.data), "test", args.limit)
    x = ref.normalize(pixels)
    for i, path in enumerate(args.weights):
        model, meta = load(path)
        start = time.perf_counter()
        with torch.no_grad():
            logits = torch.cat([model(x[j : j + args.batch]) for j in range(0, len(x), args.batch)])
        seconds = time.perf_counter() - start
        correct = int((logits.argmax(1).numpy() == labels).sum())
        if args.logits:
            logits.numpy().astype("<f4").tofile(args.logits[i])
        rep = {"weights": path, "accuracy": 100.0 * correct / len(labels), "correct": correct, "images": len(labels),
               "arch": model.arch, "method": meta.get("method", ""), "variant": meta.get("variant", ""),
               "seconds": seconds, "threads": args.threads, "batch": args.batch}
        if args.json:
            print(json.dumps(rep))
        else:
            print("%s: ResNet20 %s, method %s: accuracy %.2f%% (%d/%d test images), %.3f s (%d threads, batch %d)"
                  % (path, rep["arch"], rep["method"] or "?", rep["accuracy"], correct, len(labels), seconds, args.threads, args.batch))


if __name__ == "__main__":
    main()
