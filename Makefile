# Borderline — build, run and test. `make run` and `make test` are all a fresh
# machine needs (Debian 12, Go, Node 20); see README.md.
GO      ?= go
BIN     := bin/borderline
ADDR    ?= 127.0.0.1:8080
GOFILES := $(shell find . -name '*.go' -not -path './node_modules/*')

.PHONY: all build run test test-go test-e2e lint deps tools bench scale-db bench-db load clean fuzz

all: build

# Leaflet is embedded into the binary from node_modules; npm ci follows the lockfile.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json

# The front end's gzip and Brotli forms are made here, not when the server
# starts: Brotli at its best takes seconds for Leaflet. Only new content is
# compressed (a second run takes a fraction of a second); the binary embeds
# precompressed/, and a plain `go build` without it still works (gzip only).
PRECOMPRESSED := precompressed/.stamp
$(PRECOMPRESSED): node_modules/.package-lock.json $(shell find static -type f) $(wildcard precompress/*.go cmd/precompress/*.go)
	$(GO) run ./cmd/precompress -out precompressed static node_modules/leaflet/dist
	@touch $@

$(BIN): deps $(PRECOMPRESSED) $(GOFILES) go.mod go.sum $(shell find static data -type f)
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) .

build: $(BIN)

run: build
	BORDERLINE_ADDR=$${BORDERLINE_ADDR:-$(ADDR)} $(BIN) serve

lint: deps
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	$(GO) vet ./...

test-go: deps $(PRECOMPRESSED)
	$(GO) test ./...

# Debian's chromium, poppler-utils and python3, installed when missing and root.
tools:
	@sh e2e/ensure-tools.sh

test-e2e: build tools
	BORDERLINE_BIN=$(CURDIR)/$(BIN) node --test e2e/

# Every parser of what clients send, fuzzed briefly in make test (the seeds
# run in test-go too): make fuzz FUZZTIME=10m for a longer run. Crashers are
# written to the package's testdata/fuzz/ and then run as seeds for good.
# make test bounds each target by executions, not time: Go 1.26's fuzzer can
# fail a time-bounded run with "context deadline exceeded" when its deadline
# races a busy worker (go.dev/issue/75804; fixed in Go 1.27), which failed CI
# once on a loaded machine. A count has no deadline to race.
FUZZTIME ?= 10000x
FUZZ_TARGETS := ./server:FuzzParseBBox ./server:FuzzParseDatetime ./server:FuzzParseSortby ./data:FuzzReadIncidentsCSV \
	./cql2:FuzzParseText ./cql2:FuzzParseJSON ./store:FuzzCompiledFiltersRun
fuzz: deps $(PRECOMPRESSED)
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) >/tmp/borderline-fuzz.log 2>&1 || { cat /tmp/borderline-fuzz.log; exit 1; }; \
	done

test: lint test-go fuzz test-e2e

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

# Load tests against nginx on this machine (bench/README.md); not part of make test.
# make bench-db N=100000 [DB=var/bench/100000.db]: a synthetic database written
# through store.Seed and store.ImportIncidents (the same N writes the same file).
N  ?= 100000
DB ?= var/bench/$(N).db
bench-db:
	@mkdir -p $(dir $(DB))
	$(GO) run ./bench/benchdb -n $(N) -db $(DB)

# make load [WORKLOADS=first,varied,repeat,big,overload] [LOAD_SECONDS=15]
#           [LOAD_ROUNDS=1] [LOAD_URL=http://127.0.0.1:8080 LOAD_PID=1234]
#           [SMALL_N=100000 SMALL_DB=…] [BIG_N=1000000 BIG_DB=…] [LOAD_ARGS=…]
# builds or reuses the databases under var/bench/, starts bin/borderline and
# nginx on loopback, runs wrk against both, prints one table and keeps the raw
# outputs in var/bench/results/.
WORKLOADS    ?= all
LOAD_SECONDS ?= 15
LOAD_ROUNDS  ?= 1
SMALL_N      ?= 100000
SMALL_DB     ?= var/bench/$(SMALL_N).db
BIG_N        ?= 1000000
BIG_DB       ?= var/bench/$(BIG_N).db
LOAD_URL     ?=
LOAD_PID     ?= 0
LOAD_ARGS    ?=
load: build
	BENCH_LOAD_COMMAND='make load WORKLOADS=$(WORKLOADS) LOAD_SECONDS=$(LOAD_SECONDS) LOAD_ROUNDS=$(LOAD_ROUNDS) SMALL_N=$(SMALL_N) BIG_N=$(BIG_N)$(if $(LOAD_URL), LOAD_URL=$(LOAD_URL) LOAD_PID=$(LOAD_PID))$(if $(LOAD_ARGS), LOAD_ARGS="$(LOAD_ARGS)")' \
	$(GO) run ./bench/load -bin $(BIN) -workloads $(WORKLOADS) -seconds $(LOAD_SECONDS) -rounds $(LOAD_ROUNDS) \
		-small-n $(SMALL_N) -small-db $(SMALL_DB) -big-n $(BIG_N) -big-db $(BIG_DB) \
		$(if $(LOAD_URL),-url $(LOAD_URL) -pid $(LOAD_PID)) $(LOAD_ARGS)

clean:
	rm -rf bin e2e/screenshots
	rm -f precompressed/*.gz precompressed/*.br $(PRECOMPRESSED)
