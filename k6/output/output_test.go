package output

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"go.k6.io/k6/v2/metrics"
	"go.k6.io/k6/v2/output"
)

func TestLowestEquivalentMatchesHdrBuckets(t *testing.T) {
	cases := map[int64]int64{0: 0, 1: 1, 2047: 2047, 2048: 2048, 2049: 2048, 4097: 4096, 4099: 4096, 4102: 4100, 1_000_123: 999_936}
	for in, want := range cases {
		if got := lowestEquivalent(in); got != want {
			t.Errorf("lowestEquivalent(%d) = %d, want %d", in, got, want)
		}
	}
	if micros(1.0005) != 1001 || micros(-3) != 0 || micros(0.0004) != 0 {
		t.Errorf("micros rounds like loadctl's toMicros")
	}
}

func TestWritesOneLinePerFlushWithBucketsAndNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	reg := metrics.NewRegistry()
	dur := reg.MustNewMetric(metrics.HTTPReqDurationName, metrics.Trend, metrics.Time)
	reqs := reg.MustNewMetric(metrics.HTTPReqsName, metrics.Counter)
	failed := reg.MustNewMetric(metrics.HTTPReqFailedName, metrics.Rate)
	blocked := reg.MustNewMetric(metrics.HTTPReqBlockedName, metrics.Trend, metrics.Time)
	vus := reg.MustNewMetric(metrics.VUsName, metrics.Gauge)
	home := reg.RootTagSet().With("name", "home")

	o, err := New(output.Params{
		ConfigArgument: path, Logger: logrus.New(),
		Environment: map[string]string{"K6_LOADCTL_BUCKET_MS": "1000", "K6_LOADCTL_FLUSH_MS": "3600000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(); err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(1_700_000_000_000)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	sample := func(m *metrics.Metric, tags *metrics.TagSet, ms int, v float64) metrics.Sample {
		return metrics.Sample{TimeSeries: metrics.TimeSeries{Metric: m, Tags: tags}, Time: at(ms), Value: v}
	}
	o.AddMetricSamples([]metrics.SampleContainer{metrics.Samples{
		sample(reqs, home, 0, 1), sample(dur, home, 0, 2.5), sample(failed, home, 0, 0),
		sample(blocked, home, 0, 9), // only in its series
		sample(reqs, home, 1500, 1), sample(dur, home, 1500, 3000.7), sample(failed, home, 1500, 1),
		sample(vus, reg.RootTagSet(), 1200, 7),
	}})
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []record
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r)
	}
	if len(lines) != 1 {
		t.Fatalf("want 1 line, got %d", len(lines))
	}
	r := lines[0]
	if r.V != FormatVersion || r.Origin != t0.UnixMilli() || len(r.Slots) != 2 || r.Skipped != 0 {
		t.Fatalf("unexpected record %+v", r)
	}
	first, second := r.Slots[0], r.Slots[1]
	if first.T != t0.UnixMilli() || second.T != t0.UnixMilli()+1000 {
		t.Errorf("slot starts %d %d", first.T, second.T)
	}
	if first.Samples != 4 || second.Samples != 4 {
		t.Errorf("samples %d %d", first.Samples, second.Samples)
	}
	// Five series (four metrics with name=home, vus without tags), declared once.
	if len(r.Declare) != 5 {
		t.Fatalf("declared %+v", r.Declare)
	}
	byID := map[int]seriesDecl{}
	for _, d := range r.Declare {
		byID[d.ID] = d
	}
	for _, sj := range first.Series {
		d := byID[sj.ID]
		if d.Metric == metrics.HTTPReqBlockedName {
			if d.Type != "trend" || d.Contains != "time" || d.Tags["name"] != "home" || sj.N != 1 || sj.H[0] != 9000 {
				t.Errorf("blocked series %+v %+v", d, sj)
			}
		}
	}
	if len(second.Series) != 4 {
		t.Errorf("second slot series %+v", second.Series)
	}
	h := first.Names["home"]
	if h.Requests != 1 || h.Failed != 0 || h.Duration.N != 1 || h.Duration.H[0] != 2500 || h.Duration.H[1] != 1 {
		t.Errorf("first slot home %+v %+v", h, h.Duration)
	}
	h = second.Names["home"]
	if h.Failed != 1 || h.Duration.Max != 3000.7 || h.Duration.H[0] != lowestEquivalent(3000700) {
		t.Errorf("second slot home %+v %+v", h, h.Duration)
	}
	if second.VUs == nil || *second.VUs != 7 || first.VUs != nil {
		t.Errorf("vus belong to the second slot")
	}
}

func TestSeriesOfCustomMetricsWithNegativesAndOverflow(t *testing.T) {
	reg := metrics.NewRegistry()
	trend := reg.MustNewMetric("tunnel_setup", metrics.Trend)
	counter := reg.MustNewMetric("jobs", metrics.Counter)
	x := newSeriesIndex(parseTracked("region"))
	sl := newSlot(0)
	for i := 0; i < maxSeriesPerMetric+5; i++ {
		tags := reg.RootTagSet().With("region", string(rune('A'+i%26))+string(rune('a'+i/26)))
		sl.addSeries(x.id(metrics.TimeSeries{Metric: counter, Tags: tags}), false, int64(i), 1)
	}
	if x.spilled != 5 || x.perMetric[counter] != maxSeriesPerMetric {
		t.Errorf("spilled %d, series %d", x.spilled, x.perMetric[counter])
	}
	root := reg.RootTagSet().With("other", "ignored")
	id := x.id(metrics.TimeSeries{Metric: trend, Tags: root})
	for _, v := range []float64{-2.5, 0, 4} {
		sl.addSeries(id, true, 7, v)
	}
	w := sl.series[id].wire(id)
	if w.N != 3 || w.NZ != 2 || w.Min != -2.5 || w.Max != 4 || w.Sum != 1.5 || w.Last != 4 {
		t.Errorf("trend %+v", w)
	}
	if len(w.HNeg) != 2 || w.HNeg[0] != 2500 || len(w.H) != 4 || w.H[0] != 0 || w.H[2] != 4000 {
		t.Errorf("histograms %v %v", w.H, w.HNeg)
	}
	if d := x.decls[id]; len(d.Tags) != 0 || d.Metric != "tunnel_setup" {
		t.Errorf("untracked tags must not split series: %+v", d)
	}
}

func TestRefusesBadSettings(t *testing.T) {
	for _, env := range []map[string]string{
		{"K6_LOADCTL_BUCKET_MS": "0"}, {"K6_LOADCTL_FLUSH_MS": "1s"}, {"K6_LOADCTL_FOLD_MS": "-5"},
	} {
		if _, err := New(output.Params{ConfigArgument: "x", Logger: logrus.New(), Environment: env}); err == nil {
			t.Errorf("%v was accepted", env)
		}
	}
	if _, err := New(output.Params{Logger: logrus.New()}); err == nil {
		t.Errorf("a missing path was accepted")
	}
}
