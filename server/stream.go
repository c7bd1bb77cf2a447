package server

import (
	"bytes"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/borderline/borderline/store"
)

// sendFeatureCollection answers page as featureCollectionBytes makes it.
// An answer that will not be kept (see cacheable: asked for the first time,
// nobody waiting for it) goes to the client as it is made, a piece of
// streamChunk bytes at a time (gzipped on the way if the client asks),
// instead of being made whole first:
// a page of a thousand features is 2 MB, and copying it into a buffer of
// its own took a third of the server's time under varied queries. Into a
// piece that stays in the processor's cache until it is written the copy
// is about a tenth cheaper, and the page no longer passes through the heap.
// It must be called while the page's features are valid (inside ItemsFunc).
func sendFeatureCollection(c echo.Context, page store.Page, links []link, members []byte) error {
	w, ok := c.Response().Writer.(*captureWriter)
	if !ok || w.direct == nil || w.wroteHeader {
		return sendOwned(c, geoJSONType, featureCollectionBytes(page, links, members))
	}
	bp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bp)
	head := bytes.NewBuffer((*bp)[:0])
	writeCollectionHead(head, page, links, members)
	length := head.Len() + len(collectionTail)
	for i, f := range page.Features {
		length += len(f)
		if i > 0 {
			length++
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, geoJSONType)
	out := w.direct(page.Version, length)
	if out == nil {
		return sendOwned(c, geoJSONType, featureCollectionBytes(page, links, members))
	}
	chunk := head.Bytes()
	defer func() {
		if cap(chunk) <= 4*streamChunk { // grown past that by a huge feature: let it go
			*bp = chunk[:0]
		}
	}()
	for i, f := range page.Features {
		if len(chunk) > 0 && len(chunk)+1+len(f) > streamChunk {
			if _, err := out.Write(chunk); err != nil {
				return err
			}
			chunk = chunk[:0]
		}
		if i > 0 {
			chunk = append(chunk, ',')
		}
		chunk = append(chunk, f...)
	}
	chunk = append(chunk, collectionTail...)
	_, err := out.Write(chunk)
	return err
}

// streamChunk: a few pieces of it fit the cache of a core beside what the
// kernel needs to take them.
var streamChunk = 128 << 10

var chunkPool = sync.Pool{New: func() any {
	b := make([]byte, 0, streamChunk)
	return &b
}}
