# vips-edge — every artefact has one target. On a fresh Debian 12 machine
# `make test` and `make serve` install what they need first (via `make deps`).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

JOBS ?= $(shell nproc)
NATIVE_BUILD := build/native
WASM_BUILD := build/wasm
PREFIX_FILE := build/wasm-prefix.path
CODEC_PREFIX_FILE := build/codec-prefix.path
NATIVE_PREFIX_FILE := build/native-prefix.path
# Everything Wasm is built inside a Debian 13 build root with its Emscripten
# (third_party/buildroot.sh: made once by debootstrap, cached beside the
# prefixes); the native twin builds on this machine.
IN_ROOT := bash third_party/buildroot.sh run
# The packaged handler requires @aws-sdk/* from NODE_PATH, as on Lambda
# (/var/runtime/node_modules); locally node/node_modules stands in for it.
RUNTIME_ENV := NODE_PATH=$(CURDIR)/node/node_modules
# The Node.js runtimes Lambda@Edge runs (node/runtimes/runtimes.json, fetched
# from the npm registry by exact version into the cache): every suite that
# exercises the trigger runs on each; serve, call and bench on the template's
# default. The machine's own node only runs build tools (tsc, generators).
RUNTIME_SH := $(CURDIR)/node/runtimes/node.sh
LAMBDA_RUNTIMES = $(shell bash $(RUNTIME_SH) list)
LAMBDA_NODE = "$$(bash $(RUNTIME_SH) default)"
# $(call on_each_runtime,COMMAND): COMMAND with $$NODE set to each runtime's
# node, every runtime at once (a suite keeps about one core busy), each into
# its own log, printed whole in runtime order; $$RUNTIME_INDEX (1, 2, ...)
# keeps fixed ports apart. Fails if any fails.
on_each_runtime = logs=$$(mktemp -d); pids=; RUNTIME_INDEX=0; for rt in $(LAMBDA_RUNTIMES); do \
	  RUNTIME_INDEX=$$((RUNTIME_INDEX + 1)); NODE=$$(bash $(RUNTIME_SH) $$rt); \
	  { echo "== $$rt ($$($$NODE --version))"; $(1); } >$$logs/$$rt 2>&1 & pids="$$pids $$!"; done; \
	  status=0; for pid in $$pids; do wait $$pid || status=1; done; \
	  for rt in $(LAMBDA_RUNTIMES); do cat $$logs/$$rt; done; rm -rf $$logs; exit $$status
# $(call side_by_side,TARGET...,LOW...): a sub-make per TARGET and per LOW, all
# at once, the LOW ones at lower priority (they take the cores the others
# leave idle); fails if any fails.
side_by_side = jobs=; for target in $(1); do $(MAKE) --no-print-directory $$target & jobs="$$jobs $$!"; done; \
	  for target in $(2); do nice -n 10 $(MAKE) --no-print-directory $$target & jobs="$$jobs $$!"; done; \
	  status=0; for job in $$jobs; do wait $$job || status=1; done; exit $$status

# The pinned Lambda runtimes, into the cache (node/runtimes/node.sh).
runtimes:
	@for rt in $(LAMBDA_RUNTIMES); do bash $(RUNTIME_SH) $$rt >/dev/null; done

.PHONY: runtimes deps builds test-native-beside-wasm prefixes apt buildroot prefix codec-prefix native-prefix native wasm test test-generated test-native test-wasm test-node test-soak test-deploy clean package call serve deploy undeploy browser bench soak fuzz fuzz-report

## deps: apt packages + the cached third-party prefixes (idempotent)
deps: apt prefixes native-prefix browser runtimes

# Debian's chromium for the playground's headless browser test.
browser:
	@bash node/emulator/install-browser.sh

apt:
	@bash third_party/apt-setup.sh

## buildroot: the Debian 13 root holding Emscripten and the wasm build tools
buildroot: apt
	@bash third_party/buildroot.sh >/dev/null

