#!/usr/bin/env bash
# Go trainer vs PyTorch CPU training on the same work: variant B, batch 128, the same THREADS (2),
# the first IMAGES (1280) real CIFAR-10 training images, no augmentation, SGD with momentum, one
# untimed warm-up step, timed alternately in one run; prints each round's two rates (seconds per
# 50,000-image epoch at the measured rate, and process CPU seconds per step) and their ratio, then
# the median of the rounds' ratios (the figure to quote: each round times both sides back to back,
# a few seconds apart, so it pairs them under the same machine speed, which drifts on a shared VM)
# and the ratio of the two medians.
#   usage: scripts/train_compare.sh [ROUNDS]   (default 9)
# Go side: BenchmarkTrainImages (core/train), built with GOEXPERIMENT=simd. PyTorch side:
# scripts/torch_reference.py train-bench.
# Environment: SHARED_DIR (default ../shared), CIFAR10_DIR, THREADS (2), IMAGES (1280),
# PYTHON (/usr/bin/python3), OMP_WAIT_POLICY (unset: PyTorch's own default, its OpenMP threads spin
# while they wait; PASSIVE makes them sleep, which is slower on idle cores).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
data=${CIFAR10_DIR:-$shared/data/cifar-10-batches-bin}
threads=${THREADS:-2}
images=${IMAGES:-1280}
py=${PYTHON:-/usr/bin/python3}
# PyTorch runs with its default OpenMP settings unless OMP_WAIT_POLICY is set. Its spinning threads
# made its steps ~7× slower in CPU time when other jobs held the cores, so on a loaded machine
# neither side's figure means much: the load average is printed to say how quiet the run was.
[ -f "$data/data_batch_1.bin" ] || { echo "CIFAR-10 not found in $data (set CIFAR10_DIR or SHARED_DIR)" >&2; exit 1; }
"$py" -c 'import torch' 2>/dev/null || { echo "PyTorch missing for $py (Debian: apt-get install python3-torch)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
GOEXPERIMENT=simd go test -c -o "$tmp/train.test" ./core/train/
steps=$(( (images + 127) / 128 ))
echo "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset, the PyTorch default}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
go_s=(); torch_s=(); go_c=(); torch_c=(); ratios=()
for i in $(seq "$rounds"); do
  g=$(CIFAR10_DIR="$data" TRAIN_BENCH_IMAGES="$images" TRAIN_BENCH_THREADS="$threads" \
      "$tmp/train.test" -test.run NONE -test.bench 'TrainImages$' -test.benchtime 1x | grep '^BenchmarkTrainImages')
  t=$("$py" scripts/torch_reference.py train-bench --data "$data" --threads "$threads" --batch 128 --images "$images" --json)
  gs=$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "s/epoch") print $i}' <<<"$g")
  gc=$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "cpu-s/step") print $i}' <<<"$g")
  ts=$(jq -r .seconds_per_epoch <<<"$t")
  tc=$(jq -r --argjson s "$steps" '.cpu_seconds / $s' <<<"$t")
  go_s+=("$gs"); torch_s+=("$ts"); go_c+=("$gc"); torch_c+=("$tc")
  ratios+=("$(awk -v g="$gs" -v t="$ts" 'BEGIN { print g / t }')")
  printf 'round %d: go %.1f s/epoch (%.3f cpu-s/step)   pytorch %.1f s/epoch (%.3f cpu-s/step)   go/pytorch %.3f\n' "$i" "$gs" "$gc" "$ts" "$tc" "${ratios[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gm=$(median "${go_s[@]}"); tm=$(median "${torch_s[@]}")
gcm=$(median "${go_c[@]}"); tcm=$(median "${torch_c[@]}"); rm=$(median "${ratios[@]}")
# The VM's speed drifts within a run, so the median of the rounds' own ratios (each round times both
# sides back to back) is printed next to the ratio of the medians.
awk -v g="$gm" -v t="$tm" -v gc="$gcm" -v tc="$tcm" -v r="$rm" -v th="$threads" -v n="$images" 'BEGIN {
  printf "go/pytorch, %d threads, batch 128, %d images: median of the rounds'"'"' ratios %.3f; medians: go %.1f s/epoch (%.3f cpu-s/step), pytorch %.1f s/epoch (%.3f cpu-s/step), their ratio %.3f (cpu %.3f)\n", th, n, r, g, gc, t, tc, g/t, gc/tc}'
