// Command precompress writes the gzip and Brotli forms of the front end into
// the folder the borderline binary embeds (see package precompress). `make
// build` runs it before compiling:
//
//	go run ./cmd/precompress -out precompressed static node_modules/leaflet/dist
//
// It compresses only content the folder does not hold yet, so a build that
// changed one script costs a fraction of a second, and removes the forms of
// content that is gone.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/borderline/borderline/precompress"
)

func main() {
	out := flag.String("out", "precompressed", "folder to write the compressed forms into")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "Usage: precompress [-out DIR] FOLDER...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var roots []fs.FS
	for _, dir := range flag.Args() {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			fmt.Fprintf(os.Stderr, "precompress: %s is not a folder\n", dir)
			os.Exit(1)
		}
		roots = append(roots, os.DirFS(dir))
	}
	start := time.Now()
	rep, err := precompress.WriteDir(*out, roots...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("precompress: %d files: %d forms compressed, %d kept, %d removed, in %s\n",
		rep.Files, rep.Written, rep.Kept, rep.Removed, time.Since(start).Round(time.Millisecond))
}
