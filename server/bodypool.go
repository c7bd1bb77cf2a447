package server

import (
	"math/bits"
	"sync"
)

// Bodies of data answers that are neither kept nor shared go back to a pool
// once written. A reader panning the map asks for pages of a megabyte or two
// that nobody asks for again; allocating each anew made the collector run
// several times a second and held up the answers that were allocating
// meanwhile (the p99 of varied queries). Buffers come in powers of two from
// 64 KB to 32 MB; smaller ones are left to the allocator, bigger ones (the
// largest page is 22 MB) are not kept.
var bodyPools [10]sync.Pool // 64 KB << i

const minPooledBody = 64 << 10

func poolIndex(n int) int {
	if n <= minPooledBody {
		return 0
	}
	return bits.Len(uint((n - 1) / minPooledBody))
}

// newBody returns an empty buffer with room for n bytes.
func newBody(n int) []byte {
	if n < minPooledBody/2 {
		return make([]byte, 0, n)
	}
	i := poolIndex(n)
	if i >= len(bodyPools) {
		return make([]byte, 0, n)
	}
	if b, ok := bodyPools[i].Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return make([]byte, 0, minPooledBody<<i)
}

// recycleBody gives b back: the caller must hold the only reference to it.
func recycleBody(b []byte) {
	c := cap(b)
	if c < minPooledBody {
		return
	}
	// The pool of the largest size b can serve in full.
	i := bits.Len(uint(c/minPooledBody)) - 1
	if i >= len(bodyPools) {
		return
	}
	b = b[:0]
	bodyPools[i].Put(&b)
}
