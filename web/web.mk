# Browser demo targets (included at the end of the top-level Makefile).
#   make site     writes the self-contained static site to dist/ (wasm, sample pack, weights);
#                 without a CIFAR-10 folder it downloads the data set into data/ first
#   make serve    builds it and serves it at http://127.0.0.1:$(PORT) (PORT defaults to 8080)
#   make vugugen  regenerates the Go code of every vugu component (*.vugu under wasm/ and web/)
# WEIGHTS=file.safetensors ships other weights than weights/resnet20.safetensors.
# BASE_URL=https://user.github.io/repo/ is the published site's address (the manifest's baseURL,
# for the page's "Copy link"). SERVE_FLAGS="-prefix /repo/ -plain" serves dist/ under a sub-path
# without the isolation and security headers, as GitHub Pages would.
.PHONY: serve site vugugen test-web tfjs

PORT ?= 8080
WEIGHTS ?=
BASE_URL ?=
SERVE_FLAGS ?=
SITE_DIR ?= dist

# sitegen finds CIFAR-10 as the Makefile's CIFAR10_DIR does, else downloads it (CIFAR10_URL and
# CIFAR10_MD5 override the archive's address and checksum); SIMD for the native baseline.
site: vugugen $(if $(shell command -v npm),tfjs)
	$(SIMD) go run ./web/sitegen -out $(SITE_DIR) $(if $(WEIGHTS),-weights "$(WEIGHTS)") -base-url "$(BASE_URL)"

serve: site
	PORT=$(PORT) go run ./cmd/serve -dir $(SITE_DIR) $(SERVE_FLAGS)

# vugugen must run inside the module (the proxy refuses vugu's version list, so no go install);
# it may leave a go.mod in the component folder, which must not stay. One run per folder holding
# .vugu files.
VUGU_DIRS = $(sort $(dir $(shell find wasm web -name '*.vugu' -not -path '*/node_modules/*')))
vugugen:
	@for d in $(VUGU_DIRS); do \
		echo "vugugen $$d"; \
		(cd $$d && go run github.com/vugu/vugu/cmd/vugugen -skip-go-mod -skip-main . && rm -f go.mod go.sum && gofmt -w *gen.go) || exit 1; \
	done

# test-web: the browser test alone (headless Chromium; skipped without it unless CI=true).
test-web:
	go test -count=1 -v ./web/e2e/

# tfjs: TensorFlow.js (wasm backend) and ONNX Runtime Web for the comparison page, installed from npm into out/npm
# (git-ignored) with the versions locked in web/compare/package-lock.json.
tfjs: out/npm/node_modules/@tensorflow/tfjs/dist/tf.min.js
out/npm/node_modules/@tensorflow/tfjs/dist/tf.min.js: web/compare/package.json web/compare/package-lock.json
	mkdir -p out/npm && cp web/compare/package.json web/compare/package-lock.json out/npm/
	cd out/npm && npm ci --no-audit --no-fund --ignore-scripts
	touch $@
