// xds-load: N simulated Envoy proxies, one ADS stream each, driving any xDS server (Legation or the
// go-control-plane reference) with the same workload. Controlled by the benchmark orchestrator
// (bench/compare.ts) with JSON lines: commands on stdin, events on stdout. See ../../README.md.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// generation is one round of connections: a disconnect cancels its context, a reconnect starts the next.
type generation struct {
	ctx    context.Context
	cancel context.CancelFunc
	conns  []*grpc.ClientConn
	// next is closed when the following generation is current.
	next chan struct{}
}

type markState struct {
	epoch int
	t0    time.Time
}

type load struct {
	target           string
	fleet            string
	userAgentName    string
	userAgentVersion string
	delta            bool
	streamsPerConn   int
	proxies          []*proxy
	current          atomic.Pointer[generation]
	mark             atomic.Pointer[markState]
	quit             chan struct{}
	track            *tracker
}

func (l *load) newGeneration() (*generation, error) {
	ctx, cancel := context.WithCancel(context.Background())
	g := &generation{ctx: ctx, cancel: cancel, next: make(chan struct{})}
	n := (len(l.proxies) + l.streamsPerConn - 1) / l.streamsPerConn
	for range n {
		// One HTTP/2 connection per proxy by default, as every Envoy has its own. Small transport
		// buffers (the write buffer is released while idle) keep 10,000 connections affordable.
		conn, err := grpc.NewClient("passthrough:///"+l.target,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithReadBufferSize(8*1024),
			grpc.WithWriteBufferSize(8*1024),
			grpc.WithSharedWriteBuffer(true),
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64*1024*1024)),
		)
		if err != nil {
			cancel()
			return nil, err
		}
		g.conns = append(g.conns, conn)
	}
	return g, nil
}

func (g *generation) close() {
	for _, c := range g.conns {
		_ = c.Close()
	}
}

// out writes one JSON line on stdout.
var outMu sync.Mutex

func emit(event string, fields map[string]any) {
	fields["event"] = event
	b, _ := json.Marshal(fields)
	outMu.Lock()
	defer outMu.Unlock()
	os.Stdout.Write(append(b, '\n'))
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }

// tracker collects per-proxy times for the phase in progress and emits an event when every proxy is done.
type tracker struct {
	mu      sync.Mutex
	n       int
	phase   string
	t0      time.Time
	epoch   int
	first   []time.Duration
	done    []time.Duration
	nFirst  int
	nDone   int
	nClosed int
	retries int
	lastErr string
	timer   *time.Timer
	// responses and resources received since the phase began, by type (short name): shows what each server sends.
	responses, resources map[string]int
	cpu0                 time.Duration
	// onDisconnected runs once every stream closed after a disconnect (it closes the connections).
	onDisconnected func()
}

// cpuTime is the client's own CPU time (user + system) so far: what the load client itself cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (t *tracker) reset(phase string, epoch int, t0 time.Time, timeout time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.phase, t.epoch, t.t0 = phase, epoch, t0
	t.cpu0 = cpuTime()
	t.first = make([]time.Duration, t.n)
	t.done = make([]time.Duration, t.n)
	for i := range t.n {
		t.first[i], t.done[i] = -1, -1
	}
	t.nFirst, t.nDone, t.nClosed = 0, 0, 0
	t.responses, t.resources = map[string]int{}, map[string]int{}
	if t.timer != nil {
		t.timer.Stop()
	}
	if timeout > 0 {
		t.timer = time.AfterFunc(timeout, func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			if t.phase == phase && t.epoch == epoch && t.nDone < t.n {
				emit("timeout", map[string]any{"phase": phase, "done": t.nDone, "first": t.nFirst, "closed": t.nClosed, "n": t.n, "retries": t.retries, "lastError": t.lastErr})
			}
		})
	}
}

