#!/usr/bin/env bash
# Go engine vs PyTorch CPU on the same model (the study's ResNet20, variant B), the same 10,000 test
# images and the same 2 threads, measured alternately in one run; prints both medians and the ratio.
#   usage: scripts/bench_compare.sh [ROUNDS]      (needs bin/resnetprune: make build)
# Environment: SHARED_DIR (default ../shared), CIFAR10_DIR, THREADS (2), PYTHON (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
data=${CIFAR10_DIR:-$shared/data/cifar-10-batches-bin}
threads=${THREADS:-2}
py=${PYTHON:-/usr/bin/python3}
ckpt=$shared/weights/study-resnet20-model.pth
[ -x bin/resnetprune ] || { echo "bin/resnetprune missing: run make build" >&2; exit 1; }
"$py" -c 'import torch' 2>/dev/null || { echo "PyTorch missing for $py (Debian: apt-get install python3-torch)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bin/resnetprune import --from "$ckpt" --out "$tmp/study.safetensors" >/dev/null
go_s=(); torch_s=()
for i in $(seq "$rounds"); do
  g=$(bin/resnetprune eval --weights "$tmp/study.safetensors" --data "$data" --threads "$threads" --json)
  t=$("$py" scripts/torch_reference.py bench --data "$data" --weights "$shared/weights" --threads "$threads" --batch 500 --limit 10000 --json)
  go_s+=("$(jq -r .seconds <<<"$g")"); torch_s+=("$(jq -r .seconds <<<"$t")")
  echo "round $i: go $(jq -r '"\(.seconds|.*1000|round/1000) s, \(.accuracy)%"' <<<"$g")   pytorch $(jq -r '"\(.seconds|.*1000|round/1000) s, \(.accuracy*10000|round/100)%"' <<<"$t")"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gm=$(median "${go_s[@]}"); tm=$(median "${torch_s[@]}")
awk -v g="$gm" -v t="$tm" -v th="$threads" 'BEGIN {printf "median over rounds, %d threads, 10000 images: go %.3f s, pytorch %.3f s, ratio go/pytorch = %.3f\n", th, g, t, g/t}'
