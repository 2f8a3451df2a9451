#!/usr/bin/env python3
"""Generates the small checkpoints that the torchload tests and FuzzLoad use as seeds.

Run from this directory with PyTorch installed (python3-torch): python3 gen.py
It writes *.pt files and expected.json, which holds, for each file, the float tensors that
torchload should return (names after unwrapping, shapes and row-major float32 values) and the
names it should skip. The values are exact small numbers, so no randomness is involved.
"""
import collections
import json

import torch


def base_entries():
    """A state dict exercising dtypes, strides, storage offsets, shared storages and skips."""
    full = torch.arange(10, dtype=torch.float32) * 0.5 - 1
    sd = collections.OrderedDict()
    sd["conv.weight"] = torch.arange(18, dtype=torch.float32).reshape(2, 1, 3, 3) * 0.25 - 2
    sd["bn.running_mean"] = torch.tensor([0.5, -1.5, 3.0])
    sd["bn.num_batches_tracked"] = torch.tensor(7)  # int64: skipped.
    sd["fc.weight"] = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()  # Strides (1, 3).
    sd["full"] = full
    sd["slice"] = full[3:7]  # Storage offset 3, shares full's storage.
    sd["every_other"] = full[1::2]  # Offset 1, stride 2.
    sd["half"] = torch.tensor([1.0, -2.5, 65504.0, 2.0**-24], dtype=torch.float16)
    sd["double"] = torch.tensor([[0.1, -3.0]], dtype=torch.float64)
    sd["bf16"] = torch.tensor([1.0, -0.5, 256.0], dtype=torch.bfloat16)
    sd["scalar"] = torch.tensor(3.5)
    sd["empty"] = torch.zeros(0, 4)
    sd["expanded"] = torch.tensor([1.0, 2.0]).expand(3, 2)  # Strides (0, 1).
    sd["mask"] = torch.tensor([True, False])  # bool: skipped.
    return sd


def expected(sd, strip=""):
    tensors, skipped = {}, []
    for k, v in sd.items():
        if not isinstance(v, torch.Tensor) or not v.is_floating_point():
            skipped.append(k)
            continue
        name = k[len(strip):] if strip and k.startswith(strip) else k
        tensors[name] = {
            "shape": list(v.shape),
            "data": [float(x) for x in v.float().contiguous().reshape(-1).tolist()],
        }
    return {"tensors": tensors, "skipped": skipped}


def main():
    out = {}

    sd = base_entries()
    torch.save(sd, "zip_basic.pt")
    out["zip_basic.pt"] = expected(sd)

    torch.save(sd, "zip_proto4.pt", pickle_protocol=4)
    out["zip_proto4.pt"] = expected(sd)

    torch.save(sd, "legacy_basic.pt", _use_new_zipfile_serialization=False)
    out["legacy_basic.pt"] = expected(sd)

    # A DataParallel-style wrapped checkpoint with parameters, as the reference training scripts save.
    lin = torch.nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]]))
        lin.bias.copy_(torch.tensor([0.25, -0.25]))
    bn = torch.nn.BatchNorm1d(2)
    inner = collections.OrderedDict()
    for k, v in lin.state_dict().items():
        inner["module.linear." + k] = v
    for k, v in bn.state_dict().items():
        inner["module.bn." + k] = v
    inner["module.param"] = torch.nn.Parameter(torch.tensor([9.0, 8.0]))
    wrapped = {"best_prec1": 91.5, "state_dict": inner, "epoch": 3}
    torch.save(wrapped, "legacy_wrapped.pt", _use_new_zipfile_serialization=False)
    e = expected(inner, strip="module.")
    e["skipped"] = ["best_prec1", "epoch"] + e["skipped"]
    out["legacy_wrapped.pt"] = e
    torch.save(wrapped, "zip_wrapped.pt")
    out["zip_wrapped.pt"] = e

    with open("expected.json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
