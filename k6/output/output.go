// Package output is loadctl's k6 output extension: `k6 run --out loadctl=<path>`.
//
// k6's file outputs write one row per sample (about fourteen per HTTP request), and formatting them
// costs k6 a sixth of its throughput when it is CPU-bound. This output folds the samples loadctl
// reads into per-bucket aggregates instead, and once a second writes one JSON line to <path>
// (normally a named pipe loadctl reads): for each time bucket touched since the last line, request
// and failure counts and latency distributions per request name, waiting and connecting times,
// checks, iterations, bytes and VUs; and every metric k6 emits, built-in or custom, per series of
// the tags loadctl tracks (series.go). Latencies keep HDR buckets of 3 significant digits, so loadctl
// builds the same histograms it would build from every sample.
//
// Samples are folded in every 100 ms (K6_LOADCTL_FOLD_MS), so k6 does not hold a second's worth of
// sample objects for its garbage collector to scan; a line is written every K6_LOADCTL_FLUSH_MS
// (default 1000). K6_LOADCTL_BUCKET_MS sets the bucket width (default 1000; buckets start at the
// first sample).
package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"go.k6.io/k6/v2/metrics"
	"go.k6.io/k6/v2/output"
)

// FormatVersion is the "v" of every line; loadctl refuses lines of another version.
const FormatVersion = 2

func init() {
	output.RegisterExtension("loadctl", New)
}

type kind uint8

const (
	kindNone kind = iota
	kindRequests
	kindFailed
	kindDuration
	kindWaiting
	kindConnecting
	kindChecks
	kindIterations
	kindDropped
	kindSent
	kindReceived
	kindVUs
	kindVUsMax
)

var kindByName = map[string]kind{
	metrics.HTTPReqsName:          kindRequests,
	metrics.HTTPReqFailedName:     kindFailed,
	metrics.HTTPReqDurationName:   kindDuration,
	metrics.HTTPReqWaitingName:    kindWaiting,
	metrics.HTTPReqConnectingName: kindConnecting,
	metrics.ChecksName:            kindChecks,
	metrics.IterationsName:        kindIterations,
	metrics.DroppedIterationsName: kindDropped,
	metrics.DataSentName:          kindSent,
	metrics.DataReceivedName:      kindReceived,
	metrics.VUsName:               kindVUs,
	metrics.VUsMaxName:            kindVUsMax,
}

// Output implements k6's output.Output.
type Output struct {
	output.SampleBuffer

	path     string
	bucketMs int64
	fold     time.Duration // how often buffered samples are folded into pending
	every    time.Duration // how often a line is written
	logger   logrus.FieldLogger
	flusher  *output.PeriodicFlusher

	mu        sync.Mutex // guards everything below: the periodic tick and Stop
	file      *os.File
	writer    *bufio.Writer
	pending   map[int64]*slot // folded since the last line, by bucket index
	lastWrite time.Time
	origin    int64 // the first sample's time (ms); buckets count from here
	started   bool
	kinds     map[*metrics.Metric]kind
	failed    bool // a write failed (loadctl went away): later lines are dropped
	index     *seriesIndex
}

// New builds the output from `--out loadctl=<path>`.
func New(p output.Params) (output.Output, error) {
	if p.ConfigArgument == "" {
		return nil, fmt.Errorf("the loadctl output needs a path: --out loadctl=<path>")
	}
	bucket, err := positiveMs(p.Environment, "K6_LOADCTL_BUCKET_MS", 1000)
	if err != nil {
		return nil, err
	}
	flush, err := positiveMs(p.Environment, "K6_LOADCTL_FLUSH_MS", 1000)
	if err != nil {
		return nil, err
	}
	fold, err := positiveMs(p.Environment, "K6_LOADCTL_FOLD_MS", 100)
	if err != nil {
		return nil, err
	}
	if fold > flush {
		fold = flush
	}
	return &Output{
		path: p.ConfigArgument, bucketMs: bucket,
		fold: time.Duration(fold) * time.Millisecond, every: time.Duration(flush) * time.Millisecond,
		logger: p.Logger.WithField("output", "loadctl"), kinds: make(map[*metrics.Metric]kind),
		pending: make(map[int64]*slot), index: newSeriesIndex(parseTracked(p.Environment["K6_LOADCTL_TAGS"])),
	}, nil
}

