// reference-server: go-control-plane's snapshot cache serving the benchmark fleet over ADS (SotW
// and delta), the reference Legation is compared with (issue #13).
//
// Every node maps to the snapshot of its fleet: the node hash is node.cluster, the field Legation
// reads the fleet name from, so one snapshot serves every proxy of a fleet, as in Legation.
// A small HTTP endpoint lets the benchmark orchestrator build fleets and make the measured change.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	discoverygrpc "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"github.com/envoyproxy/go-control-plane/pkg/cache/types"
	cachev3 "github.com/envoyproxy/go-control-plane/pkg/cache/v3"
	resourcev3 "github.com/envoyproxy/go-control-plane/pkg/resource/v3"
	serverv3 "github.com/envoyproxy/go-control-plane/pkg/server/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"

	"legation/bench/reference/internal/fleet"
)

// fleetHash keys the snapshot cache by node.cluster (the fleet name): every proxy of a fleet shares its snapshot.
type fleetHash struct{}

func (fleetHash) ID(node *corev3.Node) string {
	if node == nil {
		return ""
	}
	return node.GetCluster()
}

var _ cachev3.NodeHash = fleetHash{}

// fleetState is one fleet's resources. Only cluster-0's load assignment is ever rebuilt; the other
// resources are the same objects in every snapshot.
type fleetState struct {
	clusters  []types.Resource
	endpoints []types.Resource
	perEDS    int
	changes   int
	// cdsVersion and edsVersion are the per-type versions (go-control-plane compares each type's
	// version with what the stream last received, so a CDS watch sees no change when only EDS moves).
	cdsVersion int
	edsVersion int
}

type controlPlane struct {
	mu            sync.Mutex
	cache         cachev3.SnapshotCache
	fleets        map[string]*fleetState
	singleVersion bool
	generation    int
}

func (cp *controlPlane) snapshot(f *fleetState) (*cachev3.Snapshot, error) {
	if cp.singleVersion {
		// cache.NewSnapshot: one version for every type, so any change re-sends CDS too.
		return cachev3.NewSnapshot(strconv.Itoa(f.edsVersion), map[resourcev3.Type][]types.Resource{
			resourcev3.ClusterType:  f.clusters,
			resourcev3.EndpointType: f.endpoints,
		})
	}
	s := &cachev3.Snapshot{}
	s.Resources[types.Cluster] = cachev3.NewResources(strconv.Itoa(f.cdsVersion), f.clusters)
	s.Resources[types.Endpoint] = cachev3.NewResources(strconv.Itoa(f.edsVersion), f.endpoints)
	return s, nil
}

func (cp *controlPlane) publish(name string, f *fleetState) error {
	s, err := cp.snapshot(f)
	if err != nil {
		return err
	}
	if err := s.Consistent(); err != nil {
		return err
	}
	return cp.cache.SetSnapshot(context.Background(), name, s)
}

// setFleet (re)builds a fleet of `clusters` EDS clusters with `endpoints` endpoints each.
func (cp *controlPlane) setFleet(name string, clusters, endpoints int) (*fleetState, error) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.generation++
	f := &fleetState{clusters: make([]types.Resource, clusters), endpoints: make([]types.Resource, clusters), perEDS: endpoints, cdsVersion: cp.generation, edsVersion: cp.generation}
	for i := range clusters {
		f.clusters[i] = fleet.Cluster(i)
		f.endpoints[i] = fleet.LoadAssignment(i, endpoints, 8000)
	}
	cp.fleets[name] = f
	return f, cp.publish(name, f)
}

// change moves cluster-0's endpoints (port base 9000, then 8000, alternating) in a new snapshot.
func (cp *controlPlane) change(name string) (*fleetState, error) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	f, ok := cp.fleets[name]
	if !ok {
		return nil, fmt.Errorf("no fleet %q", name)
	}
	f.changes++
	base := uint32(8000)
	if f.changes%2 == 1 {
		base = 9000
	}
	endpoints := make([]types.Resource, len(f.endpoints))
	copy(endpoints, f.endpoints)
	if len(endpoints) > 0 {
		endpoints[0] = fleet.LoadAssignment(0, f.perEDS, base)
	}
	f.endpoints = endpoints
	cp.generation++
	f.edsVersion = cp.generation
	return f, cp.publish(name, f)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func intParam(r *http.Request, key string, def int) (int, error) {
	s := r.URL.Query().Get(key)
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}

