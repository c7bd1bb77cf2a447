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
// otherwise, and gcPercent the collector's pace unless GOGC does. A reader
// panning the map makes a new page of a megabyte or two with each request,
// and the live heap is small (the incident index, the answers kept): at
// Go's default pace the collector ran dozens of times a second and freshly
// returned memory was faulted in again for the next page. Letting the heap
// grow to five times the live data, but never past the limit, cut that; the
// limit keeps a burst of big pages from taking the process past 300 MB.
const (
	defaultMemoryLimit = 200 << 20
	gcPercent          = 400
)

func limitMemory(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	log.Debug("memory", "limit", debug.SetMemoryLimit(-1))
}
