# ResNet20-Pruning. Every target uses Go 1.27.3 (the machine's default Go is older and ignores
# go.mod's toolchain line). Fast kernels need GOEXPERIMENT=simd; the portable fallback is tested too.
export GOTOOLCHAIN := go1.27.3
export GOFLAGS := -buildvcs=false
SIMD := GOEXPERIMENT=simd
GOROOT_DIR = $(shell go env GOROOT)
WASM_EXEC = $(GOROOT_DIR)/lib/wasm/go_js_wasm_exec
SHARED ?= $(abspath ../shared)
# The CIFAR-10 folder, in the order `make site` looks (core/cifar/download.Resolve): $CIFAR10_DIR,
# else ../shared's, else data/'s (make data); empty when there is none: make site / make serve then
# download it, and the tests that need it skip (make test names them at the end).
CIFAR10_DIR ?= $(patsubst %/test_batch.bin,%,$(firstword $(wildcard \
	$(SHARED)/data/cifar-10-batches-bin/test_batch.bin $(CURDIR)/data/cifar-10-batches-bin/test_batch.bin)))
export CIFAR10_DIR
export SHARED_DIR := $(SHARED)
# Tests skipped for want of data are listed here (internal/shared.Missing) for make test's last line.
export RP_SKIPPED_FILE := $(CURDIR)/out/skipped-tests.txt

.PHONY: build test vet fmt-check test-native test-portable test-race test-wasm data onnx-deps bench bench-compare train-compare bench-wasm fuzz clean

build:
	$(SIMD) go build -o bin/resnetprune ./cmd/resnetprune

## test: the README's test command: vet, gofmt, unit + data-backed tests natively (SIMD and
## portable kernels), the raw-pointer kernels under the race detector's pointer checks, and the
## core packages compiled to wasm under Node. Its last line names the tests skipped for want of
## data (none in CI, where missing data fails them).
test: $(if $(shell command -v npm),onnx-deps tfjs)
	@mkdir -p out && rm -f $(RP_SKIPPED_FILE)
	@$(MAKE) --no-print-directory vet fmt-check test-native test-portable test-race test-wasm
	@$(SKIP_SUMMARY)

# SKIP_SUMMARY prints one line: the tests that skipped for want of data (each once, with the
# packages' folders), and how to run them.
SKIP_SUMMARY = if [ -s $(RP_SKIPPED_FILE) ]; then sort -u $(RP_SKIPPED_FILE) | awk -F '\t' \
	'{ split($$1, a, " "); n++; t = t (n > 1 ? ", " : "") a[1] "." a[2]; if ($$2 ~ /checkpoint/) ck = 1; else cf = 1 } \
	END { printf "make test: %d data-backed test%s skipped without their data (%s); run %s with %s%s%s\n", \
	n, (n > 1 ? "s" : ""), t, (n > 1 ? "them" : "it"), \
	(cf ? "`make data` (CIFAR-10 into data/) or CIFAR10_DIR=DIR" : ""), (cf && ck ? ", and " : ""), \
	(ck ? "SHARED_DIR=DIR holding weights/*.pth, *.th (the public PyTorch checkpoints)" : "") }'; \
	else echo "make test: no test skipped for want of data"; fi

vet:
	$(SIMD) go vet ./...
	go vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test-native:
	$(SIMD) go test -count=1 -timeout 30m ./...

test-portable:
	go test -count=1 ./core/...

# The SIMD kernels read and write through unsafe pointers: -race turns on checkptr, which rejects
# a pointer outside its allocation.
test-race:
	$(SIMD) go test -count=1 -race ./core/kernels/ ./core/train/nn/

# The wasm build runs the pure-computation packages under Node (no file access to ../shared there).
WASM_PKGS = ./core/kernels/ ./core/kmeans/ ./core/prune/ ./core/repair/ ./core/resnet/ ./core/tensor/ ./core/train/... ./web/heal/ ./web/demo/view/
test-wasm:
	GOOS=js GOARCH=wasm go test -count=1 -timeout 30m -exec="$(WASM_EXEC)" $(WASM_PKGS)
	$(SIMD) GOOS=js GOARCH=wasm go test -count=1 -timeout 30m -exec="$(WASM_EXEC)" $(WASM_PKGS)

## onnx-deps: ONNX Runtime for Node (the export tests check the .onnx files with it), from npm with
## the versions locked in scripts/onnx/package-lock.json, into out/onnx (git-ignored). The CPU
## binaries ship inside the package, so its install scripts (GPU downloads) are not run. make test
## installs it first when npm is there.
ONNX_RUNTIME = out/onnx/node_modules/onnxruntime-node/package.json
onnx-deps: $(ONNX_RUNTIME)
$(ONNX_RUNTIME): scripts/onnx/package.json scripts/onnx/package-lock.json
	mkdir -p out/onnx && cp scripts/onnx/package.json scripts/onnx/package-lock.json out/onnx/
	cd out/onnx && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

## data: download the official CIFAR-10 binary archive (MD5-checked) into data/.
data:
	go run ./cmd/resnetprune data --dir data

bench: build
	bin/resnetprune bench --threads 2 --images 2000 --runs 5

## bench-compare: Go engine vs PyTorch CPU, same model and data, same machine, 2 threads each:
## the unpruned study network, then its method-2 r = 0.8 export (Go eval and scripts/load_pruned.py
## on the same file; target: Go ≤ 0.33× PyTorch's time). BENCH_ROUNDS alternating rounds (3).
BENCH_ROUNDS ?= 3
bench-compare: build
	scripts/bench_compare.sh $(BENCH_ROUNDS)

## train-compare: Go trainer vs PyTorch CPU training steps, same model, batch, images and threads.
train-compare:
	scripts/train_compare.sh

## fuzz: each fuzz target for FUZZTIME (default 70s).
FUZZTIME ?= 70s
FUZZ = go test -run=NONE -fuzztime=$(FUZZTIME) -fuzzminimizetime=3s
fuzz:
	$(FUZZ) -fuzz=FuzzRead ./core/safetensors/
	$(FUZZ) -fuzz=FuzzLoad ./core/torchload/
	$(FUZZ) -fuzz=FuzzZipPickle ./core/torchload/
	$(FUZZ) -fuzz=FuzzUnpickle ./core/torchload/
	$(FUZZ) -fuzz=FuzzParse ./core/cifar/

clean:
	rm -rf bin dist

## bench-wasm: the engine compiled to wasm, under Node: ms/image (wall and Node's CPU time) of one
## goroutine's forward pass, unpruned at batch 1, 16 and 64 and method 2 at r = 0.8 at batch 16, with
## the wasm SIMD kernels, then the method-2 speed-ups at r = 0.8 and 0.5 (alternating runs), then
## the portable kernels at batch 16.
bench-wasm:
	$(SIMD) GOOS=js GOARCH=wasm go test -run=NONE -bench=WasmForward -benchtime=20x -exec="$(WASM_EXEC)" ./core/resnet/
	$(SIMD) GOOS=js GOARCH=wasm go test -run=NONE -bench='WasmPrunedSpeedup/m2' -benchtime=10x -exec="$(WASM_EXEC)" ./core/resnet/
	GOOS=js GOARCH=wasm go test -run=NONE -bench=WasmForward/unpruned/batch16 -benchtime=10x -exec="$(WASM_EXEC)" ./core/resnet/

# Browser demo targets: serve, site.
include web/web.mk
