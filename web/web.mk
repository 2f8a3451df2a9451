# Browser demo targets (included at the end of the top-level Makefile).
#   make site     writes the self-contained static site to dist/ (wasm, sample pack, weights)
#   make serve    builds it and serves it at http://127.0.0.1:$(PORT) (PORT defaults to 8080)
#   make vugugen  regenerates wasm/app/root_gen.go from root.vugu
# WEIGHTS=file.safetensors ships other weights than weights/resnet20.safetensors.
.PHONY: serve site vugugen test-web tfjs

PORT ?= 8080
WEIGHTS ?=
SITE_DIR ?= dist

site: vugugen $(if $(shell command -v npm),tfjs)
	go run ./web/sitegen -out $(SITE_DIR) -data "$(CIFAR10_DIR)" $(if $(WEIGHTS),-weights "$(WEIGHTS)")

serve: site
	PORT=$(PORT) go run ./cmd/serve -dir $(SITE_DIR)

# vugugen must run inside the module (the proxy refuses vugu's version list, so no go install);
# it may leave a go.mod in the component folder, which must not stay.
vugugen:
	cd wasm/app && go run github.com/vugu/vugu/cmd/vugugen -skip-go-mod -skip-main . && rm -f go.mod go.sum && gofmt -w root_gen.go

# test-web: the browser test alone (headless Chromium; skipped without it unless CI=true).
test-web:
	go test -count=1 -v ./web/e2e/

# tfjs: TensorFlow.js (wasm backend) for the comparison page, installed from npm into out/npm
# (git-ignored) with the versions locked in web/compare/package-lock.json.
tfjs: out/npm/node_modules/@tensorflow/tfjs/dist/tf.min.js
out/npm/node_modules/@tensorflow/tfjs/dist/tf.min.js: web/compare/package.json web/compare/package-lock.json
	mkdir -p out/npm && cp web/compare/package.json web/compare/package-lock.json out/npm/
	cd out/npm && npm ci --no-audit --no-fund --ignore-scripts
	touch $@