func main() {
	xdsPort := flag.Int("xds-port", 0, "gRPC port for ADS (0: any free port)")
	httpPort := flag.Int("http-port", 0, "HTTP control port (0: any free port)")
	host := flag.String("host", "127.0.0.1", "address to listen on")
	fleetName := flag.String("fleet", "bench", "fleet built at start (node.cluster of its proxies); empty: none")
	clusters := flag.Int("clusters", 1000, "EDS clusters in the fleet built at start")
	endpoints := flag.Int("endpoints", 10, "endpoints per cluster")
	singleVersion := flag.Bool("single-version", false, "use cache.NewSnapshot's one version for every type (an EDS change then re-sends CDS as well); default: per-type versions")
	flag.Parse()

	cp := &controlPlane{cache: cachev3.NewSnapshotCache(true, fleetHash{}, nil), fleets: map[string]*fleetState{}, singleVersion: *singleVersion}
	if *fleetName != "" {
		if _, err := cp.setFleet(*fleetName, *clusters, *endpoints); err != nil {
			log.Fatalf("building fleet: %v", err)
		}
	}

	ctx := context.Background()
	xds := serverv3.NewServer(ctx, cp.cache, serverv3.CallbackFuncs{})
	// The options go-control-plane's example server uses (internal/example/server.go).
	grpcServer := grpc.NewServer(
		grpc.MaxConcurrentStreams(1_000_000),
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: 30 * time.Second, Timeout: 5 * time.Second}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 30 * time.Second, PermitWithoutStream: true}),
	)
	discoverygrpc.RegisterAggregatedDiscoveryServiceServer(grpcServer, xds)

	xdsListener, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*xdsPort)))
	if err != nil {
		log.Fatal(err)
	}
	httpListener, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*httpPort)))
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]bool{"ok": true}) })
	mux.HandleFunc("POST /fleet", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		c, err1 := intParam(r, "clusters", 10)
		e, err2 := intParam(r, "endpoints", 2)
		if name == "" || err1 != nil || err2 != nil {
			writeJSON(w, 400, map[string]string{"error": "expected ?name=&clusters=&endpoints="})
			return
		}
		t := time.Now()
		f, err := cp.setFleet(name, c, e)
		if err != nil {
			writeJSON(w, 500, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, 200, map[string]any{"fleet": name, "version": f.edsVersion, "ms": float64(time.Since(t).Microseconds()) / 1000})
	})
	changeHandler := func(fleetName string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			name := r.URL.Query().Get("fleet")
			if name == "" {
				name = fleetName
			}
			t := time.Now()
			f, err := cp.change(name)
			if err != nil {
				writeJSON(w, 404, map[string]string{"error": err.Error()})
				return
			}
			writeJSON(w, 200, map[string]any{"fleet": name, "version": f.edsVersion, "ms": float64(time.Since(t).Microseconds()) / 1000})
		}
	}
	mux.HandleFunc("POST /change", changeHandler(*fleetName))
	mux.HandleFunc("POST /change-small", changeHandler("small"))

	go func() {
		if err := grpcServer.Serve(xdsListener); err != nil {
			log.Fatal(err)
		}
	}()
	go func() {
		if err := http.Serve(httpListener, mux); err != nil {
			log.Fatal(err)
		}
	}()
	ready, _ := json.Marshal(map[string]any{
		"ready":    true,
		"xdsPort":  xdsListener.Addr().(*net.TCPAddr).Port,
		"httpPort": httpListener.Addr().(*net.TCPAddr).Port,
		"pid":      os.Getpid(),
	})
	fmt.Println(string(ready))
	select {}
}
