package output

import (
	"math"
	"sort"
)

// slot aggregates the samples of one time bucket [start, start+bucketMs) seen in one flush.
type slot struct {
	start             int64 // ms since the epoch
	first, last       int64 // times of its first and last sample
	reqFirst, reqLast int64 // times of its first and last http_reqs sample
	samples           uint64
	names             map[string]*nameAgg
	waiting           dist
	connecting        dist
	checksPass        uint64
	checksFail        uint64
	iterations        float64
	dropped           float64
	sent, received    float64
	vus, vusMax       float64 // -1: no sample in this slot
	vusAt             int64
	series            map[int]*seriesAgg // every metric, by series id
}

type nameAgg struct {
	requests float64
	failed   uint64
	duration dist
}

func newSlot(start int64) *slot {
	return &slot{
		start: start, first: math.MaxInt64, last: math.MinInt64,
		reqFirst: math.MaxInt64, reqLast: math.MinInt64,
		names: make(map[string]*nameAgg), vus: -1, vusMax: -1, vusAt: math.MinInt64,
		series: make(map[int]*seriesAgg),
	}
}

func (s *slot) name(n string) *nameAgg {
	a := s.names[n]
	if a == nil {
		a = &nameAgg{}
		s.names[n] = a
	}
	return a
}

// addSeries folds one sample of any metric into its series.
func (s *slot) addSeries(id int, trend bool, t int64, value float64) {
	a := s.series[id]
	if a == nil {
		a = newSeriesAgg(trend)
		s.series[id] = a
	}
	a.add(t, value)
}

// add folds one sample of a metric loadctl aggregates into the slot.
func (s *slot) add(k kind, t int64, value float64, name string) {
	s.samples++
	if t < s.first {
		s.first = t
	}
	if t > s.last {
		s.last = t
	}
	switch k {
	case kindRequests:
		s.name(name).requests += value
		if t < s.reqFirst {
			s.reqFirst = t
		}
		if t > s.reqLast {
			s.reqLast = t
		}
	case kindFailed:
		if value != 0 {
			s.name(name).failed++
		}
	case kindDuration:
		s.name(name).duration.add(value)
	case kindWaiting:
		s.waiting.add(value)
	case kindConnecting:
		s.connecting.add(value)
	case kindChecks:
		if value != 0 {
			s.checksPass++
		} else {
			s.checksFail++
		}
	case kindIterations:
		s.iterations += value
	case kindDropped:
		s.dropped += value
	case kindSent:
		s.sent += value
	case kindReceived:
		s.received += value
	case kindVUs:
		if value > s.vus {
			s.vus = value
		}
		if t >= s.vusAt {
			s.vusAt = t
		}
	case kindVUsMax:
		if value > s.vusMax {
			s.vusMax = value
		}
	}
}

// slotJSON is a slot on the wire (one element of a record's "slots").
type slotJSON struct {
	T          int64                `json:"t"`
	First      int64                `json:"first"`
	Last       int64                `json:"last"`
	ReqFirst   *int64               `json:"reqFirst,omitempty"`
	ReqLast    *int64               `json:"reqLast,omitempty"`
	Samples    uint64               `json:"samples"`
	Names      map[string]*nameJSON `json:"names,omitempty"`
	Waiting    *distJSON            `json:"waiting,omitempty"`
	Connecting *distJSON            `json:"connecting,omitempty"`
	ChecksPass uint64               `json:"checksPass,omitempty"`
	ChecksFail uint64               `json:"checksFail,omitempty"`
	Iterations float64              `json:"iterations,omitempty"`
	Dropped    float64              `json:"dropped,omitempty"`
	Sent       float64              `json:"sent,omitempty"`
	Received   float64              `json:"received,omitempty"`
	VUs        *float64             `json:"vus,omitempty"`
	VUsAt      *int64               `json:"vusAt,omitempty"`
	VUsMax     *float64             `json:"vusMax,omitempty"`
	Series     []seriesJSON         `json:"series,omitempty"`
}

type nameJSON struct {
	Requests float64   `json:"requests"`
	Failed   uint64    `json:"failed"`
	Duration *distJSON `json:"duration,omitempty"`
}

func (s *slot) wire() slotJSON {
	w := slotJSON{
		T: s.start, First: s.first, Last: s.last, Samples: s.samples,
		Waiting: s.waiting.wire(), Connecting: s.connecting.wire(),
		ChecksPass: s.checksPass, ChecksFail: s.checksFail, Iterations: s.iterations,
		Dropped: s.dropped, Sent: s.sent, Received: s.received,
	}
	if s.reqFirst <= s.reqLast {
		w.ReqFirst, w.ReqLast = &s.reqFirst, &s.reqLast
	}
	if len(s.names) > 0 {
		w.Names = make(map[string]*nameJSON, len(s.names))
		for n, a := range s.names {
			w.Names[n] = &nameJSON{Requests: a.requests, Failed: a.failed, Duration: a.duration.wire()}
		}
	}
	if s.vus >= 0 {
		w.VUs, w.VUsAt = &s.vus, &s.vusAt
	}
	if s.vusMax >= 0 {
		w.VUsMax = &s.vusMax
	}
	if len(s.series) > 0 {
		w.Series = make([]seriesJSON, 0, len(s.series))
		for id, a := range s.series {
			w.Series = append(w.Series, a.wire(id))
		}
		sort.Slice(w.Series, func(i, j int) bool { return w.Series[i].ID < w.Series[j].ID })
	}
	return w
}
