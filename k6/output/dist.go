package output

import (
	"math"
	"math/bits"
	"sort"
)

// dist is a latency distribution over one time slot: exact count, sum, min and max, plus counts per
// HDR bucket of 3 significant digits (values in whole microseconds, each stored as the lowest value
// of its bucket). loadctl's HDR histograms use that same bucket layout, so re-recording these values
// there gives exactly the histogram that recording every sample would have given.
type dist struct {
	n        uint64
	sum      float64
	min, max float64
	counts   map[int64]uint64
}

// subBucketBits is log2 of the HDR sub-bucket count for 3 significant digits (2048 sub-buckets).
const subBucketBits = 11

// micros converts k6's milliseconds the way loadctl does (round half up, nothing below zero).
func micros(ms float64) int64 {
	if !(ms > 0) {
		return 0
	}
	return int64(math.Floor(ms*1000 + 0.5))
}

// lowestEquivalent maps a value to the first value of its HDR bucket (3 significant digits).
func lowestEquivalent(v int64) int64 {
	shift := bits.Len64(uint64(v)) - subBucketBits
	if shift <= 0 {
		return v
	}
	return (v >> shift) << shift
}

func (d *dist) add(ms float64) {
	if d.counts == nil {
		d.counts = make(map[int64]uint64)
		d.min, d.max = ms, ms
	}
	d.n++
	d.sum += ms
	if ms < d.min {
		d.min = ms
	}
	if ms > d.max {
		d.max = ms
	}
	d.counts[lowestEquivalent(micros(ms))]++
}

// distJSON is a dist on the wire: h holds value/count pairs flattened, values ascending.
type distJSON struct {
	N   uint64  `json:"n"`
	Sum float64 `json:"sum"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	H   []int64 `json:"h"`
}

func (d *dist) wire() *distJSON {
	if d.n == 0 {
		return nil
	}
	return &distJSON{N: d.n, Sum: d.sum, Min: d.min, Max: d.max, H: pairs(d.counts)}
}

// pairs flattens HDR bucket counts into value/count pairs, values ascending (nil when empty).
func pairs(counts map[int64]uint64) []int64 {
	if len(counts) == 0 {
		return nil
	}
	values := make([]int64, 0, len(counts))
	for v := range counts {
		values = append(values, v)
	}
	sort.Slice(values, func(i, j int) bool { return values[i] < values[j] })
	h := make([]int64, 0, 2*len(values))
	for _, v := range values {
		h = append(h, v, int64(counts[v]))
	}
	return h
}