prefix: buildroot
	@mkdir -p build
	@$(IN_ROOT) bash third_party/build.sh | tail -1 > $(PREFIX_FILE).tmp && mv $(PREFIX_FILE).tmp $(PREFIX_FILE)
	@echo "wasm prefix: $$(cat $(PREFIX_FILE))"

# Both wasm prefixes side by side: each spends minutes in a serial configure
# (glib's and aom's checks, one emcc run after another) that leaves a core to
# the other.
prefixes: buildroot
	@$(call side_by_side,prefix codec-prefix)

# aom, dav1d and libheif for the AVIF codec module (a second wasm module).
codec-prefix: buildroot
	@mkdir -p build
	@$(IN_ROOT) bash third_party/build.sh codec | tail -1 > $(CODEC_PREFIX_FILE).tmp && mv $(CODEC_PREFIX_FILE).tmp $(CODEC_PREFIX_FILE)
	@echo "codec prefix: $$(cat $(CODEC_PREFIX_FILE))"

# The module's libvips (and Highway), built natively against Debian's codecs.
native-prefix: apt
	@mkdir -p build
	@bash third_party/build.sh native | tail -1 > $(NATIVE_PREFIX_FILE).tmp && mv $(NATIVE_PREFIX_FILE).tmp $(NATIVE_PREFIX_FILE)
	@echo "native prefix: $$(cat $(NATIVE_PREFIX_FILE))"

