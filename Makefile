# Transcodely: self-hosted video transcoding. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Pinned tool versions; `make tools` installs them into .tools/bin.
BUF_VERSION                  := v1.75.0
PROTOC_GEN_GO_VERSION        := v1.36.11
PROTOC_GEN_CONNECT_GO_VERSION := v1.21.1
SQLC_VERSION                 := v1.31.1
MINIO_VERSION                := v0.0.0-20260212201848-7aac2a2c5b7c
PROTOVALIDATE_VERSION        := v1.2.2

TOOLS   := $(CURDIR)/.tools/bin
BUF     := $(TOOLS)/buf
SQLC    := $(TOOLS)/sqlc
MINIO   := $(TOOLS)/minio
export PATH := $(TOOLS):$(PATH)

STORES  := $(wildcard services/*/internal/store/sqlc.yaml)
GO_PKGS := ./pkg/... ./services/...

.PHONY: help
help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-18s %s\n", $$1, $$2}'

## ---- tools -------------------------------------------------------------

$(BUF):
	GOBIN=$(TOOLS) go install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
$(TOOLS)/protoc-gen-go:
	GOBIN=$(TOOLS) go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
$(TOOLS)/protoc-gen-connect-go:
	GOBIN=$(TOOLS) go install connectrpc.com/connect/cmd/protoc-gen-connect-go@$(PROTOC_GEN_CONNECT_GO_VERSION)
$(SQLC):
	GOBIN=$(TOOLS) go install github.com/sqlc-dev/sqlc/cmd/sqlc@$(SQLC_VERSION)
$(MINIO):
	@echo "building MinIO $(MINIO_VERSION) (a few minutes, once)"
	GOBIN=$(TOOLS) go install github.com/minio/minio@$(MINIO_VERSION)
gen/ts/node_modules: gen/ts/package.json gen/ts/package-lock.json
	cd gen/ts && npm ci --no-audit --no-fund
	@touch $@

.PHONY: tools
tools: $(BUF) $(TOOLS)/protoc-gen-go $(TOOLS)/protoc-gen-connect-go $(SQLC) $(MINIO) gen/ts/node_modules ## Install pinned tools into .tools/bin
	@command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: apt-get install -y ffmpeg"; exit 1; }

## ---- code generation ---------------------------------------------------

third_party/protovalidate/buf/validate/validate.proto:
	@dir=$$(go mod download -json github.com/bufbuild/protovalidate@$(PROTOVALIDATE_VERSION) | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); \
	mkdir -p $(@D) && cp $$dir/proto/protovalidate/buf/validate/validate.proto $@ && chmod u+w $@

.PHONY: generate
generate: $(BUF) $(TOOLS)/protoc-gen-go $(TOOLS)/protoc-gen-connect-go $(SQLC) gen/ts/node_modules third_party/protovalidate/buf/validate/validate.proto ## Regenerate gen/ and sqlc code from scratch
	@command -v protoc >/dev/null && command -v grpc_python_plugin >/dev/null || { echo "need protoc and grpc_python_plugin: apt-get install -y protobuf-compiler protobuf-compiler-grpc"; exit 1; }
	$(BUF) format -w
	$(BUF) lint
	rm -rf gen/go gen/ts/src gen/python/transcodely gen/python/buf
	$(BUF) generate --path proto/transcodely
	@for s in $(STORES); do d=$$(dirname $$s); rm -rf $$d/dbgen; (cd $$d && $(SQLC) generate) || exit 1; done

.PHONY: check-generated
check-generated: generate ## Fail if generated code differs from what is committed
	@git add -N gen services >/dev/null 2>&1; \
	if ! git diff --exit-code --stat -- gen services proto; then echo "generated code is stale: run make generate and commit"; exit 1; fi

## ---- checks --------------------------------------------------------------

.PHONY: lint
lint: $(BUF) third_party/protovalidate/buf/validate/validate.proto ## buf lint/format, gofmt, go vet, layering
	$(BUF) lint
	$(BUF) format -d --exit-code
	@out=$$(gofmt -l pkg services); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet $(GO_PKGS)
	@./.ci/layering

.PHONY: test
test: $(MINIO) ## Run every test (real PostgreSQL, MinIO and ffmpeg)
	@command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: apt-get install -y ffmpeg"; exit 1; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432"; exit 1; }
	go test -count=1 -timeout 20m $(GO_PKGS)

## ---- running ------------------------------------------------------------

BIN := $(CURDIR)/.tools/bin
.PHONY: build
build: ## Build every binary into .tools/bin
	go build -o $(BIN)/ ./services/account ./services/origin ./services/preset ./services/job ./services/webhook ./services/encoder ./services/allinone ./services/cmd/transcodely-demo ./services/cmd/transcodely-bench

.PHONY: demo
demo: build $(MINIO) ## Start PostgreSQL, MinIO and allinone locally and transcode a sample clip
	@$(BIN)/transcodely-demo start

.PHONY: bench
bench: build $(MINIO) ## Time a job against hand-written ffmpeg (BENCH_FLAGS="-runs 3 -long -out docs/BENCHMARKS.md")
	@$(BIN)/transcodely-bench $(BENCH_FLAGS)

.PHONY: demo-stop
demo-stop: ## Stop what make demo started
	@$(BIN)/transcodely-demo stop
