// The test cluster's in-cluster HTTP target. GET /work costs a fixed amount of CPU (WORK_MS,
// default 2 ms of hashing), so a few hundred requests a second drive the CPU an autoscaler reads;
// every other path answers at once (its latency is the network's and k6's, steady whatever the
// replica count), with the pod's name, so a test can see which replica served it.
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func work(d time.Duration) [32]byte {
	var sum [32]byte
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 64; i++ {
			sum = sha256.Sum256(sum[:])
		}
	}
	return sum
}

func main() {
	ms, err := strconv.ParseFloat(os.Getenv("WORK_MS"), 64)
	if err != nil {
		ms = 2
	}
	d := time.Duration(ms * float64(time.Millisecond))
	pod, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/work", func(w http.ResponseWriter, _ *http.Request) {
		sum := work(d)
		w.Header().Set("content-type", "text/plain")
		fmt.Fprintf(w, "%s %x\n", pod, sum[:4])
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("content-type", "text/plain")
		fmt.Fprintf(w, "%s\n", pod)
	})
	addr := ":" + envOr("PORT", "8080")
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func envOr(k, v string) string {
	if s := os.Getenv(k); s != "" {
		return s
	}
	return v
}
