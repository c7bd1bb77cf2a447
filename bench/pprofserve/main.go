// Command pprofserve is `borderline serve` with Go's profiler beside it, for
// profiling the server under load (bin/borderline exposes no pprof):
//
//	go run ./bench/pprofserve -db var/bench/100000.db -addr 127.0.0.1:8081 -pprof 127.0.0.1:6061
//	make load LOAD_URL=http://127.0.0.1:8081 LOAD_PID=<its pid> WORKLOADS=varied
//	go tool pprof -top http://127.0.0.1:6061/debug/pprof/profile?seconds=10
//
// It builds the same server as main.go (server.New over the store, seeded
// from the embedded dataset when needed), with the front-end files read
// from static/ and node_modules/leaflet/dist in the working directory
// rather than embedded; the server keeps them in memory either way.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
	"os/signal"
	"syscall"

	"github.com/borderline/borderline/data"
	"github.com/borderline/borderline/server"
	"github.com/borderline/borderline/store"
)

func main() {
	db := flag.String("db", "var/bench/100000.db", "SQLite database (seeded if needed)")
	addr := flag.String("addr", "127.0.0.1:8081", "address of the server")
	pprofAddr := flag.String("pprof", "127.0.0.1:6061", "address of /debug/pprof (keep it on loopback)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *db, *addr, *pprofAddr); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatalf("pprofserve: %v", err)
	}
}

func run(ctx context.Context, db, addr, pprofAddr string) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := data.SeedHash()
	if err != nil {
		return err
	}
	if ok, err := st.HasSeed(ctx, hash); err != nil {
		return err
	} else if !ok {
		seed, err := data.LoadSeed()
		if err != nil {
			return err
		}
		if _, err := st.Seed(ctx, seed, logger); err != nil {
			return err
		}
	}
	srv, err := server.New(st, server.Assets{Static: os.DirFS("static"), Vendor: os.DirFS("node_modules/leaflet/dist")}, logger)
	if err != nil {
		return err
	}
	pl, err := net.Listen("tcp", pprofAddr)
	if err != nil {
		return err
	}
	go http.Serve(pl, http.DefaultServeMux)
	return srv.Run(ctx, addr, func(a net.Addr) {
		log.Printf("pprofserve: serving http://%s/ (pid %d), profiles at http://%s/debug/pprof/", a, os.Getpid(), pl.Addr())
	})
}
