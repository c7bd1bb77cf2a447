# Borderline — build, run and test. `make run` and `make test` are all a fresh
# machine needs (Debian 12, Go, Node 20); see README.md.
GO      ?= go
BIN     := bin/borderline
ADDR    ?= 127.0.0.1:8080
GOFILES := $(shell find . -name '*.go' -not -path './node_modules/*')

.PHONY: all build run test test-go test-e2e lint deps tools bench scale-db bench-db load clean

all: build

# Leaflet is embedded into the binary from node_modules; npm ci follows the lockfile.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json

$(BIN): deps $(GOFILES) go.mod go.sum $(shell find static data -type f)
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) .

build: $(BIN)

run: build
	BORDERLINE_ADDR=$${BORDERLINE_ADDR:-$(ADDR)} $(BIN) serve

lint: deps
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	$(GO) vet ./...

test-go: deps
	$(GO) test ./...

# Debian's chromium, poppler-utils and python3, installed when missing and root.
tools:
	@sh e2e/ensure-tools.sh

test-e2e: build tools
	BORDERLINE_BIN=$(CURDIR)/$(BIN) node --test e2e/

test: lint test-go test-e2e

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# A database of the dataset plus synthetic incidents, for load tests and the
# browser tests at size: make scale-db INCIDENTS=10000 [SCALE_DB=var/scale-10000.db],
# then bin/borderline serve --db var/scale-10000.db.
INCIDENTS ?= 10000
SCALE_DB  ?= var/scale-$(INCIDENTS).db
scale-db:
	@mkdir -p $(dir $(SCALE_DB))
	BORDERLINE_SCALE_DB=$(abspath $(SCALE_DB)) BORDERLINE_SCALE_INCIDENTS=$(INCIDENTS) $(GO) test ./store -run '^TestWriteScaleDB$$' -count=1 -v

# Synthetic databases for load tests (bench/README.md); not part of make test.
# make bench-db N=100000 [DB=var/bench/100000.db]: a synthetic database written
# through store.Seed and store.ImportIncidents (the same N writes the same file).
N  ?= 100000
DB ?= var/bench/$(N).db
bench-db:
	@mkdir -p $(dir $(DB))
	$(GO) run ./bench/benchdb -n $(N) -db $(DB)

clean:
	rm -rf bin e2e/screenshots