## native: the C++ core + Catch2 tests against the same libvips as the module
native: native-prefix
	@if [ -f $(NATIVE_BUILD)/.prefix ] && ! cmp -s $(NATIVE_BUILD)/.prefix $(NATIVE_PREFIX_FILE); then rm -rf $(NATIVE_BUILD); fi
	@mkdir -p $(NATIVE_BUILD) && cp $(NATIVE_PREFIX_FILE) $(NATIVE_BUILD)/.prefix
	@cmake -S . -B $(NATIVE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DVIPS_NATIVE_PREFIX="$$(cat $(NATIVE_PREFIX_FILE))" >/dev/null
	@cmake --build $(NATIVE_BUILD) -j $(JOBS)

## wasm: the product modules (build/wasm/vips_edge.{js,wasm}, avif_codec.{js,wasm}) and the core's test twin
wasm: prefixes
	@# A new prefix (recipe change) invalidates CMake's cached pkg-config results.
	@if [ -f $(WASM_BUILD)/.prefix ] && ! cat $(PREFIX_FILE) $(CODEC_PREFIX_FILE) | cmp -s $(WASM_BUILD)/.prefix -; then rm -rf $(WASM_BUILD); fi
	@mkdir -p $(WASM_BUILD) && cat $(PREFIX_FILE) $(CODEC_PREFIX_FILE) > $(WASM_BUILD)/.prefix
	@$(IN_ROOT) emcmake cmake -S . -B $(WASM_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DWASM_PREFIX="$$(cat $(PREFIX_FILE))" -DCODEC_PREFIX="$$(cat $(CODEC_PREFIX_FILE))" >/dev/null
	@$(IN_ROOT) cmake --build $(WASM_BUILD) -j $(JOBS)
	@ls -l $(WASM_BUILD)/vips_edge.wasm $(WASM_BUILD)/avif_codec.wasm | awk '{print $$9 ": " $$5 " bytes"}'

node/node_modules/.package-lock.json: node/package.json node/package-lock.json
	@cd node && npm ci --no-audit --no-fund --loglevel=error

## package: dist/function.zip (index.js bundle, .wasm, worker, config.json)
## BUNDLE_SDK=1 bundles the AWS SDK instead of using the Lambda runtime's
CONFIG ?=
BUNDLE_SDK ?=
package: wasm node/node_modules/.package-lock.json runtimes
	@$(LAMBDA_NODE) node/scripts/package.mjs $(if $(CONFIG),--config $(CONFIG)) $(if $(BUNDLE_SDK),--bundle-sdk)

## call EVENT=fixtures/events/x.json: what the packaged handler returns
EVENT ?= fixtures/events/origin-request-passthrough.json
call: package
	@$(RUNTIME_ENV) $(LAMBDA_NODE) node/scripts/call.mjs $(EVENT)

## serve: the local CloudFront emulator + playground on http://127.0.0.1:$(PORT)
PORT ?= 8080
IMAGES ?= fixtures/images
# SVG passthrough and a fallback image in the playground (node/emulator/showcase.mjs); SHOWCASE=0: the config alone.
SHOWCASE ?= 1
serve: package
	@$(RUNTIME_ENV) PORT=$(PORT) IMAGES=$(IMAGES) SHOWCASE=$(SHOWCASE) $(LAMBDA_NODE) node/emulator/serve.mjs

## bench: vs sharp / sharp-wasm32 / wasm-vips / jimp -> bench/results/ (bench/README.md)
bench: package
	@$(RUNTIME_ENV) $(LAMBDA_NODE) bench/run.mjs

## soak: 1,000 mixed requests + wrk 60 s at 8 connections on the emulator (tests/soak/soak.mjs)
soak: package
	@bash tests/soak/install-wrk.sh
	@$(RUNTIME_ENV) $(LAMBDA_NODE) tests/soak/soak.mjs

## fuzz: libFuzzer targets (clang, ASan+UBSan), SECONDS each (default 60), one at a time
SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	@SECONDS_PER_TARGET=$(SECONDS) bash fuzz/run.sh $(FUZZ_TARGETS)

## fuzz-report: cumulative executions, exec/s and findings per fuzz target (the ledger)
fuzz-report:
	@bash fuzz/run.sh --report

## deploy / undeploy: see deploy/README.md (needs the AWS CLI and credentials)
deploy: runtimes
	@NODE=$(LAMBDA_NODE) bash deploy/deploy.sh
undeploy:
	@bash deploy/undeploy.sh

## test: build everything, run every test
test: test-generated test-native-beside-wasm test-wasm test-node test-soak test-deploy

# Everything the suites run, built side by side: the wasm side (the Debian 13
# build root, both prefixes, then the modules) and the native twin. The wasm
# side is the long path, so the native twin builds in the cores it leaves
# idle (on a fresh machine the build root's debootstrap, then the prefixes'
# serial configures). What is cached returns at once.
builds: apt
	@$(call side_by_side,wasm,native)

# The same, with the native suite run as soon as the native twin is built:
# it needs nothing of the wasm side.
test-native-beside-wasm: apt
	@$(call side_by_side,wasm,test-native)

# Every copy of the URL API table (src/api/params.json) is current, and the
# generator follows a changed table (tools/params/); no include in src/ runs
# up a layer or forms a cycle (tools/check-layers.mjs).
test-generated:
	@node tools/params/generate.mjs --check
	@node tools/check-layers.mjs
	@node --test tools/params/test/ tools/test/

test-native: native
	@bash tests/hostile/fetch-corpora.sh
	@$(NATIVE_BUILD)/vips_edge_tests

test-wasm: wasm node/node_modules/.package-lock.json runtimes
	@$(call on_each_runtime,$$NODE --test tests/node/*.test.mjs)

test-node: package browser
	@$(LAMBDA_NODE) node/scripts/package.mjs --test-build >/dev/null
	@cd node && npm run --silent typecheck
	@cd node && $(call on_each_runtime,$(RUNTIME_ENV) $$NODE --test --test-concurrency=1 test/*.test.mjs)

# A short soak (the full one is `make soak`): every status checked under
# concurrent load, RSS net of the emulator's cache flat after warm-up.
test-soak: package
	@bash tests/soak/install-wrk.sh
	@$(call on_each_runtime,$(RUNTIME_ENV) PORT=$$((18090 + RUNTIME_INDEX)) SOAK_REQUESTS=600 SOAK_SECONDS=10 $$NODE tests/soak/soak.mjs >/dev/null)

test-deploy:
	@cd deploy && npm ci --no-audit --no-fund --loglevel=error
	@cd deploy && $(call on_each_runtime,$$NODE --test test/*.test.mjs)

clean:
	rm -rf build dist node/node_modules node/dist deploy/node_modules
