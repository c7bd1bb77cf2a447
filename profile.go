package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
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
