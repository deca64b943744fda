//go:build bench

// Memory and speed of the loadctl output over a long run: BENCH_SAMPLES k6 samples (default 50
// million) spread over 24 simulated hours, in the shape k6 emits them per HTTP request (eleven
// samples, four of them metrics the output skips), flushed once per simulated second into
// /dev/null or BENCH_OUT (bucket width BENCH_BUCKET_MS). Prints one JSON line: RSS at 10/50/100 %, peak RSS, samples/s.
// Run through bench/k6-output-memory.mjs (`go test -tags bench -run TestOutputMemory ./output/`).
package output

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"go.k6.io/k6/v2/metrics"
	"go.k6.io/k6/v2/output"
)

func procStatusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return v
		}
	}
	return -1
}

func TestOutputMemory(t *testing.T) {
	total := int64(50_000_000)
	if s := os.Getenv("BENCH_SAMPLES"); s != "" {
		total, _ = strconv.ParseInt(s, 10, 64)
	}
	const perRequest = 11
	const simulated = 24 * time.Hour
	requests := total / perRequest
	seconds := int64(simulated / time.Second)

	reg := metrics.NewRegistry()
	m := func(name string, typ metrics.MetricType) *metrics.Metric { return reg.MustNewMetric(name, typ) }
	reqs, failed := m(metrics.HTTPReqsName, metrics.Counter), m(metrics.HTTPReqFailedName, metrics.Rate)
	dur, wait := m(metrics.HTTPReqDurationName, metrics.Trend), m(metrics.HTTPReqWaitingName, metrics.Trend)
	conn, sent, recv := m(metrics.HTTPReqConnectingName, metrics.Trend), m(metrics.DataSentName, metrics.Counter), m(metrics.DataReceivedName, metrics.Counter)
	skipped := []*metrics.Metric{
		m(metrics.HTTPReqBlockedName, metrics.Trend), m(metrics.HTTPReqSendingName, metrics.Trend),
		m(metrics.HTTPReqReceivingName, metrics.Trend), m(metrics.HTTPReqTLSHandshakingName, metrics.Trend),
	}
	names := make([]*metrics.TagSet, 8)
	for i := range names {
		names[i] = reg.RootTagSet().With("name", fmt.Sprintf("request-%d", i)).With("status", "200")
	}

	dest := os.Getenv("BENCH_OUT") // default /dev/null; bench/k6-output-memory.mjs replays the file in node
	if dest == "" {
		dest = os.DevNull
	}
	bucketMs := os.Getenv("BENCH_BUCKET_MS")
	if bucketMs == "" {
		bucketMs = "1000"
	}
	o, err := New(output.Params{ConfigArgument: dest, Logger: logrus.New(), Environment: map[string]string{
		"K6_LOADCTL_FLUSH_MS": "3600000", "K6_LOADCTL_BUCKET_MS": bucketMs,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(); err != nil {
		t.Fatal(err)
	}
	out := o.(*Output)
	rng := rand.New(rand.NewSource(1))
	start := time.UnixMilli(1_700_000_000_000)
	rss := map[string]int64{}
	began := time.Now()
	var done int64
	batch := make(metrics.Samples, 0, 4096)
	for sec := int64(0); sec < seconds; sec++ {
		from, to := requests*sec/seconds, requests*(sec+1)/seconds
		for r := from; r < to; r++ {
			at := start.Add(time.Duration(sec)*time.Second + time.Duration(rng.Int63n(int64(time.Second))))
			tags := names[r%int64(len(names))]
			ms := math.Exp(rng.NormFloat64()*0.6 + 3) // lognormal around 20 ms
			s := func(metric *metrics.Metric, v float64) metrics.Sample {
				return metrics.Sample{TimeSeries: metrics.TimeSeries{Metric: metric, Tags: tags}, Time: at, Value: v}
			}
			fail := 0.0
			if rng.Intn(100) == 0 {
				fail = 1
			}
			batch = append(batch, s(reqs, 1), s(failed, fail), s(dur, ms), s(wait, ms*0.9), s(conn, 0), s(sent, 120), s(recv, 900))
			for _, k := range skipped {
				batch = append(batch, s(k, 0.01))
			}
		}
		out.AddMetricSamples([]metrics.SampleContainer{batch})
		batch = make(metrics.Samples, 0, 4096)
		out.flush()
		done = to * perRequest
		for _, p := range []int64{10, 50} {
			key := fmt.Sprintf("%d%%", p)
			if _, ok := rss[key]; !ok && done >= total*p/100 {
				runtime.GC()
				rss[key] = procStatusKB("VmRSS")
			}
		}
	}
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(began)
	runtime.GC()
	rss["100%"] = procStatusKB("VmRSS")
	report := map[string]any{
		"samples":          done,
		"requests":         requests,
		"simulatedSeconds": seconds,
		"rssKB":            rss,
		"peakRssKB":        procStatusKB("VmHWM"),
		"samplesPerSec":    math.Round(float64(done) / elapsed.Seconds()),
		"elapsedSec":       math.Round(elapsed.Seconds()*10) / 10,
	}
	line, _ := json.Marshal(report)
	fmt.Println("REPORT " + string(line))
}
