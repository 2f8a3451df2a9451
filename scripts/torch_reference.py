#!/usr/bin/python3
"""PyTorch reference for the two ResNet20 variants the Go engine runs.

Run with the system interpreter that has PyTorch (Debian's python3-torch):

    /usr/bin/python3 scripts/torch_reference.py fixture --out core/resnet/testdata/torch_logits.json
    /usr/bin/python3 scripts/torch_reference.py bench --threads 2 --batch 500 --limit 10000 --json
    /usr/bin/python3 scripts/torch_reference.py train-bench --threads 2 --batch 128 --images 2560

Architectures (both: CIFAR-10 inputs scaled to [0, 1] then normalized with
mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225); eval mode; BatchNorm eps 1e-5):

  "B"  the study's ResNet20 with 1x1-conv projection shortcuts ("option B"), state_dict keys
       conv1, bn1, layer1..layer9.{conv1,bn1,conv2,bn2}, layer4/layer7.skipper.{0,1}, l;
       weights: study-resnet20-model.pth (plain state_dict, zip format).
  "A"  akamaster's ResNet20 with identity shortcuts, stride-2 subsampling and zero channel
       padding ("option A"), keys module.layer{1,2,3}.{0,1,2}.*, module.linear;
       weights: akamaster-resnet20-12fca82f.th ({'state_dict', 'best_prec1'}).

Data: --data, else $CIFAR10_DIR, else /work/shared/data/cifar-10-batches-bin (binary layout).
Weights: --weights, else $RESNET20_WEIGHTS_DIR, else /work/shared/weights.

Nothing this script writes is derived pixel-for-pixel from the data set: the fixture holds
network outputs (logits) and accuracies only.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
RECORD = 3073
DEFAULT_DATA = "/work/shared/data/cifar-10-batches-bin"
DEFAULT_WEIGHTS = "/work/shared/weights"
WEIGHT_FILES = {"B": "study-resnet20-model.pth", "A": "akamaster-resnet20-12fca82f.th"}
SYNTHETIC_FORMULA = "x[c,y,x] = float32(sin(0.1*(c*1024 + y*32 + x) + k)), k = 0..3, already normalized"


# ---------------------------------------------------------------------------------------------
# Architecture B: projection shortcuts (the study's model)


class BlockB(nn.Module):
    def __init__(self, inp, out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out)
        self.conv2 = nn.Conv2d(out, out, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out)
        self.skipper = None
        if stride != 1 or inp != out:
            self.skipper = nn.Sequential(
                nn.Conv2d(inp, out, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + (x if self.skipper is None else self.skipper(x))
        return F.relu(out)


class ResNet20B(nn.Module):
    # (in, out, stride) of layer1..layer9
    PLAN = [(16, 16, 1)] * 3 + [(16, 32, 2)] + [(32, 32, 1)] * 2 + [(32, 64, 2)] + [(64, 64, 1)] * 2

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        for i, (inp, out, stride) in enumerate(self.PLAN, 1):
            setattr(self, "layer%d" % i, BlockB(inp, out, stride))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.l = nn.Linear(64, num_classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        for i in range(1, len(self.PLAN) + 1):
            out = getattr(self, "layer%d" % i)(out)
        out = torch.flatten(self.pool(out), 1)
        return self.l(out)


# ---------------------------------------------------------------------------------------------
# Architecture A: akamaster's option-A shortcuts


class LambdaLayer(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class BlockA(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            pad = planes // 4
            self.shortcut = LambdaLayer(
                lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad), "constant", 0.0)
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + self.shortcut(x)
        return F.relu(out)


class ResNet20A(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = self._stage(16, 16, 1)
        self.layer2 = self._stage(16, 32, 2)
        self.layer3 = self._stage(32, 64, 2)
        self.linear = nn.Linear(64, num_classes)

    @staticmethod
    def _stage(inp, out, stride):
        return nn.Sequential(BlockA(inp, out, stride), BlockA(out, out, 1), BlockA(out, out, 1))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size()[3])
        out = out.view(out.size(0), -1)
        return self.linear(out)


def build(arch):
    return {"A": ResNet20A, "B": ResNet20B}[arch]()


def load_model(arch, weights_dir):
    path = os.path.join(weights_dir, WEIGHT_FILES[arch])
    obj = torch.load(path, map_location="cpu")
    sd = obj["state_dict"] if isinstance(obj, dict) and "state_dict" in obj else obj
    sd = {(k[len("module."):] if k.startswith("module.") else k): v for k, v in sd.items()}
    model = build(arch)
    model.load_state_dict(sd, strict=True)  # every key and shape must match
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            assert m.eps == 1e-5, m.eps
    return model


# ---------------------------------------------------------------------------------------------
# Data


def data_dir(arg):
    return arg or os.environ.get("CIFAR10_DIR") or DEFAULT_DATA


def read_split(dirname, split, limit=None):
    """Returns (pixels uint8 (N,3,32,32), labels int64 (N,))."""
    names = ["test_batch.bin"] if split == "test" else ["data_batch_%d.bin" % i for i in range(1, 6)]
    parts = []
    for name in names:
        path = os.path.join(dirname, name)
        if not os.path.isfile(path):
            sys.exit("missing %s: pass --data or set CIFAR10_DIR to a cifar-10-batches-bin folder" % path)
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size % RECORD:
            sys.exit("%s: size %d is not a multiple of %d" % (name, raw.size, RECORD))
        parts.append(raw.reshape(-1, RECORD))
        if limit is not None and sum(p.shape[0] for p in parts) >= limit:
            break
    recs = np.concatenate(parts)
    if limit is not None:
        recs = recs[:limit]
    labels = recs[:, 0].astype(np.int64)
    if labels.max() > 9:
        sys.exit("label out of range in %s" % dirname)
    pixels = recs[:, 1:].reshape(-1, 3, 32, 32)
    return pixels, labels


def normalize(pixels):
    """uint8 (N,3,32,32) -> float32, exactly torchvision's ToTensor + Normalize in float32."""
    x = torch.from_numpy(np.ascontiguousarray(pixels)).float().div(255)
    mean = torch.tensor(MEAN, dtype=torch.float32).view(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(1, 3, 1, 1)
    return x.sub(mean).div(std)


def synthetic(k):
    i = np.arange(3 * 32 * 32, dtype=np.float64)
    return np.sin(0.1 * i + k).astype(np.float32).reshape(3, 32, 32)


@torch.no_grad()
def logits(model, x, batch=500):
    return torch.cat([model(x[i:i + batch]) for i in range(0, x.shape[0], batch)])


# ---------------------------------------------------------------------------------------------
# Subcommands


def f32(v):
    """Shortest decimal that reads back as the same float32."""
    return str(np.float32(v))


def rows(m):
    return "[\n" + ",\n".join("      [" + ", ".join(f32(v) for v in r) + "]" for r in m) + "\n    ]"


def cmd_fixture(args):
    ddir = data_dir(args.data)
    pixels, labels = read_split(ddir, "test")
    x = normalize(pixels)
    syn = torch.from_numpy(np.stack([synthetic(k) for k in range(4)]))
    out = {}
    for arch in ("A", "B"):
        model = load_model(arch, args.weights)
        lg = logits(model, x)
        pred = lg.argmax(1).numpy()
        correct1k = int((pred[:1000] == labels[:1000]).sum())
        correct10k = int((pred == labels).sum())
        out[arch] = {
            "weights": WEIGHT_FILES[arch],
            "test_first16": lg[:16].numpy(),
            "synthetic": logits(model, syn).numpy(),
            "synthetic_formula": SYNTHETIC_FORMULA,
            "test1k_correct": correct1k,
            "test1k_accuracy": correct1k / 1000,
            "test10k_accuracy": correct10k / len(labels),
        }
        print("%s (%s): test-1k accuracy %.1f%% (%d/1000), full test %.2f%% (relative only)"
              % (arch, WEIGHT_FILES[arch], correct1k / 10, correct1k, 100 * correct10k / len(labels)),
              file=sys.stderr)

    # Hand-written JSON: one logit row per line, float32 values in their shortest form.
    parts = []
    for arch, d in out.items():
        fields = []
        for k, v in d.items():
            fields.append('    %s: %s' % (json.dumps(k), rows(v) if isinstance(v, np.ndarray) else json.dumps(v)))
        parts.append('  %s: {\n%s\n  }' % (json.dumps(arch), ",\n".join(fields)))
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    json.loads(text)  # must be valid JSON
    with open(args.out, "w") as f:
        f.write(text)
    print("wrote %s (%d bytes), torch %s" % (args.out, len(text), torch.__version__), file=sys.stderr)


# Timings are wall-clock seconds of the timed loop (after one untimed warm-up batch);
# cpu_seconds is the process CPU time of that loop, all threads together. On an otherwise idle
# machine seconds ~ cpu_seconds / threads; a larger ratio means other work shared the cores.


def cmd_bench(args):
    torch.set_num_threads(args.threads)
    pixels, labels = read_split(data_dir(args.data), "test", args.limit)
    t0 = time.perf_counter()
    x = normalize(pixels)
    prep = time.perf_counter() - t0
    model = load_model(args.arch, args.weights)
    with torch.no_grad():
        model(x[:args.batch])  # warm-up
        preds = []
        c0, t0 = time.process_time(), time.perf_counter()
        for i in range(0, x.shape[0], args.batch):
            preds.append(model(x[i:i + args.batch]).argmax(1))
        secs = time.perf_counter() - t0
        cpu = time.process_time() - c0
    pred = torch.cat(preds).numpy()
    correct = int((pred == labels).sum())
    res = {
        "arch": args.arch,
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "images": int(x.shape[0]),
        "seconds": round(secs, 3),
        "cpu_seconds": round(cpu, 3),
        "images_per_s": round(x.shape[0] / secs, 1),
        "accuracy": correct / x.shape[0],
        "correct": correct,
        "preprocess_seconds": round(prep, 3),
        "torch": torch.__version__,
    }
    if args.json:
        print(json.dumps(res))
    else:
        print("PyTorch %s, arch %s, %d threads, batch %d: %d images in %.2f s (%.0f images/s), accuracy %.2f%%"
              % (res["torch"], args.arch, res["threads"], args.batch, res["images"], secs, res["images_per_s"],
                 100 * res["accuracy"]))


def cmd_train_bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    pixels, labels = read_split(data_dir(args.data), "train", args.images)
    x = normalize(pixels)
    y = torch.from_numpy(labels)
    model = build("B")
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=args.wd)
    loss_fn = nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return float(loss)

    step(x[:args.batch], y[:args.batch])  # warm-up, not timed
    losses = []
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(0, x.shape[0], args.batch):
        losses.append(step(x[i:i + args.batch], y[i:i + args.batch]))
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    n = int(x.shape[0])
    res = {
        "arch": "B",
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "images": n,
        "seconds": round(secs, 3),
        "cpu_seconds": round(cpu, 3),
        "images_per_s": round(n / secs, 1),
        "seconds_per_epoch": round(secs * 50000 / n, 1),
        "first_loss": round(losses[0], 4),
        "last_loss": round(losses[-1], 4),
        "optimizer": "SGD lr=%g momentum=0.9 weight_decay=%g, no augmentation" % (args.lr, args.wd),
        "torch": torch.__version__,
    }
    if args.json:
        print(json.dumps(res))
    else:
        print("PyTorch %s, arch B training, %d threads, batch %d: %d images in %.2f s (%.0f images/s) "
              "-> %.0f s per 50,000-image epoch; loss %.3f -> %.3f"
              % (res["torch"], res["threads"], args.batch, n, secs, res["images_per_s"],
                 res["seconds_per_epoch"], losses[0], losses[-1]))


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default="", help="CIFAR-10 binary folder (default $CIFAR10_DIR or %s)" % DEFAULT_DATA)
    common.add_argument("--weights", default=os.environ.get("RESNET20_WEIGHTS_DIR", DEFAULT_WEIGHTS),
                   help="folder holding the two checkpoints (default $RESNET20_WEIGHTS_DIR or %s)" % DEFAULT_WEIGHTS)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    f = sub.add_parser("fixture", parents=[common], help="write the logits/accuracy fixture for the Go parity tests")
    f.add_argument("--out", default="core/resnet/testdata/torch_logits.json")
    f.set_defaults(fn=cmd_fixture)

    b = sub.add_parser("bench", parents=[common], help="time PyTorch CPU inference over the test split")
    b.add_argument("--arch", default="B", choices=["A", "B"])
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--batch", type=int, default=500)
    b.add_argument("--limit", type=int, default=10000)
    b.add_argument("--json", action="store_true")
    b.set_defaults(fn=cmd_bench)

    t = sub.add_parser("train-bench", parents=[common], help="time PyTorch CPU training steps of arch B, extrapolated per epoch")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--batch", type=int, default=128)
    t.add_argument("--images", type=int, default=2560)
    t.add_argument("--lr", type=float, default=0.1)
    t.add_argument("--wd", type=float, default=1e-4)
    t.add_argument("--json", action="store_true")
    t.set_defaults(fn=cmd_train_bench)

    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
