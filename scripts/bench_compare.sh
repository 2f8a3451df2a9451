#!/usr/bin/env bash
# Go engine vs PyTorch CPU inference on the same models, the same 10,000 test images and the same
# THREADS (2), the two timed alternately round by round:
#   1. the unpruned study ResNet20 (variant B): bin/resnetprune eval against
#      scripts/torch_reference.py bench;
#   2. the same network pruned by method 2 at r = 0.8 with the default (best) repair, exported once
#      with `resnetprune export --out F.safetensors`: bin/resnetprune eval and scripts/load_pruned.py
#      both load that one file (pruned shapes: conv1 keeps 3/6/12 filters).
# Each side reports the seconds of its forward passes over the 10,000 images (Go: normalisation
# included; PyTorch: batches of 500). Per model it prints every round and then the median of the
# rounds' go/pytorch ratios (the figure to quote: each round times both sides back to back, under
# the same machine speed, which drifts on a shared VM) and the ratio of the medians; for the pruned
# model also whether it meets issue 13's target, Go ≤ 0.33 × PyTorch's time.
#   usage: scripts/bench_compare.sh [ROUNDS]      (default 3; needs bin/resnetprune: make build)
# Environment: SHARED_DIR (default ../shared), CIFAR10_DIR, THREADS (2), PYTHON (/usr/bin/python3),
# PRUNED (a model exported already, to skip the export: about 25 CPU-seconds of repair).
# PyTorch runs with its default OpenMP settings; its threads spin while they wait, which makes it
# several times slower when other jobs hold the cores, so the load average is printed with the result.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
data=${CIFAR10_DIR:-$shared/data/cifar-10-batches-bin}
threads=${THREADS:-2}
py=${PYTHON:-/usr/bin/python3}
ckpt=$shared/weights/study-resnet20-model.pth
[ -x bin/resnetprune ] || { echo "bin/resnetprune missing: run make build" >&2; exit 1; }
[ -f "$data/test_batch.bin" ] || { echo "CIFAR-10 not found in $data (set CIFAR10_DIR or SHARED_DIR)" >&2; exit 1; }
"$py" -c 'import torch' 2>/dev/null || { echo "PyTorch missing for $py (Debian: apt-get install python3-torch)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq missing (Debian: apt-get install jq)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bin/resnetprune import --from "$ckpt" --out "$tmp/study.safetensors" >/dev/null
pruned=${PRUNED:-$tmp/m2-r0.8.safetensors}
if [ -z "${PRUNED:-}" ]; then
  CIFAR10_DIR="$data" bin/resnetprune export --weights "$tmp/study.safetensors" --method 2 --ratio 0.8 \
    --threads "$threads" --out "$pruned"
fi

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# compare NAME GO_CMD TORCH_CMD: ROUNDS alternating rounds of the two commands (each prints one JSON
# object with .seconds and .accuracy); sets $ratio to the median of the rounds' go/pytorch ratios.
compare() {
  local name=$1 gocmd=$2 tcmd=$3 go_s=() torch_s=() ratios=() g t i
  echo "$name (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  for i in $(seq "$rounds"); do
    g=$(eval "$gocmd"); t=$(eval "$tcmd")
    go_s+=("$(jq -r .seconds <<<"$g")"); torch_s+=("$(jq -r .seconds <<<"$t")")
    ratios+=("$(awk -v g="${go_s[-1]}" -v t="${torch_s[-1]}" 'BEGIN { print g / t }')")
    printf 'round %d: go %.3f s, %.2f%%   pytorch %.3f s, %.2f%%   go/pytorch %.3f\n' "$i" \
      "${go_s[-1]}" "$(jq -r .accuracy <<<"$g")" "${torch_s[-1]}" "$(jq -r .accuracy <<<"$t")" "${ratios[-1]}"
  done
  ratio=$(median "${ratios[@]}")
  awk -v g="$(median "${go_s[@]}")" -v t="$(median "${torch_s[@]}")" -v r="$ratio" -v th="$threads" -v n="$rounds" 'BEGIN {
    printf "median of %d rounds, %d threads, 10000 images: go/pytorch %.3f (go %.3f s, pytorch %.3f s, ratio of the medians %.3f)\n", n, th, r, g, t, g/t}'
}

go_eval() { echo "bin/resnetprune eval --weights '$1' --data '$data' --threads $threads --json"; }
compare "unpruned study ResNet20 (variant B)" "$(go_eval "$tmp/study.safetensors")" \
  "'$py' scripts/torch_reference.py bench --data '$data' --weights '$shared/weights' --threads $threads --batch 500 --limit 10000 --json | jq -c '.accuracy *= 100'"
echo
compare "method 2, r = 0.8, default repair ($pruned)" "$(go_eval "$pruned")" \
  "'$py' scripts/load_pruned.py '$pruned' --data '$data' --threads $threads --batch 500 --json"
awk -v r="$ratio" 'BEGIN { printf "pruned target go/pytorch <= 0.33: %s\n", (r <= 0.33 ? "met" : "NOT met") }'
