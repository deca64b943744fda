package output

import (
	"math"
	"strings"

	"go.k6.io/k6/v2/metrics"
)

// Every metric k6 emits, built-in or custom, is also folded per series: a metric plus the values of
// the tags loadctl tracks (K6_LOADCTL_TAGS). loadctl answers k6's submetric selectors
// (`metric{tag:value}`) by merging the series whose tags match, so an SLA or a script threshold on
// any metric is judged from these aggregates alone.

// maxSeriesPerMetric bounds the series of one metric: past it, samples fold into the metric's
// overflow series (no tags), so a tag with unbounded values cannot grow memory without bound.
const maxSeriesPerMetric = 300

// maxCachedTimeSeries bounds the cache of k6 time series: k6 makes one per distinct tag set (a URL
// without a name tag makes one per URL); past it, series keys are computed per sample instead.
const maxCachedTimeSeries = 100_000

// defaultTracked mirrors DEFAULT_TRACKED_TAGS in src/results/k6-metric-types.ts.
var defaultTracked = []string{"name", "group", "scenario", "check", "expected_response", "status", "method"}

func parseTracked(s string) []string {
	if strings.TrimSpace(s) == "" {
		return defaultTracked
	}
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// seriesDecl names a series once, in the first line that carries it.
type seriesDecl struct {
	ID       int               `json:"id"`
	Metric   string            `json:"metric"`
	Type     string            `json:"type"`
	Contains string            `json:"contains"`
	Tags     map[string]string `json:"tags,omitempty"`
}

// seriesIndex maps k6's time series to loadctl's series ids.
type seriesIndex struct {
	tracked   []string
	byTS      map[metrics.TimeSeries]int
	byKey     map[string]int
	perMetric map[*metrics.Metric]int
	overflow  map[*metrics.Metric]int
	decls     []seriesDecl
	sent      int    // decls[:sent] went out already
	spilled   uint64 // samples folded into an overflow series since the last line
}

func newSeriesIndex(tracked []string) *seriesIndex {
	return &seriesIndex{
		tracked: tracked, byTS: make(map[metrics.TimeSeries]int), byKey: make(map[string]int),
		perMetric: make(map[*metrics.Metric]int), overflow: make(map[*metrics.Metric]int),
	}
}

// id returns the series of a sample; k6 interns its tag sets, so the map hit is the common path.
func (x *seriesIndex) id(ts metrics.TimeSeries) int {
	if id, ok := x.byTS[ts]; ok {
		if x.isOverflow(ts.Metric, id) {
			x.spilled++
		}
		return id
	}
	tags := make(map[string]string)
	var key strings.Builder
	key.WriteString(ts.Metric.Name)
	for _, t := range x.tracked {
		if v, ok := ts.Tags.Get(t); ok {
			tags[t] = v
			key.WriteByte(0)
			key.WriteString(t)
			key.WriteByte(1)
			key.WriteString(v)
		}
	}
	id, ok := x.byKey[key.String()]
	if !ok {
		if x.perMetric[ts.Metric] >= maxSeriesPerMetric {
			id = x.overflowOf(ts.Metric)
			x.cache(ts, id)
			x.spilled++
			return id
		}
		id = x.declare(ts.Metric, tags)
		x.byKey[key.String()] = id
		x.perMetric[ts.Metric]++
	}
	x.cache(ts, id)
	return id
}

func (x *seriesIndex) cache(ts metrics.TimeSeries, id int) {
	if len(x.byTS) < maxCachedTimeSeries {
		x.byTS[ts] = id
	}
}

func (x *seriesIndex) isOverflow(m *metrics.Metric, id int) bool {
	o, ok := x.overflow[m]
	return ok && o == id
}

func (x *seriesIndex) overflowOf(m *metrics.Metric) int {
	if id, ok := x.overflow[m]; ok {
		return id
	}
	id := x.declare(m, nil)
	x.overflow[m] = id
	return id
}

func (x *seriesIndex) declare(m *metrics.Metric, tags map[string]string) int {
	id := len(x.decls)
	x.decls = append(x.decls, seriesDecl{ID: id, Metric: m.Name, Type: m.Type.String(), Contains: m.Contains.String(), Tags: tags})
	return id
}

// unsent returns the declarations no line carried yet and marks them sent.
func (x *seriesIndex) unsent() []seriesDecl {
	out := x.decls[x.sent:]
	x.sent = len(x.decls)
	return out
}

// seriesAgg is one series within one slot. Trend values are kept as HDR buckets of round(|v|·1000)
// (3 significant digits), split by sign; loadctl records them into the same histograms.
type seriesAgg struct {
	trend    bool
	n, nz    uint64
	sum      float64
	min, max float64
	last     float64
	lastAt   int64
	pos, neg map[int64]uint64
}

func newSeriesAgg(trend bool) *seriesAgg {
	return &seriesAgg{trend: trend, min: math.Inf(1), max: math.Inf(-1), lastAt: math.MinInt64}
}

func (a *seriesAgg) add(t int64, v float64) {
	a.n++
	a.sum += v
	if v != 0 {
		a.nz++
	}
	if v < a.min {
		a.min = v
	}
	if v > a.max {
		a.max = v
	}
	if t >= a.lastAt {
		a.last, a.lastAt = v, t
	}
	if !a.trend {
		return
	}
	if v < 0 {
		if a.neg == nil {
			a.neg = make(map[int64]uint64)
		}
		a.neg[lowestEquivalent(micros(-v))]++
		return
	}
	if a.pos == nil {
		a.pos = make(map[int64]uint64)
	}
	a.pos[lowestEquivalent(micros(v))]++
}

// seriesJSON is a seriesAgg on the wire.
type seriesJSON struct {
	ID     int     `json:"id"`
	N      uint64  `json:"n"`
	NZ     uint64  `json:"nz"`
	Sum    float64 `json:"sum"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Last   float64 `json:"last"`
	LastAt int64   `json:"lastAt"`
	H      []int64 `json:"h,omitempty"`
	HNeg   []int64 `json:"hNeg,omitempty"`
}

func (a *seriesAgg) wire(id int) seriesJSON {
	return seriesJSON{ID: id, N: a.n, NZ: a.nz, Sum: a.sum, Min: a.min, Max: a.max, Last: a.last, LastAt: a.lastAt, H: pairs(a.pos), HNeg: pairs(a.neg)}
}