func percentiles(xs []time.Duration) (first, p50, p99, maxv float64) {
	s := append([]time.Duration(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return ms(s[0]), ms(s[len(s)/2]), ms(s[min(len(s)-1, len(s)*99/100)]), ms(s[len(s)-1])
}

func (t *tracker) finishLocked() {
	if t.timer != nil {
		t.timer.Stop()
	}
	firstMs, p50, p99, maxMs := percentiles(t.done)
	fields := map[string]any{"phase": t.phase, "n": t.n, "firstMs": firstMs, "p50Ms": p50, "p99Ms": p99, "maxMs": maxMs, "ms": maxMs, "retries": t.retries, "responses": t.responses, "resources": t.resources, "clientCpuMs": ms(cpuTime() - t.cpu0)}
	if t.lastErr != "" {
		fields["lastError"] = t.lastErr
	}
	if t.phase == "connect" {
		f0, f50, _, fmax := percentiles(t.first)
		fields["firstResponseFirstMs"], fields["firstResponseP50Ms"], fields["firstResponseMaxMs"] = f0, f50, fmax
		emit("synced", fields)
	} else {
		emit("converged", fields)
	}
	t.phase = ""
}

func (t *tracker) received(typeURL string, resources int) {
	short := typeURL[strings.LastIndex(typeURL, ".")+1:]
	t.mu.Lock()
	defer t.mu.Unlock()
	t.responses[short]++
	t.resources[short] += resources
}

func (t *tracker) firstAck(i int, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.phase == "connect" && t.first[i] < 0 {
		t.first[i] = at.Sub(t.t0)
		t.nFirst++
	}
}

func (t *tracker) synced(i int, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.phase == "connect" && t.done[i] < 0 {
		t.done[i] = at.Sub(t.t0)
		t.nDone++
		if t.nDone == t.n && t.nFirst == t.n {
			t.finishLocked()
		}
	}
}

func (t *tracker) converged(i, epoch int, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if (t.phase == "mark" || t.phase == "reconnect") && t.epoch == epoch && t.done[i] < 0 {
		t.done[i] = at.Sub(t.t0)
		t.nDone++
		if t.nDone == t.n {
			t.finishLocked()
		}
	}
}

func (t *tracker) closed(int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.nClosed++
	if t.phase == "disconnect" && t.nClosed == t.n {
		if t.onDisconnected != nil {
			t.onDisconnected()
		}
		emit("disconnected", map[string]any{"n": t.n, "ms": ms(time.Since(t.t0))})
		t.phase = ""
	}
}

func (t *tracker) retry(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.retries++
	if err != nil {
		t.lastErr = err.Error()
	}
}

func rssKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+)`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(string(m[1]))
	return v
}

func main() {
	target := flag.String("target", "127.0.0.1:18000", "xDS server host:port")
	n := flag.Int("proxies", 100, "simulated proxies (one ADS stream each)")
	mode := flag.String("mode", "sotw", "sotw or delta")
	nodePrefix := flag.String("node-prefix", "bench", "node ids are <prefix>-<i>")
	fleet := flag.String("cluster", "bench", "node.cluster (Legation's fleet name; the reference server's snapshot key)")
	uaName := flag.String("user-agent-name", "envoy", "node.user_agent_name")
	uaVersion := flag.String("user-agent-version", "1.36.0", "node.user_agent_version")
	rate := flag.Float64("connect-rate", 0, "streams opened per second on connect (0: all at once)")
	perConn := flag.Int("streams-per-conn", 1, "ADS streams sharing one HTTP/2 connection (1: one connection per proxy, as separate Envoys)")
	timeout := flag.Duration("timeout", 5*time.Minute, "emit a timeout event when a phase has not completed after this long")
	flag.Parse()
	if *mode != "sotw" && *mode != "delta" {
		fmt.Fprintln(os.Stderr, "-mode must be sotw or delta")
		os.Exit(2)
	}

	l := &load{target: *target, fleet: *fleet, userAgentName: *uaName, userAgentVersion: *uaVersion, delta: *mode == "delta", streamsPerConn: max(1, *perConn), quit: make(chan struct{}), track: &tracker{n: *n}}
	for i := range *n {
		l.proxies = append(l.proxies, &proxy{index: i, id: fmt.Sprintf("%s-%d", *nodePrefix, i)})
	}
	g, err := l.newGeneration()
	if err != nil {
		emit("error", map[string]any{"message": err.Error()})
		os.Exit(1)
	}
	l.current.Store(g)
	l.track.onDisconnected = func() { l.current.Load().close() }
	emit("ready", map[string]any{"proxies": *n, "mode": *mode, "conns": len(g.conns)})

	epoch := 0
	connected := false
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		cmd := strings.TrimSpace(in.Text())
		switch cmd {
		case "connect":
			if connected {
				emit("error", map[string]any{"message": "already connected"})
				continue
			}
			connected = true
			t0 := time.Now()
			l.track.reset("connect", epoch, t0, *timeout)
			go func() {
				for i, p := range l.proxies {
					if *rate > 0 {
						if d := time.Until(t0.Add(time.Duration(float64(i) / *rate * float64(time.Second)))); d > 0 {
							time.Sleep(d)
						}
					}
					go p.run(l)
				}
			}()
		case "mark":
			// t0 of the measured change: every proxy's first ACK of a changed EDS response after it.
			epoch++
			t0 := time.Now()
			l.track.reset("mark", epoch, t0, *timeout)
			l.mark.Store(&markState{epoch: epoch, t0: t0})
			emit("marked", map[string]any{"epoch": epoch})
		case "disconnect":
			// Every stream and then its connection closes (emits `disconnected`); the proxies keep
			// what they hold and wait for `reconnect`.
			old := l.current.Load()
			l.track.reset("disconnect", epoch, time.Now(), *timeout)
			old.cancel()
		case "reconnect":
			// Every proxy opens a new connection and stream at once, with what it holds
			// (initial_resource_versions for delta); done when each has ACKed a changed EDS response.
			old := l.current.Load()
			g, err := l.newGeneration()
			if err != nil {
				emit("error", map[string]any{"message": err.Error()})
				continue
			}
			epoch++
			t0 := time.Now()
			l.track.reset("reconnect", epoch, t0, *timeout)
			l.mark.Store(&markState{epoch: epoch, t0: t0})
			l.current.Store(g)
			close(old.next)
		case "status":
			l.track.mu.Lock()
			emit("status", map[string]any{"phase": l.track.phase, "responses": l.track.responses, "resources": l.track.resources, "done": l.track.nDone, "first": l.track.nFirst, "closed": l.track.nClosed, "n": l.track.n, "retries": l.track.retries, "lastError": l.track.lastErr, "clientRssKiB": rssKiB()})
			l.track.mu.Unlock()
		case "quit", "":
			if cmd == "" {
				continue
			}
			close(l.quit)
			l.current.Load().cancel()
			l.current.Load().close()
			emit("bye", map[string]any{})
			return
		default:
			emit("error", map[string]any{"message": "unknown command " + cmd})
		}
	}
	close(l.quit)
}
