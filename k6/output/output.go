// Package output is loadctl's k6 output extension: `k6 run --out loadctl=<path>`.
//
// k6's file outputs write one row per sample (about fourteen per HTTP request), and formatting them
// costs k6 a sixth of its throughput when it is CPU-bound. This output folds the samples loadctl
// reads into per-bucket aggregates instead, and once a second writes one JSON line to <path>
// (normally a named pipe loadctl reads): for each time bucket touched since the last line, request
// and failure counts and latency distributions per request name, waiting and connecting times,
// checks, iterations, bytes and VUs. Latencies keep HDR buckets of 3 significant digits, so loadctl
// builds the same histograms it would build from every sample.
//
// Environment: K6_LOADCTL_BUCKET_MS (bucket width, default 1000; buckets start at the first
// sample), K6_LOADCTL_FLUSH_MS (how often a line is written, default 1000).
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
const FormatVersion = 1

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
	period   time.Duration
	logger   logrus.FieldLogger

	mu      sync.Mutex // flushes: the periodic one and the last one in Stop
	file    *os.File
	writer  *bufio.Writer
	origin  int64 // the first sample's time (ms); buckets count from here
	started bool
	kinds   map[*metrics.Metric]kind
	failed  bool // a write failed (loadctl went away): later lines are dropped
	flusher *output.PeriodicFlusher
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
	return &Output{
		path: p.ConfigArgument, bucketMs: bucket, period: time.Duration(flush) * time.Millisecond,
		logger: p.Logger.WithField("output", "loadctl"), kinds: make(map[*metrics.Metric]kind),
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
	pf, err := output.NewPeriodicFlusher(o.period, o.flush)
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
	V        int        `json:"v"`
	BucketMs int64      `json:"bucketMs"`
	Origin   int64      `json:"origin"`
	Skipped  uint64     `json:"skipped"` // samples of metrics loadctl does not aggregate
	Slots    []slotJSON `json:"slots"`
}

func (o *Output) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	containers := o.GetBufferedSamples()
	if len(containers) == 0 || o.file == nil {
		return
	}
	slots := make(map[int64]*slot)
	var skipped uint64
	for _, c := range containers {
		for _, s := range c.GetSamples() {
			k := o.kindOf(s.Metric)
			if k == kindNone {
				skipped++
				continue
			}
			t := s.Time.UnixMilli()
			if !o.started {
				o.origin, o.started = t, true
			}
			index := int64(0)
			if t > o.origin {
				index = (t - o.origin) / o.bucketMs
			}
			sl := slots[index]
			if sl == nil {
				sl = newSlot(o.origin + index*o.bucketMs)
				slots[index] = sl
			}
			name := ""
			if k == kindRequests || k == kindFailed || k == kindDuration {
				name, _ = s.Tags.Get("name")
			}
			sl.add(k, t, s.Value, name)
		}
	}
	if o.failed {
		return
	}
	rec := record{V: FormatVersion, BucketMs: o.bucketMs, Origin: o.origin, Skipped: skipped, Slots: make([]slotJSON, 0, len(slots))}
	for _, sl := range slots {
		rec.Slots = append(rec.Slots, sl.wire())
	}
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
