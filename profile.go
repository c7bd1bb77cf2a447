package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"
)

// startProfiler serves Go's profiles on addr (BORDERLINE_PPROF, for example
// 127.0.0.1:6060), apart from the map's port so that they are never public
// by accident: `go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=10`
// while a load runs. See bench/README.md.
func startProfiler(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		log.Info("serving profiles", "url", "http://"+addr+"/debug/pprof/")
		if err := srv.ListenAndServe(); err != nil {
			log.Error("profiles", "err", err)
		}
	}()
}

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT says
// otherwise. The live heap is the response cache (64 MB), the incident
// index (about 50 MB at a million incidents) and the pages being made;
// without a limit the collector lets the heap grow to twice that before it
// runs, and a burst of big pages would take the process past 300 MB. Near
// the limit it collects more often instead.
const defaultMemoryLimit = 200 << 20

func limitMemory(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return // the runtime has read it
	}
	debug.SetMemoryLimit(defaultMemoryLimit)
	log.Debug("memory limit", "bytes", defaultMemoryLimit)
}