func positiveMs(env map[string]string, key string, fallback int64) (int64, error) {
	s, ok := env[key]
	if !ok || s == "" {
		return fallback, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%s must be a positive whole number of milliseconds, got %q", key, s)
	}
	return v, nil
}

// Description is shown in k6's banner.
func (o *Output) Description() string { return fmt.Sprintf("loadctl (%s)", o.path) }

// Start opens the path for writing; on a named pipe this waits for loadctl to open the read side.
func (o *Output) Start() error {
	f, err := os.OpenFile(o.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("loadctl output: %w", err)
	}
	o.file = f
	o.writer = bufio.NewWriterSize(f, 1<<16)
	o.lastWrite = time.Now()
	pf, err := output.NewPeriodicFlusher(o.fold, o.tick)
	if err != nil {
		_ = f.Close()
		return err
	}
	o.flusher = pf
	return nil
}

// Stop writes what is left and closes the path (loadctl then reads EOF).
func (o *Output) Stop() error {
	if o.flusher != nil {
		o.flusher.Stop()
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.file == nil {
		return nil
	}
	o.write()
	err := o.file.Close()
	o.file = nil
	if err != nil && !o.failed {
		return fmt.Errorf("loadctl output: %w", err)
	}
	return nil
}

func (o *Output) kindOf(m *metrics.Metric) kind {
	k, ok := o.kinds[m]
	if !ok {
		k = kindByName[m.Name]
		o.kinds[m] = k
	}
	return k
}

// record is one line: the buckets touched since the previous line, oldest first.
type record struct {
	V        int          `json:"v"`
	BucketMs int64        `json:"bucketMs"`
	Origin   int64        `json:"origin"`
	Skipped  uint64       `json:"skipped"`           // always 0 since v2: every metric is folded into series
	Declare  []seriesDecl `json:"declare,omitempty"` // series first seen since the last line
	Spilled  uint64       `json:"spilled,omitempty"` // samples folded into a metric's overflow series
	Slots    []slotJSON   `json:"slots"`
}

// tick folds what k6 buffered and, once a write interval has passed, writes a line.
func (o *Output) tick() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.foldBuffered()
	if time.Since(o.lastWrite) >= o.every {
		o.write()
	}
}

// flush folds and writes at once (tests and benchmarks drive it directly).
func (o *Output) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.foldBuffered()
	o.write()
}

// foldBuffered moves k6's buffered samples into the pending slots. Called with o.mu held.
func (o *Output) foldBuffered() {
	for _, c := range o.GetBufferedSamples() {
		for _, s := range c.GetSamples() {
			k := o.kindOf(s.Metric)
			t := s.Time.UnixMilli()
			if !o.started {
				o.origin, o.started = t, true
			}
			index := int64(0)
			if t > o.origin {
				index = (t - o.origin) / o.bucketMs
			}
			sl := o.pending[index]
			if sl == nil {
				sl = newSlot(o.origin + index*o.bucketMs)
				o.pending[index] = sl
			}
			name := ""
			if k == kindRequests || k == kindFailed || k == kindDuration {
				name, _ = s.Tags.Get("name")
			}
			sl.addSeries(o.index.id(s.TimeSeries), s.Metric.Type == metrics.Trend, t, s.Value)
			if k == kindNone {
				sl.samples++
				if t < sl.first {
					sl.first = t
				}
				if t > sl.last {
					sl.last = t
				}
				continue
			}
			sl.add(k, t, s.Value, name)
		}
	}
}

// write sends the pending slots as one line and clears them. Called with o.mu held.
func (o *Output) write() {
	o.lastWrite = time.Now()
	if o.file == nil || o.failed || len(o.pending) == 0 {
		return
	}
	rec := record{
		V: FormatVersion, BucketMs: o.bucketMs, Origin: o.origin,
		Declare: o.index.unsent(), Spilled: o.index.spilled, Slots: make([]slotJSON, 0, len(o.pending)),
	}
	o.index.spilled = 0
	for _, sl := range o.pending {
		rec.Slots = append(rec.Slots, sl.wire())
	}
	clear(o.pending)
	sort.Slice(rec.Slots, func(i, j int) bool { return rec.Slots[i].T < rec.Slots[j].T })
	line, err := json.Marshal(rec)
	if err == nil {
		line = append(line, '\n')
		if _, err = o.writer.Write(line); err == nil {
			err = o.writer.Flush()
		}
	}
	if err != nil {
		o.failed = true
		o.logger.WithError(err).Warn("loadctl output: cannot write; later samples are dropped")
	}
}
