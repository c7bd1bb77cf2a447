package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/borderline/borderline/store"
)

// BenchmarkItemsMonthBBox runs the sized-for query through the whole handler
// (routing, middleware, store, encoding) on both cores, without the network:
//
//	BORDERLINE_SCALE_DB=/tmp/scale.db go test ./store -run WriteScaleDB
//	BORDERLINE_SCALE_DB=/tmp/scale.db go test ./server -run '^$' -bench .
func BenchmarkItemsMonthBBox(b *testing.B) {
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			srv := scaleServer(b)
			const path = "/collections/incidents/items?bbox=126,40.5,129,42.5&datetime=2020-09-01/2020-09-30"
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.Header.Set("Accept-Encoding", enc)
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Errorf("status %d", rec.Code)
						return
					}
				}
			})
		})
	}
}

func scaleServer(b *testing.B) *Server {
	path := os.Getenv("BORDERLINE_SCALE_DB")
	if path == "" {
		b.Skip("set BORDERLINE_SCALE_DB to a database written by go test ./store -run WriteScaleDB")
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	srv, err := New(st, Assets{Static: os.DirFS("../static"), Vendor: os.DirFS("../node_modules/leaflet/dist")},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// BenchmarkSimplify serves each collection of shapes whole through the whole
// handler on the seeded test database: at full precision, simplified at
// 500 m from the cache, and simplified afresh (an empty cache each time):
//
//	go test ./server -run '^$' -bench Simplify -benchmem
func BenchmarkSimplify(b *testing.B) {
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range shapeCollections {
		full := "/collections/" + c + "/items?limit=10000"
		for _, tc := range []struct {
			name, path string
			fresh      bool
		}{
			{"full", full, false},
			{"500m-cached", full + "&simplify=500", false},
			{"500m-uncached", full + "&simplify=500", true},
		} {
			b.Run(c+"/"+tc.name, func(b *testing.B) {
				for b.Loop() {
					if tc.fresh {
						srv.shapes = &shapeCache{maxBytes: shapeCacheBytes}
					}
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
			})
		}
	}
}

// BenchmarkRepeatedData is a data answer asked again: what a popular embed
// costs once its answer is kept (the first view's layers and incidents).
//
//	go test ./server -run '^$' -bench RepeatedData -cpuprofile /tmp/cpu.out
func BenchmarkRepeatedData(b *testing.B) {
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			const path = "/collections/incidents/items?datetime=2020-08-26&limit=100"
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.Header.Set("Accept-Encoding", enc)
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Errorf("status %d", rec.Code)
						return
					}
				}
			})
		})
	}
}

// BenchmarkGzipPage compresses a page the size of a thousand incidents
// (about 2 MB: the seed's incidents, over and over), as the first reader to
// ask for it with gzip waits for:
//
//	go test ./server -run '^$' -bench GzipPage -benchmem
func BenchmarkGzipPage(b *testing.B) {
	srv, err := New(testStore, testAssets, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/collections/incidents/items?f=json", nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d", rec.Code)
	}
	var page []byte
	for len(page) < 2<<20 {
		page = append(page, rec.Body.Bytes()...)
	}
	b.SetBytes(int64(len(page)))
	var size int
	for b.Loop() {
		r := &representation{identity: page}
		size = len(r.gzip())
	}
	b.ReportMetric(float64(size)/float64(len(page)), "ratio")
}
