// Command benchdb writes a database of synthetic incidents for load tests
// (see package bench/synth and bench/README.md):
//
//	go run ./bench/benchdb -n 100000 -db var/bench/100000.db
//	make bench-db N=100000 DB=var/bench/100000.db
//
// The same flags always write the same database. PATH.json beside it says
// what it holds; bench/load reads it to decide whether to reuse the file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/borderline/borderline/bench/synth"
)

func main() {
	var o synth.Options
	flag.IntVar(&o.Incidents, "n", 100_000, "synthetic incidents to add to the seed's")
	db := flag.String("db", "", "database file to write (replaced if it exists)")
	flag.IntVar(&o.Villages, "villages", 1800, "synthetic villages along the border")
	flag.Uint64Var(&o.RNG, "rng", 1, "random seed")
	flag.IntVar(&o.Batch, "batch", 100_000, "incidents per store.ImportIncidents call (one transaction each)")
	flag.IntVar(&o.CacheMB, "cache-mb", 1024, "SQLite page cache of the writing connection in MiB (-1: the store's 2)")
	flag.BoolVar(&o.WAL, "wal", false, "write in the store's WAL rather than with a rollback journal in memory (slower)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole build to this file")
	flag.Parse()
	if *db == "" || o.Incidents < 0 || o.Villages < 10 || o.Batch < 1 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	o.Log = log.New(os.Stderr, "benchdb: ", log.LstdFlags)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatalf("benchdb: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatalf("benchdb: %v", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m, err := synth.Build(ctx, *db, o)
	stop()
	pprof.StopCPUProfile()
	if err != nil {
		log.Fatalf("benchdb: %v", err)
	}
	fmt.Printf("wrote %s: %d synthetic incidents at %d synthetic villages and the seed's places, in %.1f s; kept the incident index beside it in %.1f s more\n",
		*db, m.Incidents, m.Villages, m.Seconds, m.IndexSeconds)
}
